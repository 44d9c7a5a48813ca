"""Corpus loaders returning scikit-learn Bunches with speaker groups.

Every loader returns ``data`` = audio file paths (the toolkit's X),
``target`` = label strings and ``groups`` = speaker ids, plus the parsed
metadata (``metadata``, and ``frame`` when ``as_frame=True``) and ``DESCR``.
The corpora are rows of one table, :data:`CORPORA` (name ->
:class:`CorpusSpec`), each read by its ``load_<name>``. Corpora are
found under ``data_home`` (argument, else the ``SER_DATA``
environment variable, else ``~/sklearn_ser_data``).
"""

from ._base import AUDIO_EXTENSIONS, DATA_HOME_ENV, get_data_home
from ._corpora import load_crema_d, load_emodb, load_turev_db
from ._fetch import RAVDESS_SPEECH_MD5, RAVDESS_SPEECH_URL, fetch_ravdess
from ._folder import load_folder
from ._ravdess_tess import (
    TESS_ACTORS,
    TESS_TO_RAVDESS,
    load_ravdess,
    load_ravdess_tess,
    load_tess,
)
from ._cross_corpus import CROSS_CORPUS_EMOTIONS, load_cross_corpus
from ._registry import CORPORA, get_corpus_spec, list_corpora
from ._mer import MER_QUADRANTS, MER_S4_QUADRANTS, load_mer_4q
from ._sample import SAMPLE_DIR, load_sample
from ._spec import CorpusSpec

__all__ = [
    "AUDIO_EXTENSIONS",
    "CORPORA",
    "CROSS_CORPUS_EMOTIONS",
    "CorpusSpec",
    "DATA_HOME_ENV",
    "MER_QUADRANTS",
    "MER_S4_QUADRANTS",
    "RAVDESS_SPEECH_MD5",
    "RAVDESS_SPEECH_URL",
    "SAMPLE_DIR",
    "TESS_ACTORS",
    "TESS_TO_RAVDESS",
    "fetch_ravdess",
    "get_corpus_spec",
    "get_data_home",
    "list_corpora",
    "load_crema_d",
    "load_cross_corpus",
    "load_emodb",
    "load_folder",
    "load_mer_4q",
    "load_ravdess",
    "load_ravdess_tess",
    "load_sample",
    "load_tess",
    "load_turev_db",
]
