"""The MER four-quadrant music emotion dataset (Panda et al. 2018) as a row.

The music analogue of a speaker is the artist: ``groups`` are artists, so
``StratifiedGroupKFold`` gives artist-independent evaluation. The artists
(and a check of every quadrant) come from the metadata CSV beside the audio,
so the row's parser is built per root (``parser_for_root``);
:func:`load_mer_4q` adds the loader's own option, ``quadrants``, between
parsing and the Bunch, as RAVDESS's ``vocal_channel`` does.
"""

import csv
import warnings
from pathlib import Path

from . import _descr
from ._base import _BadName, _compile
from ._spec import CorpusSpec, _check_common, spec_bunch, spec_files, spec_parse

__all__ = ["MER_4Q", "MER_QUADRANTS", "MER_S4_QUADRANTS", "load_mer_4q"]

#: Quadrant -> label of :func:`load_mer_4q` (Russell's circumplex:
#: valence sign, arousal level, a typical emotion).
MER_QUADRANTS = {
    "Q1": "Q1_happy",
    "Q2": "Q2_angry",
    "Q3": "Q3_sad",
    "Q4": "Q4_calm",
}
#: The quadrants matching S4's three classes: joyful (Q1), aggressive (Q2)
#: and sad (Q3).
MER_S4_QUADRANTS = ("Q1", "Q2", "Q3")

#: Group of the songs whose artist the metadata leaves empty. They share one
#: group, so they are never split between training and test.
UNKNOWN_ARTIST = "<unknown artist>"

_METADATA = "panda_dataset_taffc_metadata.csv"
_NAMES = ["mer_4q", "MER_audio_taffc_dataset", "mer_taffc", "mer"]
_SONG_RE = _compile(r"^MT\d{10}$")
_SCHEME = "Q<n>/MT<10 digits>.<ext> (e.g. Q1/MT0000040632.ogg)"
_COLUMNS = [
    "path",
    "song",
    "quadrant",
    "artist",
    "title",
    "moods",
    "genres",
    "pquad",
]


