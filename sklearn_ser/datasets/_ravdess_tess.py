"""RAVDESS, TESS and their combination (S0's table), as :class:`CorpusSpec` rows.

RAVDESS is the one row whose loader has an option of its own
(``vocal_channel``: its speech and song parts may sit in two roots); TESS is
a plain row; RAVDESS + TESS combines the two and renames TESS's speakers and
emotions into RAVDESS's vocabulary.
"""

import re

from . import _descr
from ._base import _VOCAL, _BadName, _check_choice, _compile, _verify_root
from ._spec import (
    CorpusSpec,
    _check_common,
    _doc,
    row_loader,
    spec_bunch,
    spec_files,
    spec_parse,
    spec_records,
)

__all__ = [
    "RAVDESS",
    "RAVDESS_TESS",
    "TESS",
    "TESS_ACTORS",
    "TESS_TO_RAVDESS",
    "load_ravdess",
    "load_ravdess_tess",
    "load_tess",
]

# --------------------------------------------------------------------------- #
# RAVDESS
# --------------------------------------------------------------------------- #

RAVDESS_EMOTIONS = {
    1: "neutral",
    2: "calm",
    3: "happy",
    4: "sad",
    5: "angry",
    6: "fearful",
    7: "disgust",
    8: "surprised",
}
_RAVDESS_MODALITY = {1: "full-AV", 2: "video-only", 3: "audio-only"}
_RAVDESS_CHANNEL = {1: "speech", 2: "song"}
_RAVDESS_INTENSITY = {1: "normal", 2: "strong"}
_RAVDESS_STATEMENT = {
    1: "Kids are talking by the door",
    2: "Dogs are sitting by the door",
}
_RAVDESS_RE = _compile(r"^\d{2}(-\d{2}){6}$")
_RAVDESS_SCHEME = "MM-VV-EE-II-SS-RR-AA (e.g. 03-01-06-01-02-01-12.wav)"
_RAVDESS_NAMES = {
    "speech": ["ravdess_speech", "Audio_Speech_Actors_01-24", "ravdess"],
    "song": ["ravdess_song", "Audio_Song_Actors_01-24", "ravdess"],
}
_RAVDESS_COLUMNS = [
    "path",
    "speaker",
    "actor",
    "gender",
    "modality",
    "vocal_channel",
    "emotion",
    "intensity",
    "statement",
    "repetition",
]


def _field(value, table, what):
    if value not in table:
        raise _BadName(f"{what} code {value:02d} is not one of {sorted(table)}")
    return table[value]


def _parse_ravdess(path):
    stem = path.stem
    if not _RAVDESS_RE.match(stem):
        raise _BadName("expected 7 dash-separated two-digit fields")
    mod, voc, emo, inten, stat, rep, actor = (int(f) for f in stem.split("-"))
    if not 1 <= actor <= 24:
        raise _BadName(f"actor {actor:02d} is not in 01-24")
    if emo == 1 and inten == 2:
        raise _BadName("neutral has no strong intensity (02)")
    m = re.fullmatch(r"actor_(\d+)", path.parent.name, re.IGNORECASE)
    if m and int(m.group(1)) != actor:
        raise _BadName(f"file of actor {actor:02d} in folder {path.parent.name}")
    return {
        "speaker": f"Actor_{actor:02d}",
        "actor": actor,
        "gender": "male" if actor % 2 else "female",
        "modality": _field(mod, _RAVDESS_MODALITY, "modality"),
        "vocal_channel": _field(voc, _RAVDESS_CHANNEL, "vocal channel"),
        "emotion": _field(emo, RAVDESS_EMOTIONS, "emotion"),
        "intensity": _field(inten, _RAVDESS_INTENSITY, "intensity"),
        "statement": _field(stat, {1: 1, 2: 2}, "statement"),
        "repetition": _field(rep, {1: 1, 2: 2}, "repetition"),
    }


