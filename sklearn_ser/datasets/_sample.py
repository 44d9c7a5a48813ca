"""The RAVDESS sample shipped inside the package."""

from pathlib import Path

from . import _descr
from ._ravdess_tess import load_ravdess

__all__ = ["load_sample", "SAMPLE_DIR"]

#: Folder of the embedded sample (package data: ``Actor_NN/*.flac``,
#: ``MANIFEST.tsv``, ``SOURCE.txt``, ``LICENSE.txt``).
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


def load_sample(*, return_X_y=False, as_frame=False):
    """Load the small RAVDESS sample shipped with the package.

    120 real RAVDESS speech clips (16 kHz mono FLAC, original names): 8
    actors (Actor_01 .. Actor_08, 4 male and 4 female) x 15 trials covering
    all 8 emotions (neutral 8 clips, every other emotion 16). Enough to run
    examples and a speaker-independent split with no corpus installed; far
    too small for meaningful accuracy figures. The clips are under CC
    BY-NC-SA 4.0 (see ``DESCR`` and ``sample/SOURCE.txt``).

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(X, y)`` (file paths, emotion labels).
    as_frame : bool, default=False
        If True, ``frame`` is a pandas DataFrame of the metadata.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        Like :func:`load_ravdess`: ``data``/``filenames`` (paths),
        ``target``, ``target_names``, ``groups`` ('Actor_01' ...),
        ``metadata``, ``frame``, ``DESCR``.

    Examples
    --------
    >>> from sklearn_ser.datasets import load_sample
    >>> b = load_sample()
    >>> b.data.shape, len(b.target_names), len(set(b.groups))
    ((120,), 8, 8)
    """
    if not SAMPLE_DIR.is_dir():  # pragma: no cover - broken installation
        raise FileNotFoundError(
            f"the embedded sample is missing from the installation ({SAMPLE_DIR}); "
            "reinstall sklearn-ser"
        )
    bunch = load_ravdess(SAMPLE_DIR, return_X_y=return_X_y, as_frame=as_frame)
    if not return_X_y:
        bunch.DESCR = _descr.SAMPLE
    return bunch