def _read_metadata(path):
    """Song id -> metadata row of ``panda_dataset_taffc_metadata.csv``."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        needed = {"Song", "Artist", "Quadrant"}
        if reader.fieldnames is None or not needed <= set(reader.fieldnames):
            raise OSError(
                f"{path} must be a CSV table with at least the columns "
                f"{sorted(needed)}; found columns {reader.fieldnames}"
            )
        rows = {}
        for row in reader:
            song = row["Song"].strip()
            if song in rows:
                raise OSError(f"{path}: song {song} is listed twice")
            rows[song] = row
    return rows


class _Parser:
    """``parse(path)`` of one MER root; ``meta`` is its metadata CSV (song -> row).

    The row's ``parser_for_root``: a root without the CSV raises
    ``FileNotFoundError`` saying what it is needed for.
    """

    def __init__(self, root):
        path = Path(root) / _METADATA
        if not path.is_file():
            raise FileNotFoundError(
                f"MER 4Q at {root} has no {_METADATA}; the artists and the "
                "quadrant check come from it. Put the dataset's metadata CSV "
                "beside the Q1..Q4 folders."
            )
        self.meta = _read_metadata(path)

    def __call__(self, path):
        song = path.stem
        if not _SONG_RE.match(song):
            raise _BadName("expected MT followed by 10 digits")
        quadrant = path.parent.name.upper()
        if quadrant not in MER_QUADRANTS:
            raise _BadName(f"folder {path.parent.name!r} is not one of Q1..Q4")
        row = self.meta.get(song)
        if row is None:
            raise _BadName(f"song {song} is not in {_METADATA}")
        listed = row["Quadrant"].strip().upper()
        if listed != quadrant:
            raise _BadName(f"in folder {quadrant} but {_METADATA} says {listed}")
        artist = row["Artist"].strip()
        return {
            "song": song,
            "quadrant": quadrant,
            "label": MER_QUADRANTS[quadrant],
            "artist": artist,
            "group": artist or UNKNOWN_ARTIST,
            "title": row.get("Title", ""),
            "moods": row.get("MoodsStrSplit", ""),
            "genres": row.get("GenresStr", ""),
            "pquad": float(row["PQuad"]) if row.get("PQuad") else float("nan"),
        }


MER_4Q = CorpusSpec(
    name="mer_4q",
    title="MER 4Q",
    description="MER 4Q music emotion, Russell's quadrants (artists as groups)",
    folders=tuple(_NAMES),
    pattern=_SONG_RE,
    scheme=_SCHEME,
    parser_for_root=_Parser,
    columns=tuple(_COLUMNS),
    descr=_descr.MER_4Q,
    target="label",
    group="group",
    dtypes={"pquad": "float64"},
)


def _check_quadrants(quadrants):
    if quadrants is None:
        return tuple(MER_QUADRANTS)
    if isinstance(quadrants, str):
        q = (quadrants,)
    elif isinstance(quadrants, (list, tuple, set, frozenset)):
        q = tuple(quadrants)
    else:
        q = ()
    if not q or any(x not in MER_QUADRANTS for x in q) or len(set(q)) != len(q):
        raise ValueError(
            "quadrants must be None or distinct names from "
            f"{tuple(MER_QUADRANTS)} (MER_S4_QUADRANTS for S4's three classes). "
            f"Received: quadrants={quadrants!r}"
        )
    return q


def load_mer_4q(
    data_home=None,
    *,
    quadrants=None,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load the MER four-quadrant music emotion dataset as paths, labels, artists.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The dataset folder itself (holding ``Q1/ .. Q4/`` and
        ``panda_dataset_taffc_metadata.csv``), or a folder holding it as
        ``mer_4q``, ``MER_audio_taffc_dataset``, ``mer_taffc`` or ``mer``
        (case-insensitive, up to two levels down). None: the ``SER_DATA``
        environment variable, else ``~/sklearn_ser_data``.
    quadrants : sequence of {"Q1", "Q2", "Q3", "Q4"} or None, default=None
        Keep only these quadrants (None: all four).
        ``MER_S4_QUADRANTS = ("Q1", "Q2", "Q3")`` gives S4's three classes
        (joyful, aggressive, sad).
    return_X_y : bool, default=False
        If True, return ``(X, y)`` (file paths and labels; ``pandas.Series``
        when ``as_frame``) instead of a Bunch.
    as_frame : bool, default=False
        If True, ``frame`` is a :class:`pandas.DataFrame` of the metadata.
    verify : bool, default=False
        If True, check the audio files against the folder's ``MANIFEST.tsv``
        (columns path, seconds, sha256) and raise ``OSError`` listing
        missing, extra and altered files.
    on_bad_name : {'raise', 'warn'}, default='raise'
        What to do with audio files that do not follow the layout, are not
        in the metadata, or sit in another quadrant's folder than the
        metadata says: raise a ``ValueError`` naming them, or skip them
        with a warning naming them.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (= ``filenames``): ndarray of str, audio paths sorted by
        path; ``target``: quadrant labels (``Q1_happy``, ``Q2_angry``,
        ``Q3_sad``, ``Q4_calm``); ``target_names``: the sorted labels;
        ``groups``: the artist of each song (``<unknown artist>`` where
        the metadata has none); ``metadata``: dict of column -> object
        ndarray (path, song, quadrant, artist, title, moods, genres,
        pquad); ``frame``: DataFrame of the same when ``as_frame``;
        ``DESCR``: source, labels, protocols and citation.
    (X, y) : tuple
        When ``return_X_y=True``.

    Raises
    ------
    FileNotFoundError
        When the dataset or its metadata CSV is not found; the message
        says where the loader looked.

    Warns
    -----
    UserWarning
        When the metadata lists songs of the requested quadrants whose
        audio file is missing (their number and the first ids).

    Examples
    --------
    >>> from sklearn_ser.datasets import MER_S4_QUADRANTS, load_mer_4q
    >>> b = load_mer_4q()  # doctest: +SKIP
    >>> b.data.shape, list(b.target_names), len(set(b.groups))  # doctest: +SKIP
    ((900,), ['Q1_happy', 'Q2_angry', 'Q3_sad', 'Q4_calm'], 662)
    >>> load_mer_4q(quadrants=MER_S4_QUADRANTS).data.shape  # doctest: +SKIP
    (675,)
    """
    wanted = _check_quadrants(quadrants)
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    root, files = spec_files(MER_4Q, data_home, verify=verify)
    parse = _Parser(root)
    records = spec_parse(MER_4Q, root, files, on_bad_name=on_bad_name, parse=parse)
    _warn_missing_audio(root, parse.meta, records, wanted)
    records = [r for r in records if r["quadrant"] in wanted]
    return spec_bunch(MER_4Q, records, as_frame=as_frame, return_X_y=return_X_y)


def _warn_missing_audio(root, meta, records, quadrants):
    """Warn about songs of ``quadrants`` in the metadata with no audio file."""
    found = {r["song"] for r in records}
    absent = sorted(
        s
        for s, row in meta.items()
        if row["Quadrant"].strip().upper() in quadrants and s not in found
    )
    if absent:
        warnings.warn(
            f"MER 4Q at {root}: {len(absent)} song(s) of {_METADATA} have no audio "
            f"file: {', '.join(absent[:10])}{' ...' if len(absent) > 10 else ''}",
            UserWarning,
            stacklevel=3,
        )
