"""RAVDESS + TESS on their shared emotions, for cross-corpus evaluation."""

import numpy as np
from sklearn.utils import Bunch

from ._corpora import TESS_ACTORS, load_ravdess_tess

__all__ = ["CROSS_CORPUS_EMOTIONS", "load_cross_corpus"]

#: The seven emotions RAVDESS and TESS share (RAVDESS's vocabulary; RAVDESS's
#: ``calm`` has no TESS counterpart and is dropped).
CROSS_CORPUS_EMOTIONS = (
    "angry",
    "disgust",
    "fearful",
    "happy",
    "neutral",
    "sad",
    "surprised",
)

_DESCR = """RAVDESS speech + TESS on their 7 shared emotions (cross-corpus)
========================================================================

Built from :func:`load_ravdess_tess`: TESS's 'fear' -> 'fearful' and
'pleasant_surprise' ('ps') -> 'surprised'; RAVDESS's 'calm' (no TESS
counterpart) is dropped. ``groups`` are '<corpus>/<speaker>' ids
('RAVDESS/Actor_01' ... 'RAVDESS/Actor_24', 'TESS/OAF', 'TESS/YAF'), so the
same array identifies speakers (speaker normalisation, speaker-grouped
tuning) and corpora (:class:`~sklearn_ser.model_selection.CrossCorpusSplit`,
protocol ``"cross-corpus"``). ``corpus`` holds the corpus of each file.
"""


def load_cross_corpus(
    data_home=None, *, ravdess_home=None, tess_home=None, verify=False
):
    """Load RAVDESS speech and TESS over the seven emotions they share.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding both corpora (see :func:`load_ravdess_tess`).
    ravdess_home, tess_home : str or path-like, default=None
        Where each corpus is, when not both under ``data_home``.
    verify : bool, default=False
        Check files against the corpora's ``MANIFEST.tsv``.

    Returns
    -------
    Bunch
        ``data`` (paths), ``target`` (labels from
        :data:`CROSS_CORPUS_EMOTIONS`), ``target_names``, ``groups``
        ('<corpus>/<speaker>'), ``corpus`` ('RAVDESS' or 'TESS'),
        ``filenames``, ``metadata`` (the rows kept) and ``DESCR``.

    Examples
    --------
    >>> b = load_cross_corpus()  # doctest: +SKIP
    >>> sorted(set(b.corpus)), len(b.target_names)  # doctest: +SKIP
    (['RAVDESS', 'TESS'], 7)
    """
    b = load_ravdess_tess(
        data_home, ravdess_home=ravdess_home, tess_home=tess_home, verify=verify
    )
    keep = np.isin(b.target, CROSS_CORPUS_EMOTIONS)
    source = np.asarray(b.metadata["source"], dtype=str)[keep]
    actor = np.asarray(b.metadata["actor"])[keep]
    tess_name = {v: k for k, v in TESS_ACTORS.items()}
    speaker = [
        f"TESS/{tess_name[int(a)]}" if s == "TESS" else f"RAVDESS/Actor_{int(a):02d}"
        for s, a in zip(source, actor)
    ]
    target = b.target[keep]
    return Bunch(
        data=b.data[keep],
        target=target,
        target_names=np.unique(target),
        groups=np.asarray(speaker, dtype=str),
        corpus=source,
        filenames=b.filenames[keep],
        metadata={k: np.asarray(v)[keep] for k, v in b.metadata.items()},
        DESCR=_DESCR,
    )
