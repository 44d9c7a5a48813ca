"""The Mel scale, Mel filter banks, and the one way they are applied.

Pure keyword-only functions; every Mel feature of the package (MFCC, log
Mel filter bank, Mel spectrogram, music MFCCs, onset strength, Mel images)
builds its filter bank with :func:`mel_filterbank` and projects a
time-major power spectrum ``(n_frames, n_bins)`` with :func:`apply_mel`.
"""

from functools import lru_cache

import numpy as np

from ._validation import _check_convention, _check_positive_int, _readonly

__all__ = ["apply_mel", "hz_to_mel", "mel_filterbank", "mel_to_hz"]


def hz_to_mel(*, frequencies, htk=False):
    """Hz to Mel; Slaney's scale (librosa's default) or HTK's (``htk=True``)."""
    f = np.asanyarray(frequencies, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        f >= min_log_hz,
        min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep,
        mels,
    )


def mel_to_hz(*, mels, htk=False):
    """Inverse of :func:`hz_to_mel`."""
    m = np.asanyarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs
    )


@lru_cache(maxsize=64)
def _mel_cached(sr, n_fft, n_mels, fmin, fmax, htk, norm, style, dtype):
    n_bins = n_fft // 2 + 1
    if style == "psf":
        lowmel = hz_to_mel(frequencies=fmin, htk=True)
        highmel = hz_to_mel(frequencies=fmax, htk=True)
        points = np.linspace(lowmel, highmel, n_mels + 2)
        bins = np.floor((n_fft + 1) * mel_to_hz(mels=points, htk=True) / sr)
        idx = np.arange(n_bins)[None, :]
        left, center, right = bins[:-2, None], bins[1:-1, None], bins[2:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            up = (idx - left) / (center - left)
            down = (right - idx) / (right - center)
        fb = np.where((idx >= left) & (idx < center), up, 0.0)
        fb = np.where((idx >= center) & (idx < right), down, fb)
        fb = np.nan_to_num(fb)
    else:
        fftfreqs = np.linspace(0, sr / 2.0, n_bins)
        mel_f = mel_to_hz(
            mels=np.linspace(
                hz_to_mel(frequencies=fmin, htk=htk),
                hz_to_mel(frequencies=fmax, htk=htk),
                n_mels + 2,
            ),
            htk=htk,
        )
        fdiff = np.diff(mel_f)
        ramps = mel_f[:, None] - fftfreqs[None, :]
        lower = -ramps[:-2] / fdiff[:-1, None]
        upper = ramps[2:] / fdiff[1:, None]
        fb = np.maximum(0.0, np.minimum(lower, upper))
        if norm == "slaney":
            fb *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
        elif norm is not None:
            fb /= np.maximum(np.linalg.norm(fb, ord=norm, axis=1, keepdims=True), 1e-30)
    return _readonly(fb.astype(dtype))


def mel_filterbank(
    *,
    sr,
    n_fft,
    n_mels=40,
    fmin=0.0,
    fmax=None,
    htk=False,
    norm="slaney",
    style="librosa",
    dtype=np.float32,
):
    """Triangular Mel filter bank.

    Parameters
    ----------
    sr : int
    n_fft : int
    n_mels : int, default=40
    fmin, fmax : float; ``fmax=None`` means ``sr / 2``.
    htk : bool, default=False
        HTK Mel formula instead of Slaney's (``style="librosa"`` only).
    norm : {"slaney", None} or number, default="slaney"
        Filter normalisation (``style="librosa"`` only): ``"slaney"`` gives
        each triangle unit area (librosa's default), a number normalises by
        that p-norm.
    style : {"librosa", "psf"}, default="librosa"
        ``"psf"`` builds python_speech_features' ``get_filterbanks``: HTK Mel,
        edges snapped to ``floor((n_fft + 1) * f / sr)``, peak 1; it requires
        ``htk=True, norm=None`` so that the call says what it computes.

    Returns
    -------
    ndarray of float32, shape (n_mels, n_fft // 2 + 1), read-only
    """
    _check_convention(style, "style")
    sr = _check_positive_int("sr", sr)
    n_fft = _check_positive_int("n_fft", n_fft)
    n_mels = _check_positive_int("n_mels", n_mels)
    fmax = sr / 2.0 if fmax is None else float(fmax)
    fmin = float(fmin)
    if not 0 <= fmin < fmax <= sr / 2.0:
        raise ValueError(
            f"Need 0 <= fmin < fmax <= sr / 2 = {sr / 2}. Received: fmin={fmin}, "
            f"fmax={fmax}"
        )
    if style == "psf" and (not htk or norm is not None):
        raise ValueError(
            "style='psf' filter banks are HTK-scaled and unnormalised; pass "
            f"htk=True, norm=None. Received: htk={htk}, norm={norm!r}"
        )
    if norm is not None and norm != "slaney" and not isinstance(norm, (int, float)):
        raise ValueError(
            f"norm must be 'slaney', None or a number. Received: norm={norm!r}"
        )
    return _mel_cached(
        sr, n_fft, n_mels, fmin, fmax, bool(htk), norm, style, np.dtype(dtype).name
    )


# Mel filters per dense block of the banded product (see _filterbank_applier).
_FILTERS_PER_BLOCK = 16


_APPLIERS = {}  # id(filter bank) -> (filter bank, applier); banks are cached


def _filterbank_applier(fb):
    """``spec -> spec @ fb.T`` as a few dense products over the filters' bands.

    A Mel filter is non-zero on a narrow band of FFT bins (each bin feeds at
    most two filters), so the filters are taken in blocks of
    ``_FILTERS_PER_BLOCK`` and each block multiplies only the bins its band
    covers: several times fewer operations than the dense product, and no
    sparse-matrix overhead.
    """
    hit = _APPLIERS.get(id(fb))
    if hit is not None and hit[0] is fb:
        return hit[1]
    n_mels = fb.shape[0]
    blocks = []
    for g0 in range(0, n_mels, _FILTERS_PER_BLOCK):
        g1 = min(g0 + _FILTERS_PER_BLOCK, n_mels)
        nz = np.flatnonzero(fb[g0:g1].any(axis=0))
        lo, hi = (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)
        blocks.append((g0, g1, lo, hi, np.ascontiguousarray(fb[g0:g1, lo:hi].T)))

    def apply(spec):
        out = np.empty((spec.shape[0], n_mels), dtype=np.result_type(spec, fb))
        for g0, g1, lo, hi, m in blocks:
            if hi > lo:
                np.matmul(spec[:, lo:hi], m, out=out[:, g0:g1])
            else:  # empty filters (more bands than FFT bins can resolve)
                out[:, g0:g1] = 0
        return out

    if len(_APPLIERS) >= 64:
        _APPLIERS.clear()
    _APPLIERS[id(fb)] = (fb, apply)
    return apply


def apply_mel(*, S, fb):
    """``S @ fb.T``: time-major power spectrum ``(..., n_bins)`` -> ``(..., n_mels)``.

    Computed band by band (see ``_filterbank_applier``): each Mel filter
    only multiplies the FFT bins its triangle covers.
    """
    S = np.asarray(S)
    flat = S.reshape(-1, S.shape[-1])
    return _filterbank_applier(fb)(flat).reshape(*S.shape[:-1], fb.shape[0])
