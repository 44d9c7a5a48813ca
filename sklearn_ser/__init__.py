"""sklearn-ser: scikit-learn-style speech and music emotion recognition.

Every feature extractor is a scikit-learn Transformer and every network a
scikeras ``KerasClassifier``, so a whole system is one :class:`Pipeline`.

Importing ``sklearn_ser`` does not import TensorFlow; ``sklearn_ser.models``
loads it on first use.
"""

import importlib

from ._persistence import (
    IncompatibleModelError,
    load_model,
    read_model_header,
    save_model,
)
from ._pipeline import Pipeline, make_pipeline
from ._version import __version__

_SUBMODULES = [
    "augment",
    "cli",
    "datasets",
    "features",
    "io",
    "metrics",
    "model_selection",
    "models",
    "plotting",
    "timeline",
    "preprocessing",
    "utils",
]

__all__ = [
    "IncompatibleModelError",
    "Pipeline",
    "__version__",
    "load_model",
    "make_pipeline",
    "read_model_header",
    "save_model",
    *_SUBMODULES,
]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
