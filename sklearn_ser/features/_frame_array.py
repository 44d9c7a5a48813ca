"""Padded frame features that carry how many of their frames are real.

Frame-level transformers pad every sample to the same frame count with
zero frames. Which frames are padding cannot be recovered from the values
(real audio has all-zero frames: the chroma of digital silence is exactly
0), so the count of real frames travels with the array: a
:class:`FrameArray` is a plain ``(n_samples, n_frames, n_bins)`` ndarray
with a ``lengths`` attribute. Selecting samples (``X[idx]``, as
cross-validation does) and cutting frames from the start (``X[:, :k]``)
keep it; any other operation gives a plain ndarray, whose frames
:class:`~sklearn_ser.features.FrameStats` then takes as all real.
"""

import numbers

import numpy as np

__all__ = ["FrameArray", "frame_lengths"]


class FrameArray(np.ndarray):
    """``(n_samples, n_frames, n_bins)`` features with ``lengths``, real frames per sample.

    Parameters
    ----------
    features : array-like of shape (n_samples, n_frames, ...)
    lengths : array-like of int, shape (n_samples,)
        Frames of each sample that are not padding (the first ``lengths[i]``).

    Examples
    --------
    >>> import numpy as np
    >>> X = FrameArray(np.ones((2, 4, 3), np.float32), lengths=[4, 2])
    >>> X[1:].lengths.tolist(), X[:, :3].lengths.tolist()
    ([2], [3, 2])
    >>> type(X + 1).__name__
    'ndarray'
    """

    def __new__(cls, features, *, lengths):
        obj = np.asarray(features).view(cls)
        lengths = np.asarray(lengths, dtype=np.int64)
        if obj.ndim < 2 or lengths.shape != (obj.shape[0],):
            raise ValueError(
                "lengths must give one frame count per sample of a "
                "(n_samples, n_frames, ...) array. Received: features of shape "
                f"{obj.shape} and lengths of shape {lengths.shape}"
            )
        if lengths.size and (lengths.min() < 0 or lengths.max() > obj.shape[1]):
            raise ValueError(
                f"lengths must lie in [0, n_frames={obj.shape[1]}]. "
                f"Received: lengths from {lengths.min()} to {lengths.max()}"
            )
        obj.lengths = lengths
        return obj

    def __array_finalize__(self, obj):
        # a view or result made by numpy: its frames are not known to match
        self.lengths = None

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        # ufunc results are plain arrays (X * 2, X - mean, ...)
        out = np.asarray(arr)
        return out[()] if return_scalar else out

    def __getitem__(self, key):
        out = super().__getitem__(key)
        if not isinstance(out, FrameArray):
            return out
        lengths = _index_lengths(self, key, out)
        if lengths is None:
            return out.view(np.ndarray)
        out.lengths = lengths
        return out

    def take(self, indices, axis=None, out=None, mode="raise"):
        """``ndarray.take``; along axis 0 the lengths follow the samples."""
        res = np.asarray(self).take(indices, axis=axis, out=out, mode=mode)
        if axis == 0 and out is None and self.lengths is not None:
            return FrameArray(res, lengths=self.lengths.take(indices, mode=mode))
        return res

    def __reduce__(self):
        rebuild, args, state = super().__reduce__()
        return rebuild, args, (state, self.lengths)

    def __setstate__(self, state):
        base_state, lengths = state
        super().__setstate__(base_state)
        self.lengths = lengths


def _index_lengths(parent, key, out):
    """``parent.lengths`` for ``parent[key]``, or None when it does not follow."""
    lengths = parent.lengths
    if lengths is None or out.ndim != parent.ndim:
        return None
    key = key if isinstance(key, tuple) else (key,)
    if len(key) > 1 and key[-1] is Ellipsis:  # X[idx, ...] (scikit-learn's indexing)
        key = key[:-1]
    if any(k is Ellipsis or k is None for k in key):
        return None
    first = key[0]
    if isinstance(first, numbers.Integral):
        return None
    lengths = lengths[first]
    if len(key) > 1:
        frames = key[1]
        if not isinstance(frames, slice) or frames.step not in (None, 1):
            return None
        if frames.start not in (None, 0):
            return None
        if frames.stop is not None:
            lengths = np.minimum(lengths, out.shape[1])
    if lengths.shape != (out.shape[0],):
        return None
    return np.asarray(lengths, dtype=np.int64)


def frame_lengths(X):
    """Real frames per sample: ``X.lengths`` for a :class:`FrameArray`, else all."""
    lengths = getattr(X, "lengths", None)
    if lengths is None:
        X = np.asarray(X)
        return np.full(X.shape[0], X.shape[1], dtype=np.int64)
    return np.asarray(lengths, dtype=np.int64)
