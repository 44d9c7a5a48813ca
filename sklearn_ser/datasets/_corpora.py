"""TurEV-DB, CREMA-D and EMO-DB, as :class:`CorpusSpec` rows.

Each corpus is its label map, its name parser and a row; its public loader
is :func:`~sklearn_ser.datasets._spec.row_loader` of the row and its
docstring (the loaders' one signature, :func:`load_spec` behind it).
"""

import re

from . import _descr
from ._base import _BadName, _compile
from ._spec import CorpusSpec, row_loader

__all__ = [
    "CREMA_D",
    "EMODB",
    "TUREV_DB",
    "load_crema_d",
    "load_emodb",
    "load_turev_db",
]

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


TUREV_DB = CorpusSpec(
    name="turev_db",
    title="TurEV-DB",
    description="TurEV-DB Turkish emotional voices (4 emotions)",
    folders=tuple(_TUREV_NAMES),
    pattern=_TUREV_RE,
    scheme=_TUREV_SCHEME,
    parse=_parse_turev,
    columns=tuple(_TUREV_COLUMNS),
    descr=_descr.TUREV_DB,
)


load_turev_db = row_loader(
    TUREV_DB,
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
    """,
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


CREMA_D = CorpusSpec(
    name="crema_d",
    title="CREMA-D",
    description="CREMA-D crowd-sourced emotional actors (91 actors, 6 emotions)",
    folders=tuple(_CREMA_NAMES),
    pattern=_CREMA_RE,
    scheme=_CREMA_SCHEME,
    parse=_parse_crema,
    columns=tuple(_CREMA_COLUMNS),
    descr=_descr.CREMA_D,
    dtypes={"actor": "int64"},
)


load_crema_d = row_loader(
    CREMA_D,
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
    """,
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


EMODB = CorpusSpec(
    name="emodb",
    title="EMO-DB",
    description="EMO-DB Berlin emotional speech (10 speakers, 7 emotions)",
    folders=tuple(_EMODB_NAMES),
    pattern=_EMODB_RE,
    scheme=_EMODB_SCHEME,
    parse=_parse_emodb,
    columns=tuple(_EMODB_COLUMNS),
    descr=_descr.EMODB,
)


load_emodb = row_loader(
    EMODB,
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
    """,
)