RAVDESS = CorpusSpec(
    name="ravdess",
    title="RAVDESS",
    description="RAVDESS audio-only speech (24 actors, 8 emotions)",
    folders=tuple(_RAVDESS_NAMES["speech"]),
    pattern=_RAVDESS_RE,
    scheme=_RAVDESS_SCHEME,
    parse=_parse_ravdess,
    columns=tuple(_RAVDESS_COLUMNS),
    descr=_descr.RAVDESS,
    dtypes={"actor": "int64", "statement": "int64", "repetition": "int64"},
    fetch_hint="For RAVDESS speech, fetch_ravdess() downloads the official archive.",
)


def _ravdess_records(
    data_home, vocal_channel, verify, on_bad_name, loader="load_ravdess"
):
    """Parsed RAVDESS records of the requested vocal channel(s).

    The speech and song parts may sit in two roots (their archives unpack
    to two folders), so each requested channel's root is found, the files of
    all roots are parsed together and the records filtered by channel.
    """
    channels = ["speech", "song"] if vocal_channel == "all" else [vocal_channel]
    found = {}
    for ch in channels:
        root, fs = spec_files(
            RAVDESS,
            data_home,
            verify=False,
            loader=loader,
            folders=_RAVDESS_NAMES[ch],
            title=f"RAVDESS ({ch})",
            fetch_hint=None if ch == "speech" else "",
        )
        found.setdefault(root, fs)
    roots, files = list(found), []
    for root, fs in found.items():
        if verify:
            _verify_root(root, fs, "RAVDESS")
        files.extend(fs)
    records = spec_parse(RAVDESS, None, sorted(set(files)), on_bad_name=on_bad_name)
    out = []
    for ch in channels:
        sel = [r for r in records if r["vocal_channel"] == ch]
        if not sel:
            raise FileNotFoundError(
                f"RAVDESS: no {ch} files (vocal channel "
                f"{'01' if ch == 'speech' else '02'}) under "
                f"{', '.join(map(str, roots))}. "
                f"Point data_home at the folder holding "
                f"{_RAVDESS_NAMES[ch][1]}/ (or {_RAVDESS_NAMES[ch][0]}/), or choose "
                "vocal_channel='speech'|'song'|'all'. "
                f"Received: vocal_channel={vocal_channel!r}"
            )
        out.extend(sel)
    return out


