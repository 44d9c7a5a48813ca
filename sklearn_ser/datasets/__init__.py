"""Corpus loaders returning scikit-learn Bunches with speaker groups.

Every loader returns ``data`` = audio file paths (the toolkit's X),
``target`` = label strings and ``groups`` = speaker ids, plus the parsed
metadata (``metadata``, and ``frame`` when ``as_frame=True``) and ``DESCR``.
Corpora are found under ``data_home`` (argument, else the ``SER_DATA``
environment variable, else ``~/sklearn_ser_data``).
"""

from ._base import AUDIO_EXTENSIONS, DATA_HOME_ENV, get_data_home
from ._corpora import (
    TESS_ACTORS,
    TESS_TO_RAVDESS,
    load_crema_d,
    load_emodb,
    load_folder,
    load_ravdess,
    load_ravdess_tess,
    load_tess,
    load_turev_db,
)
from ._fetch import RAVDESS_SPEECH_MD5, RAVDESS_SPEECH_URL, fetch_ravdess
from ._mer import MER_QUADRANTS, MER_S4_QUADRANTS, load_mer_4q
from ._sample import SAMPLE_DIR, load_sample

__all__ = [
    "AUDIO_EXTENSIONS",
    "DATA_HOME_ENV",
    "MER_QUADRANTS",
    "MER_S4_QUADRANTS",
    "RAVDESS_SPEECH_MD5",
    "RAVDESS_SPEECH_URL",
    "SAMPLE_DIR",
    "TESS_ACTORS",
    "TESS_TO_RAVDESS",
    "fetch_ravdess",
    "get_data_home",
    "load_crema_d",
    "load_emodb",
    "load_folder",
    "load_mer_4q",
    "load_ravdess",
    "load_ravdess_tess",
    "load_sample",
    "load_tess",
    "load_turev_db",
]
