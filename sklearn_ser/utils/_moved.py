"""Old import paths of classes that moved between modules.

A model file (:func:`sklearn_ser.save_model`, joblib, pickle) records each
class by the private module it was defined in. When a refactor moves a class,
the module it left keeps a module-level ``__getattr__`` (PEP 562) that
imports the class from its new home on first access, so models saved with
sklearn-ser 0.1 still load; nothing is imported until a pickle asks.
"""

import importlib

__all__ = ["moved_names"]


def moved_names(module, moves):
    """A module ``__getattr__`` resolving ``moves``: name -> new module path.

    Use as ``__getattr__ = moved_names(__name__, {"STFT": "sklearn_ser.features._spectrogram"})``.
    """

    def __getattr__(name):
        if name in moves:
            return getattr(importlib.import_module(moves[name]), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