@_doc
def load_ravdess(
    data_home=None,
    *,
    vocal_channel="speech",
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load the audio-only RAVDESS (speech and/or song) as file paths and labels.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The corpus folder itself (one that holds the ``Actor_NN`` folders
        or the files), or a folder holding it under one of the names
        ``ravdess_speech``, ``Audio_Speech_Actors_01-24``, ``ravdess_song``,
        ``Audio_Song_Actors_01-24`` or ``ravdess`` (case-insensitive, up to
        two levels down). None: the ``SER_DATA`` environment variable, else
        ``~/sklearn_ser_data``. Sub-folders are searched recursively; any
        audio extension (.wav, .flac, .ogg, .aiff, .mp3, ...) is accepted.
    vocal_channel : {'speech', 'song', 'all'}, default='speech'
        Which files to return, by the name's vocal-channel field. Each
        requested channel must be present, else ``FileNotFoundError``.
    %(common)s

    Returns
    -------
    %(returns)s

    Raises
    ------
    FileNotFoundError
        When the corpus is not found; the message says where the loader
        looked and how to point at the corpus.

    Examples
    --------
    >>> from sklearn_ser.datasets import load_ravdess
    >>> b = load_ravdess()  # doctest: +SKIP
    >>> b.data.shape, b.target_names.size, len(set(b.groups))  # doctest: +SKIP
    ((1440,), 8, 24)
    """
    _check_choice("vocal_channel", vocal_channel, _VOCAL)
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    records = _ravdess_records(data_home, vocal_channel, verify, on_bad_name)
    return spec_bunch(RAVDESS, records, as_frame=as_frame, return_X_y=return_X_y)


# --------------------------------------------------------------------------- #
# TESS
# --------------------------------------------------------------------------- #

_TESS_EMOTIONS = {
    "angry": "angry",
    "disgust": "disgust",
    "fear": "fear",
    "happy": "happy",
    "neutral": "neutral",
    "ps": "pleasant_surprise",
    "sad": "sad",
}
_TESS_SPEAKERS = {"OAF": ("female", 64), "YAF": ("female", 26)}
_TESS_RE = _compile(r"^(OAF|YAF)_.+_(angry|disgust|fear|happy|neutral|ps|sad)$")
_TESS_SCHEME = "SPEAKER_word_emotion (e.g. OAF_back_angry.wav)"
_TESS_NAMES = [
    "tess",
    "TESS Toronto emotional speech set data",
    "TESS_Toronto_emotional_speech_set_data",
    "TESS_Toronto_emotional_speech_set",
    "TESS Toronto emotional speech set",
]
_TESS_COLUMNS = ["path", "speaker", "gender", "age", "word", "emotion"]


def _parse_tess(path):
    parts = path.stem.split("_")
    if len(parts) < 3:
        raise _BadName("expected SPEAKER_word_emotion")
    speaker, emotion = parts[0].upper(), parts[-1].lower()
    if speaker not in _TESS_SPEAKERS:
        # The original distribution has one misnamed file,
        # OAF_neutral/OA_bite_neutral.wav: take the speaker from the folder
        # when the folder is unambiguous.
        folder = path.parent.name.split("_")[0].upper()
        if folder not in _TESS_SPEAKERS or not folder.startswith(speaker):
            raise _BadName(f"speaker {parts[0]!r} is not OAF or YAF")
        speaker = folder
    if emotion not in _TESS_EMOTIONS:
        raise _BadName(
            f"emotion field {parts[-1]!r} is not one of {', '.join(_TESS_EMOTIONS)}"
        )
    gender, age = _TESS_SPEAKERS[speaker]
    return {
        "speaker": speaker,
        "gender": gender,
        "age": age,
        "word": "_".join(parts[1:-1]),
        "emotion": _TESS_EMOTIONS[emotion],
    }


TESS = CorpusSpec(
    name="tess",
    title="TESS",
    description="TESS (2 speakers, 7 emotions)",
    folders=tuple(_TESS_NAMES),
    pattern=_TESS_RE,
    scheme=_TESS_SCHEME,
    parse=_parse_tess,
    columns=tuple(_TESS_COLUMNS),
    descr=_descr.TESS,
    dtypes={"age": "int64"},
)


load_tess = row_loader(
    TESS,
    """Load the Toronto Emotional Speech Set (TESS) as file paths and labels.

    The emotion is read from the last field of each file name (``ps`` is
    pleasant surprise), never from the folder name. The speaker is the first
    field; the original corpus has one file with a truncated speaker field,
    ``OAF_neutral/OA_bite_neutral``, whose speaker is then taken from its
    folder (only when the field is a prefix of the folder's OAF/YAF).

    Parameters
    ----------
    data_home : str or path-like, default=None
        The corpus folder itself, or a folder holding it as ``tess``,
        ``TESS Toronto emotional speech set data`` or
        ``TESS_Toronto_emotional_speech_set_data`` (case-insensitive, up to
        two levels down). None: ``SER_DATA``, else ``~/sklearn_ser_data``.
    %(common)s

    Returns
    -------
    %(returns)s
        Labels: angry, disgust, fear, happy, neutral, pleasant_surprise,
        sad; groups: 'OAF', 'YAF'.

    Examples
    --------
    >>> from sklearn_ser.datasets import load_tess
    >>> b = load_tess()  # doctest: +SKIP
    >>> sorted(set(b.groups))  # doctest: +SKIP
    ['OAF', 'YAF']
    """,
)


# --------------------------------------------------------------------------- #
# RAVDESS + TESS (S0)
# --------------------------------------------------------------------------- #

#: TESS emotion -> the combined table's (RAVDESS) vocabulary.
TESS_TO_RAVDESS = {"fear": "fearful", "pleasant_surprise": "surprised"}
#: TESS speaker -> actor number in the combined table (S0).
TESS_ACTORS = {"YAF": 25, "OAF": 26}
_S0_COLUMNS = [
    "path",
    "source",
    "actor",
    "gender",
    "intensity",
    "statement",
    "repetition",
    "emotion",
]


RAVDESS_TESS = CorpusSpec(
    name="ravdess_tess",
    title="RAVDESS + TESS",
    description="RAVDESS + TESS merged as in S0 (26 speakers)",
    folders=(),
    pattern=None,
    scheme="",
    parse=None,  # combines the RAVDESS and TESS rows
    columns=tuple(_S0_COLUMNS),
    descr=_descr.RAVDESS_TESS,
    dtypes={"actor": "int64", "repetition": "Int64"},
)


@_doc
def load_ravdess_tess(
    data_home=None,
    *,
    ravdess_home=None,
    tess_home=None,
    vocal_channel="speech",
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load RAVDESS and TESS as one table, as system S0 merges them.

    TESS's speakers become actors 25 (YAF) and 26 (OAF). Columns (in
    ``metadata`` and ``frame``): path, source ('RAVDESS' or 'TESS'), actor
    (1-26), gender, intensity ('normal'/'strong'; None for TESS, which has
    none), statement (the spoken sentence: "Kids are talking by the door",
    "Dogs are sitting by the door", or TESS's "Say the word <word>"),
    repetition (1/2; None for TESS), emotion.

    **Emotion vocabulary.** The combined table uses RAVDESS's eight words:
    neutral, calm, happy, sad, angry, fearful, disgust, surprised. TESS's
    'fear' becomes 'fearful' and 'pleasant_surprise' (file name field
    ``ps``) becomes 'surprised'; the other TESS words already match
    (TESS has no 'calm').

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding both corpora (see :func:`load_ravdess` and
        :func:`load_tess` for the folder names looked for).
    ravdess_home, tess_home : str or path-like, default=None
        Where each corpus is, when not both under ``data_home``.
    vocal_channel : {'speech', 'song', 'all'}, default='speech'
        RAVDESS part: S0's 5252-image set is speech + song + TESS
        (``'all'``); this project ships the speech part only.
    %(common)s

    Returns
    -------
    %(returns)s
        ``groups`` is ``'Actor_NN'`` (``'Actor_25'`` = YAF, ``'Actor_26'``
        = OAF).
    """
    _check_choice("vocal_channel", vocal_channel, _VOCAL)
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    rav = _ravdess_records(
        data_home if ravdess_home is None else ravdess_home,
        vocal_channel,
        verify,
        on_bad_name,
        loader="load_ravdess_tess",
    )
    tess = spec_records(
        TESS,
        data_home if tess_home is None else tess_home,
        verify=verify,
        on_bad_name=on_bad_name,
        loader="load_ravdess_tess",
    )
    records = []
    for r in rav:
        records.append(
            {
                "path": r["path"],
                "source": "RAVDESS",
                "actor": r["actor"],
                "gender": r["gender"],
                "intensity": r["intensity"],
                "statement": _RAVDESS_STATEMENT[r["statement"]],
                "repetition": r["repetition"],
                "emotion": r["emotion"],
                "speaker": r["speaker"],
            }
        )
    for r in tess:
        actor = TESS_ACTORS[r["speaker"]]
        records.append(
            {
                "path": r["path"],
                "source": "TESS",
                "actor": actor,
                "gender": r["gender"],
                "intensity": None,
                "statement": f"Say the word {r['word']}",
                "repetition": None,
                "emotion": TESS_TO_RAVDESS.get(r["emotion"], r["emotion"]),
                "speaker": f"Actor_{actor:02d}",
            }
        )
    return spec_bunch(RAVDESS_TESS, records, as_frame=as_frame, return_X_y=return_X_y)
