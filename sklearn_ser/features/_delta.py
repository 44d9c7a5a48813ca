"""Regression deltas along the time axis of time-major frame features."""

import numpy as np

from ._validation import _check_positive_int

__all__ = ["delta"]


def delta(*, X, width=2, axis=-2):
    """Regression deltas ``sum_n n (x[t+n] - x[t-n]) / (2 sum_n n^2)``.

    The HTK / python_speech_features formula with ``N = width`` and edge
    frames repeated; along ``axis`` (the time axis of the time-major
    layout). Note librosa's ``delta`` uses a Savitzky-Golay filter instead.
    """
    width = _check_positive_int("width", width)
    X = np.asarray(X)
    axis = axis % X.ndim
    pad = [(0, 0)] * X.ndim
    pad[axis] = (width, width)
    Xp = np.pad(X, pad, mode="edge")
    T = X.shape[axis]
    out = np.zeros_like(X)
    for n in range(1, width + 1):
        hi = np.take(Xp, np.arange(width + n, width + n + T), axis=axis)
        lo = np.take(Xp, np.arange(width - n, width - n + T), axis=axis)
        out += n * (hi - lo)
    out /= 2 * sum(n * n for n in range(1, width + 1))
    return out


def _with_deltas(f, order, width):
    parts = [f]
    d = f
    for _ in range(order):
        d = delta(X=d, width=width, axis=0)
        parts.append(d)
    return np.concatenate(parts, axis=1)
