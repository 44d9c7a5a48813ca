"""Chroma: the chroma filter bank and the chromagram (librosa's, time-major).

Pure keyword-only numpy functions; the layout and librosa conventions of
:mod:`sklearn_ser.features._music` apply.
"""

import numpy as np

from ._music import _safe_norm, _spectrogram
from ._validation import _check_positive_int

__all__ = ["chroma_filterbank", "chroma_stft"]


def chroma_filterbank(
    *,
    sr,
    n_fft,
    n_chroma=12,
    tuning=0.0,
    ctroct=5.0,
    octwidth=2.0,
    norm=2,
    base_c=True,
    dtype=np.float32,
):
    """Chroma filter bank mapping STFT bins to ``n_chroma`` pitch classes.

    Identical construction to ``librosa.filters.chroma`` (Ellis' chromagram):
    each FFT bin contributes a Gaussian bump in pitch-class space, columns are
    ``norm``-normalised, then weighted by a Gaussian over octaves centred on
    octave ``ctroct`` (octaves counted from A440/16, so A440 is octave 4 and
    the default 5.0 is 880 Hz) with width ``octwidth`` octaves. Row 0 is C
    when ``base_c``.

    Returns
    -------
    fb : ndarray, shape (n_chroma, n_fft // 2 + 1)
    """
    _check_positive_int("n_chroma", n_chroma)
    _check_positive_int("n_fft", n_fft)
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (a440 / 16.0))
    # the 0 Hz bin: 1.5 octaves below bin 1 (50 % rotated, broad)
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    if norm is not None:
        length = np.sum(np.abs(wts) ** norm, axis=0, keepdims=True) ** (1.0 / norm)
        wts = wts / _safe_norm(length, wts.dtype)
    if octwidth is not None:
        wts *= np.tile(
            np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)),
            (n_chroma, 1),
        )
    if base_c:
        wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, : int(1 + n_fft / 2)], dtype=dtype)


def chroma_stft(
    *,
    y=None,
    S=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    n_chroma=12,
    tuning=0.0,
    filterbank=None,
):
    """Chromagram from a power spectrogram, each frame scaled to max 1.

    librosa's ``feature.chroma_stft`` with ``norm=np.inf`` (S4), except that
    ``tuning`` defaults to 0.0 (A440) instead of being estimated from the
    signal: estimating the tuning of speech is meaningless and would make
    the features depend on a noisy pitch-tracking step. Pass
    ``tuning=librosa.estimate_tuning(...)`` yourself to reproduce librosa's
    default exactly.

    Parameters
    ----------
    y, n_fft, hop_length, win_length, window, center
        As in :func:`spectral_centroid`.
    S : ndarray of shape (..., n_frames, n_bins), optional
        *Power* spectrogram (time-major), as in librosa.
    sr : int, default=22050
    n_chroma : int, default=12
    tuning : float, default=0.0
        Deviation from A440 in fractions of a chroma bin.
    filterbank : ndarray of shape (n_chroma, n_bins), optional
        Precomputed :func:`chroma_filterbank` (the transformers reuse one).

    Returns
    -------
    chroma : ndarray of float32, shape (..., n_frames, n_chroma)
        Column 0 is C, 1 is C#, ..., 11 is B. Silent frames are all 0.
    """
    S, n_fft = _spectrogram(
        "chroma_stft", y, S, 2.0, n_fft, hop_length, win_length, window, center
    )
    if filterbank is None:
        filterbank = chroma_filterbank(
            sr=sr, n_fft=n_fft, n_chroma=n_chroma, tuning=tuning
        )
    raw = S @ filterbank.T.astype(S.dtype, copy=False)
    peak = np.abs(raw).max(axis=-1, keepdims=True)
    return (raw / _safe_norm(peak, raw.dtype)).astype(np.float32)
