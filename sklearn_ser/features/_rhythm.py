"""Rhythm: onset strength, autocorrelation tempogram and tempo (librosa's).

Pure keyword-only numpy functions; the time-major layout and librosa
conventions of :mod:`sklearn_ser.features._music` apply.
"""

import numpy as np

from ._db import power_to_db
from ._mel import apply_mel, mel_filterbank
from ._music import _safe_norm
from ._spectrum import stft
from ._validation import _check_positive_int

__all__ = ["onset_strength", "tempo", "tempo_frequencies", "tempogram"]


def onset_strength(
    *,
    y=None,
    S=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    n_mels=128,
    lag=1,
    center=True,
    mel_basis=None,
):
    """Onset strength envelope: mean positive change of the log-mel spectrum.

    librosa's ``onset.onset_strength`` with its defaults: 128-band Slaney
    mel power spectrogram up to ``sr / 2``, ``power_to_db`` (ref 1.0,
    ``amin=1e-10``, ``top_db=80``), first difference with ``lag``, half-wave
    rectified, averaged over bands, then shifted right by
    ``lag + n_fft // (2 * hop_length)`` frames (when ``center``) so it lines
    up with the STFT frames.

    Parameters
    ----------
    y : ndarray of shape (n_times,), optional
    S : ndarray of shape (n_frames, n_mels), optional
        Log-power (dB) mel spectrogram, time-major.
    sr, n_fft, hop_length, n_mels, lag, center
    mel_basis : ndarray of shape (n_mels, n_fft // 2 + 1), optional
        Precomputed Slaney mel filter bank.

    Returns
    -------
    onset_envelope : ndarray of float32, shape (n_frames,)
    """
    _check_positive_int("lag", lag)
    if S is None:
        if y is None:
            raise ValueError("onset_strength: give either y or S")
        P = stft(
            y=np.asarray(y, dtype=np.float32),
            n_fft=n_fft,
            hop_length=hop_length,
            window="hann",
            center=center,
            power=2.0,
        )
        if mel_basis is None:
            mel_basis = _slaney_mel(sr=sr, n_fft=n_fft, n_mels=n_mels)
        S = power_to_db(
            S=apply_mel(S=P, fb=mel_basis.astype(P.dtype, copy=False)),
            ref=1.0,
            amin=1e-10,
            top_db=80.0,
        )
    S = np.atleast_2d(np.asarray(S))
    n_frames = S.shape[-2]
    env = np.maximum(0.0, S[..., lag:, :] - S[..., :-lag, :]).mean(axis=-1)
    pad = lag + (n_fft // (2 * hop_length) if center else 0)
    out = np.zeros(S.shape[:-2] + (n_frames + pad,), dtype=np.float32)
    out[..., pad : pad + env.shape[-1]] = env
    if center:
        out = out[..., :n_frames]
    return out


def _slaney_mel(*, sr, n_fft, n_mels):
    return mel_filterbank(
        sr=sr,
        n_fft=n_fft,
        n_mels=n_mels,
        fmin=0.0,
        fmax=sr / 2.0,
        htk=False,
        norm="slaney",
    )


def tempo_frequencies(n_bins, *, sr=22050, hop_length=512):
    """BPM of each autocorrelation lag (lag 0 is ``inf``), as in librosa."""
    bpm = np.empty(int(n_bins), dtype=np.float64)
    bpm[0] = np.inf
    bpm[1:] = 60.0 * sr / (hop_length * np.arange(1.0, n_bins))
    return bpm


def tempogram(*, onset_envelope, win_length=384, center=True):
    """Autocorrelation tempogram of an onset envelope, each frame max-normalised.

    librosa's ``feature.tempogram`` (Hann window, linear-ramp padding to zero
    at the ends when ``center``).

    Parameters
    ----------
    onset_envelope : ndarray of shape (n_frames,)
    win_length : int, default=384
        Autocorrelation window in onset frames.
    center : bool, default=True

    Returns
    -------
    tempogram : ndarray of float64, shape (n_frames, win_length)
        Time-major; column ``l`` is lag ``l``.
    """
    _check_positive_int("win_length", win_length)
    env = np.asarray(onset_envelope, dtype=np.float64)
    if env.ndim != 1:
        raise ValueError(f"onset_envelope must be 1-D. Received: shape={env.shape}")
    n = env.shape[-1]
    if center:
        env = np.pad(env, (win_length // 2,) * 2, mode="linear_ramp", end_values=(0, 0))
    if len(env) < win_length:
        env = np.pad(env, (0, win_length - len(env)))
    frames = np.lib.stride_tricks.sliding_window_view(env, win_length)
    if center:
        frames = frames[:n]
    # periodic Hann (scipy.signal.get_window(..., fftbins=True))
    k = np.arange(win_length)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * k / win_length)
    x = frames * window
    from scipy.fft import irfft, next_fast_len, rfft

    n_pad = next_fast_len(2 * win_length - 1, real=True)
    spec = rfft(x, n=n_pad, axis=-1)
    ac = irfft(spec.real**2 + spec.imag**2, n=n_pad, axis=-1)[:, :win_length]
    peak = np.abs(ac).max(axis=-1, keepdims=True)
    return ac / _safe_norm(peak, ac.dtype)


def tempo(
    *,
    y=None,
    onset_envelope=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    start_bpm=120.0,
    std_bpm=1.0,
    ac_size=8.0,
    max_tempo=320.0,
    mel_basis=None,
):
    """Global tempo estimate in beats per minute.

    librosa's ``feature.rhythm.tempo`` (``aggregate=np.mean``): onset
    strength envelope (:func:`onset_strength`), autocorrelation tempogram
    over ``ac_size`` seconds (:func:`tempogram`), averaged over time,
    weighted by a log-normal prior ``exp(-0.5 * ((log2 bpm - log2 start_bpm)
    / std_bpm)**2)`` and restricted to lags below ``max_tempo``; the
    tempo is the BPM of the best lag. The result is therefore one of the
    discrete lag tempi ``60 * sr / (hop_length * lag)``.

    Speech has no beat; on speech the estimate is a property of the syllable
    rhythm, not a musical tempo. Silent input gives the lag closest to
    ``start_bpm`` (the prior alone).

    Parameters
    ----------
    y : ndarray of shape (n_times,), optional
    onset_envelope : ndarray of shape (n_frames,), optional
    sr, n_fft, hop_length
    start_bpm : float, default=120.0
    std_bpm : float, default=1.0
        Width of the prior in octaves.
    ac_size : float, default=8.0
        Autocorrelation window in seconds.
    max_tempo : float or None, default=320.0
    mel_basis : ndarray, optional
        Precomputed Slaney mel filter bank for :func:`onset_strength`.

    Returns
    -------
    bpm : float
    """
    if not start_bpm > 0:
        raise ValueError(f"start_bpm must be > 0. Received: start_bpm={start_bpm!r}")
    if not std_bpm > 0:
        raise ValueError(f"std_bpm must be > 0. Received: std_bpm={std_bpm!r}")
    if onset_envelope is None:
        if y is None:
            raise ValueError("tempo: give either y or onset_envelope")
        onset_envelope = onset_strength(
            y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, mel_basis=mel_basis
        )
    win_length = max(1, int(np.floor(ac_size * sr)) // hop_length)
    tg = tempogram(onset_envelope=onset_envelope, win_length=win_length)
    tg = tg.mean(axis=0)
    bpms = tempo_frequencies(win_length, sr=sr, hop_length=hop_length)
    with np.errstate(divide="ignore"):
        logprior = -0.5 * ((np.log2(bpms) - np.log2(start_bpm)) / std_bpm) ** 2
    if max_tempo is not None:
        max_idx = int(np.argmax(bpms < max_tempo))
        logprior[:max_idx] = -np.inf
    best = int(np.argmax(np.log1p(1e6 * tg) + logprior))
    return float(bpms[best])
