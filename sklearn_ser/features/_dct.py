"""Cepstra: the DCT-II matrix, the lifter, and log Mel energies -> MFCCs."""

from functools import lru_cache

import numpy as np
import scipy.fft

from ._validation import _check_convention, _check_positive_int, _readonly

__all__ = ["cepstra", "dct_matrix", "lifter_weights"]


@lru_cache(maxsize=64)
def _dct_cached(n_in, n_out, norm, dtype):
    # DCT-II as a matrix: coefficients = x @ D.T, D of shape (n_out, n_in).
    eye = np.eye(n_in)
    D = scipy.fft.dct(eye, type=2, norm=norm, axis=0)[:n_out]
    return _readonly(D.astype(dtype))


def dct_matrix(*, n_in, n_out, norm="ortho", dtype=np.float32):
    """DCT-II matrix ``D`` (``n_out, n_in``); cepstra are ``log_mel @ D.T``.

    ``norm="ortho"`` is what both librosa and python_speech_features use.
    """
    n_in = _check_positive_int("n_in", n_in)
    n_out = _check_positive_int("n_out", n_out)
    if n_out > n_in:
        raise ValueError(
            f"Cannot take more cepstral coefficients than Mel bands. Received: "
            f"n_out={n_out}, n_in={n_in}"
        )
    return _dct_cached(n_in, n_out, norm, np.dtype(dtype).name)


@lru_cache(maxsize=64)
def _lifter_cached(n, lifter, style, dtype):
    k = np.arange(n, dtype=np.float64) + (1.0 if style == "librosa" else 0.0)
    return _readonly((1.0 + (lifter / 2.0) * np.sin(np.pi * k / lifter)).astype(dtype))


def lifter_weights(*, n, lifter, style="librosa", dtype=np.float32):
    """Cepstral lifter ``1 + L/2 sin(pi k / L)``; k starts at 1 (librosa), 0 (psf).

    ``lifter=0`` gives ones (no liftering).
    """
    _check_convention(style, "style")
    if lifter < 0:
        raise ValueError(f"lifter must be >= 0. Received: lifter={lifter}")
    if lifter == 0:
        return _readonly(np.ones(int(n), dtype=dtype))
    return _lifter_cached(int(n), float(lifter), style, np.dtype(dtype).name)


def cepstra(*, log_mel, n_mfcc, lifter=0.0, style="librosa", dtype=np.float32):
    """MFCCs from time-major log Mel energies ``(..., n_mels)``: DCT-II, then lifter.

    ``log_mel @ dct_matrix(...).T * lifter_weights(...)`` (orthonormal DCT,
    as librosa and python_speech_features).
    """
    D = dct_matrix(n_in=log_mel.shape[-1], n_out=n_mfcc, dtype=dtype)
    out = log_mel @ D.T
    out *= lifter_weights(n=n_mfcc, lifter=lifter, style=style, dtype=dtype)
    return out
