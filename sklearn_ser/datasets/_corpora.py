"""Loaders of the emotion corpora: RAVDESS, TESS, TurEV-DB, CREMA-D, EMO-DB,
RAVDESS+TESS (S0's combined table) and any one-folder-per-class tree.

Every loader returns a :class:`~sklearn.utils.Bunch` whose ``data`` are the
audio file paths (the toolkit's data contract: X is a 1-D array of paths),
``target`` the label strings and ``groups`` the speaker ids, so a
speaker-independent evaluation is ``GroupKFold().split(b.data, b.target,
b.groups)``.
"""

import os
import re
from pathlib import Path

from . import _descr
from ._base import (
    _ON_BAD_NAME,
    _VOCAL,
    _BadName,
    _check_choice,
    _check_flag,
    _compile,
    _find_roots,
    _list_audio,
    _make_bunch,
    _missing_error,
    _parse_all,
    _skip_dir,
    _verify_root,
)

__all__ = [
    "load_ravdess",
    "load_tess",
    "load_ravdess_tess",
    "load_turev_db",
    "load_crema_d",
    "load_emodb",
    "load_folder",
]

_COMMON_PARAMS = """\
    return_X_y : bool, default=False
        If True, return ``(X, y)``: the file paths and the label strings
        (``pandas.Series`` of both when ``as_frame=True``) instead of a
        Bunch. Speaker groups are not part of the tuple, to keep
        scikit-learn's two-element contract; use the Bunch's ``groups``
        for speaker-independent splits.
    as_frame : bool, default=False
        If True, ``frame`` is a :class:`pandas.DataFrame` of all the parsed
        metadata (one row per file, in ``filenames`` order). pandas is only
        imported then.
    verify : bool, default=False
        If True, check the files under the corpus root against its
        ``MANIFEST.tsv`` (columns path, seconds, sha256) and raise
        ``OSError`` listing missing, extra and altered files. Warns when the
        root has no manifest.
    on_bad_name : {'raise', 'warn'}, default='raise'
        What to do with audio files whose names do not follow the corpus'
        name scheme (or that duplicate another file's recording): raise a
        ``ValueError`` naming them, or skip them with a warning that names
        them. Files are never dropped silently."""

_RETURNS = """\
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (= ``filenames``): ndarray of str, the audio paths sorted
        by path; ``target``: ndarray of str labels; ``target_names``: the
        sorted unique labels; ``groups``: ndarray of str speaker ids;
        ``metadata``: dict of column name -> object ndarray with every
        parsed field; ``frame``: DataFrame of the same when ``as_frame``,
        else None; ``DESCR``: source, license, citation and name scheme.
    (X, y) : tuple
        When ``return_X_y=True``."""


def _doc(func):
    func.__doc__ = func.__doc__.replace("    %(common)s", _COMMON_PARAMS).replace(
        "    %(returns)s", _RETURNS
    )
    return func


def _check_common(return_X_y, as_frame, verify, on_bad_name):
    _check_flag("return_X_y", return_X_y)
    _check_flag("as_frame", as_frame)
    _check_flag("verify", verify)
    _check_choice("on_bad_name", on_bad_name, _ON_BAD_NAME)


def _gather(data_home, *, corpus, names, name_re, loader, verify, fetch_hint=""):
    """Find the corpus root, list its audio files and optionally verify."""
    roots, looked = _find_roots(data_home, names, name_re)
    if not roots:
        raise _missing_error(corpus, data_home, looked, loader, fetch_hint)
    root = roots[0]
    files = _list_audio(root)
    if verify:
        _verify_root(root, files, corpus)
    return root, files


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
_FETCH_HINT = "For RAVDESS speech, fetch_ravdess() downloads the official archive."


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


def _ravdess_records(
    data_home, vocal_channel, verify, on_bad_name, loader="load_ravdess"
):
    """Parsed RAVDESS records of the requested vocal channel(s)."""
    channels = ["speech", "song"] if vocal_channel == "all" else [vocal_channel]
    roots = []
    for ch in channels:
        found, looked = _find_roots(data_home, _RAVDESS_NAMES[ch], _RAVDESS_RE)
        if not found:
            raise _missing_error(
                f"RAVDESS ({ch})",
                data_home,
                looked,
                loader,
                _FETCH_HINT if ch == "speech" else "",
            )
        if found[0] not in roots:
            roots.append(found[0])
    files = []
    for root in roots:
        fs = _list_audio(root)
        if verify:
            _verify_root(root, fs, "RAVDESS")
        files.extend(fs)
    records = _parse_all(
        sorted(set(files)),
        _parse_ravdess,
        corpus="RAVDESS",
        scheme=_RAVDESS_SCHEME,
        on_bad_name=on_bad_name,
    )
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
    return _make_bunch(
        records,
        columns=_RAVDESS_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.RAVDESS,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtypes={"actor": "int64", "statement": "int64", "repetition": "int64"},
    )


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


