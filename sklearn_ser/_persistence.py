"""Saving and loading fitted estimators with a version record.

File layout: one text line ``SKLEARN_SER_MODEL <json header>\\n`` followed by
an ordinary joblib stream (zlib-compressed). The header is read first, without
unpickling anything, so an incompatible file is refused with a clear message
before any class is imported. Read such files with :func:`load_model`
(``joblib.load`` alone does not understand the header line).
"""

import contextvars
import datetime
import importlib.metadata
import json
import os
import platform
import warnings

import joblib

from ._version import __version__
from .utils._validation import to_builtin

__all__ = [
    "IncompatibleModelError",
    "load_model",
    "read_model_header",
    "save_model",
]

_MAGIC = b"SKLEARN_SER_MODEL "
FORMAT_VERSION = 1

# Packages whose MAJOR version must match between saving and loading.
_CHECKED = ("sklearn_ser", "scikit-learn", "numpy", "keras")


# False while save_model(include_optimizer=False) pickles an estimator: the
# networks then leave their optimiser state out (see models/_saving.py).
_INCLUDE_OPTIMIZER = contextvars.ContextVar(
    "sklearn_ser_include_optimizer", default=True
)


def _pickles_optimizer():
    """Whether the pickle being written should carry optimiser state."""
    return _INCLUDE_OPTIMIZER.get()


class IncompatibleModelError(ValueError):
    """The saved model was written by incompatible library versions."""


def _version(dist):
    if dist == "sklearn_ser":
        return __version__
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _uses_keras(estimator):
    """True when any step of ``estimator`` is a Keras/scikeras model."""
    seen = [estimator]
    steps = getattr(estimator, "steps", None)
    if steps:
        seen += [s for _, s in steps]
    for est in seen:
        for cls in type(est).__mro__:
            if cls.__module__.split(".")[0] in ("scikeras", "keras"):
                return True
    return False


def _major(v):
    try:
        return int(str(v).split(".")[0])
    except (TypeError, ValueError):
        return None


def save_model(estimator, path, *, metadata=None, compress=3, include_optimizer=False):
    """Save a fitted estimator (e.g. a whole Pipeline) with a version header.

    Parameters
    ----------
    estimator : fitted estimator
    path : str or path-like
        Conventionally ``*.joblib``.
    metadata : dict or None
        JSON-serialisable extras stored in the header (corpus, protocol,
        scores ...).
    compress : int, default=3
        joblib zlib level.
    include_optimizer : bool, default=False
        Also save the networks' optimiser state (Adam's moment estimates:
        two values per weight), which only resumed training
        (``warm_start=True``) needs. By default a network is saved with its
        weights and compile settings and a fresh optimiser: the file is
        about a third of the size and predictions after loading are
        identical.

    Returns
    -------
    header : dict
        What was recorded: ``format``, ``saved_at``, ``versions`` (sklearn_ser,
        scikit-learn, numpy, keras, tensorflow, python), ``uses_keras``,
        ``estimator`` (class name), ``classes``, ``include_optimizer`` and
        ``metadata``.
    """
    classes = getattr(estimator, "classes_", None)
    uses_keras = _uses_keras(estimator)
    versions = {
        "sklearn_ser": _version("sklearn_ser"),
        "scikit-learn": _version("scikit-learn"),
        "numpy": _version("numpy"),
        "keras": _version("keras") if uses_keras else None,
        "tensorflow": _version("tensorflow") if uses_keras else None,
        "python": platform.python_version(),
    }
    header = {
        "format": FORMAT_VERSION,
        "saved_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "versions": versions,
        "uses_keras": uses_keras,
        "estimator": type(estimator).__name__,
        "classes": None if classes is None else [to_builtin(c) for c in classes],
        "include_optimizer": bool(include_optimizer),
        "metadata": metadata or {},
    }
    line = json.dumps(header, default=str).encode("utf-8")
    tmp = f"{os.fspath(path)}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + line + b"\n")
            token = _INCLUDE_OPTIMIZER.set(bool(include_optimizer))
            try:
                joblib.dump(
                    estimator, f, compress=("zlib", compress) if compress else 0
                )
            finally:
                _INCLUDE_OPTIMIZER.reset(token)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return header


def read_model_header(path):
    """Read the version header of a saved model without loading the model.

    Raises
    ------
    OSError
        Missing file.
    ValueError
        Not a file written by :func:`save_model`.
    """
    name = os.fspath(path)
    with open(name, "rb") as f:
        head = f.read(len(_MAGIC))
        if head != _MAGIC:
            raise ValueError(
                f"{name}: not a sklearn-ser model file (written by save_model); "
                "it has no SKLEARN_SER_MODEL header"
            )
        line = f.readline()
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: corrupt sklearn-ser model header ({exc})") from exc


def check_compatibility(header, path="<model>"):
    """Raise :class:`IncompatibleModelError` on a MAJOR version mismatch.

    Minor-version differences of scikit-learn or Keras, and a different
    Python minor version, only warn.
    """
    saved = header.get("versions", {})
    problems, minor = [], []
    for dist in _CHECKED:
        if dist == "keras" and not header.get("uses_keras"):
            continue
        then, now = saved.get(dist), _version(dist)
        if then is None or now is None:
            if then is not None and now is None:
                problems.append(f"{dist} {then} (not installed now)")
            continue
        if _major(then) != _major(now):
            problems.append(f"{dist} {then} (installed: {now})")
        elif then.split(".")[:2] != now.split(".")[:2]:
            minor.append(f"{dist} {then} (installed: {now})")
    if header.get("format", 0) > FORMAT_VERSION:
        problems.append(
            f"file format {header['format']} (this sklearn-ser reads "
            f"up to {FORMAT_VERSION})"
        )
    if problems:
        raise IncompatibleModelError(
            f"{path}: saved with incompatible versions: "
            + "; ".join(problems)
            + ". Retrain the model, or install matching major versions."
        )
    py_then = str(saved.get("python", ""))
    if py_then and py_then.split(".")[:2] != platform.python_version().split(".")[:2]:
        minor.append(f"python {py_then} (running: {platform.python_version()})")
    if minor:
        warnings.warn(
            f"{path}: saved with other minor versions: "
            + "; ".join(minor)
            + "; predictions may differ slightly.",
            UserWarning,
            stacklevel=3,
        )


def load_model(path, *, check_versions=True, return_header=False):
    """Load a model written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like
    check_versions : bool, default=True
        Refuse (:class:`IncompatibleModelError`) a file saved with another
        MAJOR version of sklearn-ser, scikit-learn, NumPy or (for networks)
        Keras; warn on minor differences.
    return_header : bool, default=False
        Also return the header dict.

    Returns
    -------
    estimator or (estimator, header)

    Raises
    ------
    OSError
        Missing file.
    ValueError
        Not a sklearn-ser model file, or incompatible versions.
    """
    name = os.fspath(path)
    header = read_model_header(name)
    if check_versions:
        check_compatibility(header, name)
    if header.get("uses_keras"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with open(name, "rb") as f:
        f.read(len(_MAGIC))
        f.readline()
        estimator = joblib.load(f)
    return (estimator, header) if return_header else estimator
