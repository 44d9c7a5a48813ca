"""The spectral front end: waveforms -> STFT, Mel, log Mel or MFCC frames.

One batched pass per batch: :func:`power_spectrum_frames` frames and FFTs
all signals in chunks and maps each chunk's power spectrum through the Mel
projection (:mod:`._mel`); the log (:mod:`._db`), DCT (:mod:`._dct`) and
deltas (:mod:`._delta`) follow. The pure keyword-only functions
:func:`mfcc`, :func:`log_mel` and :func:`melspectrogram` return time-major
``(n_frames, n_bins)`` arrays for one waveform; the transformers of
:mod:`._mfcc` call :func:`_spectral_frames` on chunks of a batch.
"""

import numpy as np

from ._db import _floor_padded, _floor_stacked, _log, _to_db
from ._dct import cepstra
from ._delta import _with_deltas
from ._mel import _filterbank_applier, mel_filterbank
from ._spectrum import power_spectrum_frames, split_frames
from ._threads import single_threaded_blas

__all__ = ["log_mel", "melspectrogram", "mfcc"]


@single_threaded_blas()
def _spectral_frames(
    waves,
    *,
    kind,
    sr,
    n_fft,
    win_length,
    hop_length,
    window,
    center,
    pad_mode,
    convention,
    preemph=0.0,
    power=2.0,
    scale="power",
    n_mels=40,
    fmin=0.0,
    fmax=None,
    htk=False,
    mel_norm="slaney",
    top_db=80.0,
    n_mfcc=13,
    lifter=0.0,
    append_energy=False,
    deltas=0,
    delta_width=2,
    dtype=np.float32,
    n_jobs=None,
    n_samples=None,
    pad_to=None,
    out=None,
):
    """The batched core: list of waveforms -> per-signal frame features.

    ``kind`` is "stft" (spectrum ``** power``, optionally in dB), "mel"
    (Mel spectrogram, power ``power``; in dB with ``scale="db"``), "logmel"
    (log Mel filter bank) or "mfcc". Log conventions: ``"librosa"`` takes
    ``10 log10(max(x, 1e-10))`` floored at ``max - top_db`` per signal (the
    maximum over all the signal's frames, also those cut by ``pad_to``);
    ``"psf"`` takes the natural log after replacing exact zeros by float64
    eps, as python_speech_features does. Pre-emphasis is applied on the fly
    while framing; ``n_samples`` zero-pads or cuts every signal to that
    length (a clip duration) without copying it.

    Returns a list of ``(n_frames_i, n_out)`` arrays, or with ``pad_to`` the
    zero-padded ``(n_signals, pad_to, n_out)`` array (written into ``out``
    when given). The STFT is then computed straight into that array.
    """
    dtype = np.dtype(dtype)
    psf = convention == "psf"
    spec_scale = 1.0 / n_fft if (psf and kind in ("logmel", "mfcc")) else 1.0
    want_energy = append_energy and kind in ("logmel", "mfcc")
    frame_kw = dict(
        ys=waves,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        convention=convention,
        dtype=dtype,
        n_jobs=n_jobs,
        preemph=preemph,
        n_samples=n_samples,
    )
    if kind == "stft":
        db = scale == "db"
        post = _to_db if db else None
        n_bins = n_fft // 2 + 1
        floor = db and top_db is not None
        if pad_to is not None:
            res = power_spectrum_frames(
                **frame_kw,
                power=2.0 if db else power,
                post=post,
                n_out=n_bins,
                pad_to=pad_to,
                out=out,
                signal_max=floor,
            )
            if floor:
                out, n_frames, smax = res
                _floor_padded(out, n_frames, smax - top_db)
                return out
            return res[0]
        stacked, n_frames = power_spectrum_frames(
            **frame_kw, power=2.0 if db else power, post=post, n_out=n_bins
        )
        if floor:
            _floor_stacked(stacked, n_frames, top_db)
    else:
        fb = mel_filterbank(
            sr=sr,
            n_fft=n_fft,
            n_mels=n_mels,
            fmin=fmin,
            fmax=fmax,
            htk=True if psf else htk,
            norm=None if psf else mel_norm,
            style=convention,
            dtype=dtype,
        )
        apply_fb = _filterbank_applier(fb)

        def post(spec):
            mel = apply_fb(spec)
            if want_energy:
                return np.concatenate([mel, spec.sum(axis=1, keepdims=True)], axis=1)
            return mel

        stacked, n_frames = power_spectrum_frames(
            **frame_kw,
            power=2.0 if kind != "mel" else power,
            scale=spec_scale,
            post=post,
            n_out=n_mels + int(want_energy),
        )
        energy = None
        if want_energy:
            energy, stacked = stacked[:, -1:], stacked[:, :-1]
        if kind != "mel" or scale == "db":
            stacked = _log(
                stacked,
                n_frames,
                convention="librosa" if kind == "mel" else convention,
                top_db=top_db,
            )
            if energy is not None:
                energy = _log(energy, n_frames, convention=convention, top_db=None)
        if kind == "mfcc":
            stacked = cepstra(
                log_mel=stacked,
                n_mfcc=n_mfcc,
                lifter=lifter,
                style=convention,
                dtype=dtype,
            )
            if energy is not None:
                stacked[:, 0] = energy[:, 0]
        elif energy is not None:
            stacked = np.concatenate([stacked, energy], axis=1)
    stacked = np.ascontiguousarray(stacked, dtype=dtype)
    if pad_to is None:
        feats = split_frames(stacked, n_frames)
        if deltas:
            feats = [_with_deltas(f, deltas, delta_width) for f in feats]
        return feats
    n_cols = stacked.shape[1] * (1 + deltas)
    shape = (len(n_frames), int(pad_to), n_cols)
    if out is None:
        out = np.zeros(shape, dtype=dtype)
    elif out.shape != shape:
        raise ValueError(f"out must have shape {shape}. Received: {out.shape}")
    start = 0
    for i, n in enumerate(n_frames.tolist()):
        f = stacked[start : start + n]
        start += n
        if deltas:
            f = _with_deltas(f, deltas, delta_width)
        m = min(n, shape[1])
        out[i, :m] = f[:m]
    return out


def melspectrogram(
    *,
    y,
    sr,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    power=2.0,
    n_mels=128,
    fmin=0.0,
    fmax=None,
    htk=False,
    norm="slaney",
    dtype=np.float32,
):
    """Mel spectrogram of one waveform, ``(n_frames, n_mels)``; librosa's defaults."""
    return _spectral_frames(
        [np.asarray(y)],
        kind="mel",
        sr=sr,
        n_fft=n_fft,
        win_length=win_length,
        hop_length=hop_length,
        window=window,
        center=center,
        pad_mode="constant",
        convention="librosa",
        power=power,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=htk,
        mel_norm=norm,
        dtype=dtype,
    )[0]


def log_mel(
    *,
    y,
    sr,
    n_fft=512,
    hop_length=160,
    win_length=400,
    window="boxcar",
    n_mels=26,
    fmin=0.0,
    fmax=None,
    preemph=0.97,
    convention="psf",
    top_db=80.0,
    dtype=np.float32,
):
    """Log Mel filter bank of one waveform, ``(n_frames, n_mels)``.

    Defaults are ``python_speech_features.logfbank``'s at 16 kHz.
    """
    return _spectral_frames(
        [np.asarray(y)],
        kind="logmel",
        sr=sr,
        n_fft=n_fft,
        win_length=win_length,
        hop_length=hop_length,
        window=window,
        center=convention == "librosa",
        pad_mode="constant",
        convention=convention,
        preemph=preemph,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        top_db=top_db,
        dtype=dtype,
    )[0]


def mfcc(
    *,
    y,
    sr,
    n_mfcc=40,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    n_mels=128,
    fmin=0.0,
    fmax=None,
    htk=False,
    norm="slaney",
    top_db=80.0,
    lifter=0.0,
    preemph=0.0,
    append_energy=False,
    convention="librosa",
    dtype=np.float32,
):
    """MFCCs of one waveform, ``(n_frames, n_mfcc)``; librosa's defaults, 40 coeffs."""
    return _spectral_frames(
        [np.asarray(y)],
        kind="mfcc",
        sr=sr,
        n_fft=n_fft,
        win_length=win_length,
        hop_length=hop_length,
        window=window,
        center=center,
        pad_mode="constant",
        convention=convention,
        preemph=preemph,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=htk,
        mel_norm=norm,
        top_db=top_db,
        n_mfcc=n_mfcc,
        lifter=lifter,
        append_energy=append_energy,
        dtype=dtype,
    )[0]