def _tess_records(data_home, verify, on_bad_name, loader="load_tess"):
    _, files = _gather(
        data_home,
        corpus="TESS",
        names=_TESS_NAMES,
        name_re=_TESS_RE,
        loader=loader,
        verify=verify,
    )
    return _parse_all(
        files, _parse_tess, corpus="TESS", scheme=_TESS_SCHEME, on_bad_name=on_bad_name
    )


@_doc
def load_tess(
    data_home=None,
    *,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
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
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    records = _tess_records(data_home, verify, on_bad_name)
    return _make_bunch(
        records,
        columns=_TESS_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.TESS,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtypes={"age": "int64"},
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
    tess = _tess_records(
        data_home if tess_home is None else tess_home,
        verify,
        on_bad_name,
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
    return _make_bunch(
        records,
        columns=_S0_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.RAVDESS_TESS,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtypes={"actor": "int64", "repetition": "Int64"},
    )


# --------------------------------------------------------------------------- #
# TurEV-DB
# --------------------------------------------------------------------------- #

_TUREV_CODES = {"kz": "angry", "sk": "calm", "mt": "happy", "hl": "sad"}
_TUREV_RE = _compile(r"^[^_]+_(kz|sk|mt|hl)_.+$")
_TUREV_SCHEME = "<Emotion>/<speaker>_<code>_<word> with code kz, sk, mt or hl"
_TUREV_NAMES = ["turev_db", "TurEV-DB", "turevdb", "TurEV", "Sound Source"]
_TUREV_COLUMNS = ["path", "speaker", "emotion_code", "word", "emotion"]


def _parse_turev(path):
    parts = path.stem.split("_")
    if len(parts) < 3 or not parts[0] or not parts[-1]:
        raise _BadName("expected <speaker>_<code>_<word>")
    code = parts[1].lower()
    if code not in _TUREV_CODES:
        raise _BadName(f"emotion code {parts[1]!r} is not one of kz, sk, mt, hl")
    emotion = _TUREV_CODES[code]
    folder = path.parent.name.lower()
    if folder in _TUREV_CODES.values() and folder != emotion:
        raise _BadName(
            f"code {code!r} means {emotion} but the file is in {path.parent.name}/"
        )
    return {
        "speaker": parts[0],
        "emotion_code": code,
        "word": "_".join(parts[2:]),
        "emotion": emotion,
    }


@_doc
def load_turev_db(
    data_home=None,
    *,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load the Turkish Emotional Voice Database (TurEV-DB).

    Parameters
    ----------
    data_home : str or path-like, default=None
        The corpus folder itself (holding ``Angry/``, ``Calm/``, ``Happy/``,
        ``Sad/``), or a folder holding it as ``turev_db``, ``TurEV-DB`` or
        ``TurEV`` (case-insensitive, up to two levels down). None:
        ``SER_DATA``, else ``~/sklearn_ser_data``.
    %(common)s

    Returns
    -------
    %(returns)s
        Labels: angry, calm, happy, sad; groups: the speaker field.
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    _, files = _gather(
        data_home,
        corpus="TurEV-DB",
        names=_TUREV_NAMES,
        name_re=_TUREV_RE,
        loader="load_turev_db",
        verify=verify,
    )
    records = _parse_all(
        files,
        _parse_turev,
        corpus="TurEV-DB",
        scheme=_TUREV_SCHEME,
        on_bad_name=on_bad_name,
    )
    return _make_bunch(
        records,
        columns=_TUREV_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.TUREV_DB,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )


# --------------------------------------------------------------------------- #
# CREMA-D
# --------------------------------------------------------------------------- #

_CREMA_EMOTIONS = {
    "ANG": "angry",
    "DIS": "disgust",
    "FEA": "fear",
    "HAP": "happy",
    "NEU": "neutral",
    "SAD": "sad",
}
_CREMA_LEVELS = {"LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"}
_CREMA_SENTENCES = {
    "IEO": "It's eleven o'clock",
    "TIE": "That is exactly what happened",
    "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about",
    "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold",
    "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment",
    "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before",
    "TSI": "The surface is slick",
    "WSI": "We'll stop in a couple of minutes",
}
_CREMA_RE = re.compile(r"^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$")
_CREMA_SCHEME = "ActorID_Sentence_Emotion_Level (e.g. 1001_DFA_ANG_XX.wav)"
_CREMA_NAMES = ["crema_d", "CREMA-D", "crema", "AudioWAV"]
_CREMA_COLUMNS = [
    "path",
    "speaker",
    "actor",
    "sentence",
    "statement",
    "emotion_code",
    "level",
    "emotion",
]


def _parse_crema(path):
    m = _CREMA_RE.match(path.stem)
    if not m:
        raise _BadName(
            "expected 4-digit actor id, then 3-, 3- and 2-letter upper-case codes"
        )
    actor, sent, emo, level = m.groups()
    if sent not in _CREMA_SENTENCES:
        raise _BadName(
            f"sentence code {sent!r} is not one of {', '.join(_CREMA_SENTENCES)}"
        )
    if emo not in _CREMA_EMOTIONS:
        raise _BadName(
            f"emotion code {emo!r} is not one of {', '.join(_CREMA_EMOTIONS)}"
        )
    if level not in _CREMA_LEVELS:
        raise _BadName(f"level {level!r} is not one of {', '.join(_CREMA_LEVELS)}")
    return {
        "speaker": actor,
        "actor": int(actor),
        "sentence": sent,
        "statement": _CREMA_SENTENCES[sent],
        "emotion_code": emo,
        "level": _CREMA_LEVELS[level],
        "emotion": _CREMA_EMOTIONS[emo],
    }


@_doc
def load_crema_d(
    data_home=None,
    *,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load CREMA-D (Crowd-sourced Emotional Multimodal Actors Dataset) audio.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The corpus folder itself, or a folder holding it as ``crema_d``,
        ``CREMA-D`` or ``AudioWAV`` (case-insensitive, up to two levels
        down). None: ``SER_DATA``, else ``~/sklearn_ser_data``.
    %(common)s

    Returns
    -------
    %(returns)s
        Labels: angry, disgust, fear, happy, neutral, sad; groups: the
        4-digit actor id ('1001' ... '1091').
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    _, files = _gather(
        data_home,
        corpus="CREMA-D",
        names=_CREMA_NAMES,
        name_re=_CREMA_RE,
        loader="load_crema_d",
        verify=verify,
    )
    records = _parse_all(
        files,
        _parse_crema,
        corpus="CREMA-D",
        scheme=_CREMA_SCHEME,
        on_bad_name=on_bad_name,
    )
    return _make_bunch(
        records,
        columns=_CREMA_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.CREMA_D,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtypes={"actor": "int64"},
    )


# --------------------------------------------------------------------------- #
# EMO-DB
# --------------------------------------------------------------------------- #

_EMODB_EMOTIONS = {
    "W": "anger",
    "L": "boredom",
    "E": "disgust",
    "A": "fear",
    "F": "happiness",
    "T": "sadness",
    "N": "neutral",
}
#: speaker -> (gender, age), from the EMO-DB documentation.
_EMODB_SPEAKERS = {
    "03": ("male", 31),
    "08": ("female", 34),
    "09": ("female", 21),
    "10": ("male", 32),
    "11": ("male", 26),
    "12": ("male", 30),
    "13": ("female", 32),
    "14": ("female", 35),
    "15": ("male", 25),
    "16": ("female", 31),
}
_EMODB_RE = re.compile(r"^(\d{2})([ab]\d{2})([WLEAFTN])([a-z])$")
_EMODB_SCHEME = (
    "SStttEv: speaker, text code, emotion letter, version (e.g. 03a01Fa.wav)"
)
_EMODB_NAMES = ["emodb", "EMO-DB", "emo_db", "berlin", "wav"]
_EMODB_COLUMNS = [
    "path",
    "speaker",
    "gender",
    "age",
    "text",
    "emotion_code",
    "version",
    "emotion",
]


def _parse_emodb(path):
    m = _EMODB_RE.match(path.stem)
    if not m:
        raise _BadName(
            "expected 2-digit speaker, text code [ab]NN, emotion letter W/L/E/A/F/T/N, "
            "version letter"
        )
    spk, text, emo, version = m.groups()
    gender, age = _EMODB_SPEAKERS.get(spk, (None, None))
    return {
        "speaker": spk,
        "gender": gender,
        "age": age,
        "text": text,
        "emotion_code": emo,
        "version": version,
        "emotion": _EMODB_EMOTIONS[emo],
    }


@_doc
def load_emodb(
    data_home=None,
    *,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load EMO-DB (Berlin Database of Emotional Speech).

    Parameters
    ----------
    data_home : str or path-like, default=None
        The corpus folder itself, or a folder holding it as ``emodb``,
        ``EMO-DB`` or ``wav`` (case-insensitive, up to two levels down).
        None: ``SER_DATA``, else ``~/sklearn_ser_data``.
    %(common)s

    Returns
    -------
    %(returns)s
        Labels: anger, boredom, disgust, fear, happiness, neutral, sadness;
        groups: the 2-digit speaker ('03' ... '16').
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    _, files = _gather(
        data_home,
        corpus="EMO-DB",
        names=_EMODB_NAMES,
        name_re=_EMODB_RE,
        loader="load_emodb",
        verify=verify,
    )
    records = _parse_all(
        files,
        _parse_emodb,
        corpus="EMO-DB",
        scheme=_EMODB_SCHEME,
        on_bad_name=on_bad_name,
    )
    return _make_bunch(
        records,
        columns=_EMODB_COLUMNS,
        target="emotion",
        group="speaker",
        descr=_descr.EMODB,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )


# --------------------------------------------------------------------------- #
# One folder per class
# --------------------------------------------------------------------------- #


def _speaker_parser(speaker):
    if speaker is None:
        return None
    if callable(speaker):
        return speaker
    if isinstance(speaker, str):
        try:
            rx = re.compile(speaker)
        except re.error as exc:
            raise ValueError(
                f"speaker must be a valid regular expression: {exc}. "
                f"Received: speaker={speaker!r}"
            ) from None

        def parse(path):
            m = rx.search(path.stem)
            if not m:
                raise _BadName(f"speaker pattern {speaker!r} does not match the stem")
            if "speaker" in rx.groupindex:
                return m.group("speaker")
            return m.group(1) if rx.groups else m.group(0)

        return parse
    raise ValueError(
        "speaker must be None, a regular expression (str) or a callable path -> str. "
        f"Received: speaker={speaker!r}"
    )


@_doc
def load_folder(
    root,
    *,
    speaker=None,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load any corpus laid out as one sub-folder per class.

    ``root/<label>/**/<file>``: the label is the name of the first-level
    sub-folder, files are found recursively below it (any audio extension;
    hidden files and folders skipped). Audio files directly in ``root``
    have no label and count as bad names.

    Parameters
    ----------
    root : str or path-like
        The folder holding the class sub-folders.
    speaker : None, str or callable, default=None
        How to get speaker groups. None: ``groups`` is None (a random split
        is then the only option; say so when reporting results). A regular
        expression is searched in each file stem and gives the group
        ``speaker`` (or the first group, or the whole match), e.g.
        ``r"^([^_]+)_"`` for ``<speaker>_...`` names. A callable gets the
        file's :class:`pathlib.Path` and returns the speaker id. A file the
        pattern does not match (or for which the callable raises
        ``ValueError``) is a bad name.
    %(common)s

    Returns
    -------
    %(returns)s
        ``target`` is the folder name; ``metadata`` / ``frame`` columns:
        path, label, speaker (when ``speaker`` is given).
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    parse_speaker = _speaker_parser(speaker)
    if root is None:
        raise ValueError("load_folder needs the corpus folder. Received: root=None")
    root = Path(os.path.expanduser(os.fspath(root)))
    if not root.is_dir():
        raise FileNotFoundError(
            f"load_folder: {root} is not a folder. Pass the folder that holds one "
            "sub-folder per class."
        )
    files = _list_audio(root)
    if verify:
        _verify_root(root, files, f"the corpus at {root}")

    def parse(path):
        rel = path.relative_to(root)
        if len(rel.parts) < 2:
            raise _BadName("not inside a class sub-folder, so it has no label")
        rec = {"label": rel.parts[0]}
        if parse_speaker is not None:
            try:
                rec["speaker"] = str(parse_speaker(path))
            except ValueError as exc:
                raise _BadName(str(exc)) from None
        return rec

    records = _parse_all(
        [Path(f) for f in files],
        parse,
        corpus="one-folder-per-class",
        scheme="<root>/<label>/<file>",
        on_bad_name=on_bad_name,
        key=lambda r: r["path"],
    )
    if not records:
        classes = [
            e.name for e in root.iterdir() if e.is_dir() and not _skip_dir(e.name)
        ]
        raise FileNotFoundError(
            f"load_folder: no audio files in class sub-folders of {root} "
            f"(sub-folders: {classes or 'none'})"
        )
    columns = ["path", "label"] + (["speaker"] if parse_speaker is not None else [])
    labels = sorted({r["label"] for r in records})
    descr = _descr.FOLDER.format(
        root=root,
        n=len(records),
        k=len(labels),
        classes=", ".join(labels),
        groups="None (no speaker given)"
        if parse_speaker is None
        else f"{len({r['speaker'] for r in records})} speakers, "
        f"parsed with {speaker!r}",
    )
    return _make_bunch(
        records,
        columns=columns,
        target="label",
        group="speaker" if parse_speaker is not None else None,
        descr=descr,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )
