"""Base classes shared by every audio feature transformer.

The frame-level base class, :class:`FrameFeatureTransformer` (the one
hook, chunked decoding, threads, the truncation warning), is in
:mod:`._frame_transformer`.

Array layout, stated once for the transformers of :mod:`sklearn_ser.features`
-----------------------------------------------------------------------------
*Input* ``X`` is a batch: a 1-D array-like of audio file paths and/or 1-D
``float32`` waveforms at the transformer's ``sr`` (or a 2-D array
``(n_samples, n_times)`` of equal-length waveforms), resolved by
:func:`sklearn_ser.io.as_waveforms`, so a path and its waveform give
identical features.

*Output* of a frame-level transformer is time-major and ``float32``::

    (n_samples, n_frames, n_bins)

with every sample padded (with zeros, at the end) or trimmed to the same
``n_frames`` (see :class:`FrameFeatureTransformer`). Pooled or descriptor
outputs are 2-D ``(n_samples, n_features)`` with
``get_feature_names_out``. Within a sample, frame ``t`` covers the samples
around ``t * hop_length`` (see :mod:`sklearn_ser.features._spectral`).
"""

import os
from numbers import Integral

import numpy as np
from joblib import Memory
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from ..io import as_waveforms
from ..utils._moved import moved_names
from ._threads import single_threaded_blas
from ._validation import check_params

__all__ = ["BaseAudioTransformer", "fix_frames"]

# Classes that lived here in sklearn-ser 0.1: model files saved then name
# this module (see sklearn_ser/utils/_moved.py).
__getattr__ = moved_names(
    __name__,
    {
        "FrameFeatureTransformer": "sklearn_ser.features._frame_transformer",
    },
)


_RUNTIME_PARAMS = ("memory", "n_jobs", "verbose")


def _check_memory(memory):
    """None, a joblib.Memory (anything with ``cache``) or a cache folder path."""
    if memory is None or hasattr(memory, "cache"):
        return memory
    if isinstance(memory, (str, os.PathLike)):
        return Memory(location=os.fspath(memory), verbose=0)
    raise ValueError(
        f"memory must be None, a path or a joblib.Memory. Received: memory={memory!r}"
    )


def _compute_raw(cls, params, state, X, n_jobs, verbose):
    """Module-level (so joblib.Memory can cache it): paths/waves -> raw features."""
    est = cls(**params)
    for k, v in state.items():
        setattr(est, k, v)
    # the runtime parameters are not part of the cache key, but the work
    # (decoding *and* features) must still run with them
    runtime = est.get_params(deep=False)
    est.set_params(
        **{k: v for k, v in (("n_jobs", n_jobs), ("verbose", verbose)) if k in runtime}
    )
    # BLAS on one thread: n_jobs changes speed, never results (see _threads)
    with single_threaded_blas():
        return est._raw_from_batch(X, n_jobs=n_jobs, verbose=verbose)


def _path_batch(X):
    """``X`` as a list when it is a batch holding at least one path, else None.

    Anything else (waveforms only, a 2-D array, a single path, garbage) is
    left to :func:`sklearn_ser.io.as_waveforms`, which resolves or rejects it.
    """
    if isinstance(X, (str, bytes, os.PathLike)):
        return None
    if isinstance(X, np.ndarray) and (X.ndim != 1 or X.dtype.kind in "fiuc"):
        return None
    try:
        items = list(X)
    except TypeError:
        return None
    if any(isinstance(it, (str, bytes, os.PathLike)) for it in items):
        return items
    return None


def fix_frames(*, features, n_frames, dtype=np.float32):
    """Pad (zeros at the end) or trim each sample's frames to ``n_frames``.

    Parameters
    ----------
    features : list of ndarray, each (n_frames_i, ...) , or ndarray (n, n_frames_i, ...)
    n_frames : int

    Returns
    -------
    ndarray of shape (n_samples, n_frames, ...)
    """
    n_frames = int(n_frames)
    if n_frames < 1:
        raise ValueError(f"n_frames must be >= 1. Received: n_frames={n_frames}")
    if isinstance(features, np.ndarray):
        if features.shape[1] >= n_frames:
            return np.ascontiguousarray(features[:, :n_frames], dtype=dtype)
        features = list(features)
    tail = features[0].shape[1:]
    out = np.zeros((len(features), n_frames, *tail), dtype=dtype)
    for i, f in enumerate(features):
        m = min(n_frames, f.shape[0])
        out[i, :m] = f[:m]
    return out


class BaseAudioTransformer(TransformerMixin, BaseEstimator):
    """Base of the transformers that turn audio into features.

    Subclasses declare every parameter explicitly in ``__init__(self, *, ...)``
    (including ``sr``, ``n_jobs``, ``memory`` and ``verbose``), declare them
    in ``_parameter_constraints`` (scikit-learn's constraint objects, checked
    by one shared validator; rules across parameters go in
    ``_check_params``), and implement ``_transform_waveforms(waves)``, which maps a list of 1-D
    ``float32`` waveforms to the raw features; ``_finalize(raw)`` (identity
    by default) turns them into the output array. See the module docstring
    for the array layout.

    Common parameters
    -----------------
    sr : int
        Rate that paths are loaded (and resampled) at; waveforms in ``X``
        must already be at this rate.
    n_jobs : int or None
        Threads used to decode files and to process chunks of frames
        (through :mod:`joblib`).
    memory : None, str, path or joblib.Memory
        Cache of the per-batch raw feature computation, like
        :class:`sklearn.pipeline.Pipeline`'s ``memory``. The key is the
        class, its feature parameters and ``X`` *as given*: for paths that is
        the file names, so clear the cache if files change on disk.
    verbose : int
        ``> 0`` draws a progress bar while files are decoded.

    ``fit`` only validates the parameters and sets ``n_features_in_ = 1``
    (``X`` is one column of audio); subclasses that learn something from
    the training data (a frame count) say so.
    """

    _parameter_constraints: dict = {
        "sr": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
        "verbose": ["verbose"],
    }

    def _validate_params(self):
        """``_parameter_constraints`` (one shared validator), then ``_check_params``."""
        check_params(self)
        if self.n_jobs == 0:
            raise ValueError("n_jobs must not be 0. Received: n_jobs=0")
        self._check_params()

    def _check_params(self):
        """Rules that involve several parameters (none here); raise ``ValueError``."""

    def _feature_params(self):
        return {
            k: v
            for k, v in self.get_params(deep=False).items()
            if k not in _RUNTIME_PARAMS
        }

    def _fitted_state(self):
        """Fitted attributes that ``_transform_waveforms`` reads (none here)."""
        return {}

    def _compute(self, X):
        memory = _check_memory(self.memory)
        fn = (
            _compute_raw
            if memory is None
            else memory.cache(_compute_raw, ignore=["n_jobs", "verbose"])
        )
        return fn(
            type(self),
            self._feature_params(),
            self._fitted_state(),
            X,
            self.n_jobs,
            self.verbose,
        )

    def _raw_from_batch(self, X, *, n_jobs, verbose):
        """Resolve ``X`` (paths and/or waveforms) and compute the raw features.

        The default decodes the whole batch, then calls
        ``_transform_waveforms``; subclasses may stream it in chunks.
        """
        waves = as_waveforms(X, self.sr, n_jobs=n_jobs, verbose=verbose)
        return self._transform_waveforms(waves)

    def _finalize(self, raw, X=None):
        """Raw features -> output array (``X`` only names inputs in warnings)."""
        return raw

    def fit(self, X, y=None):
        """Validate the parameters; set ``n_features_in_``. Returns ``self``."""
        self._validate_params()
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Compute the features of every item of ``X`` (paths or waveforms)."""
        self._check_transform_ready()
        return self._finalize(self._compute(X), X)

    def _check_transform_ready(self):
        if self.__sklearn_tags__().requires_fit:
            check_is_fitted(self)
        else:
            self._validate_params()

    def __sklearn_is_fitted__(self):
        return hasattr(self, "n_features_in_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.target_tags.required = False
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
