"""The spectral front end: waveforms -> STFT, Mel, log Mel or MFCC frames.

Small pieces composed per kind of feature. A :class:`~._framing.Framing`
says how signals are cut into windowed frames; a :class:`Head` says what
follows the FFT: ``|X| ** power``, a row-wise ``post`` run inside the
chunked FFT loop of :func:`power_spectrum_frames` (the Mel projection of
:mod:`._mel`, dB of :mod:`._db`), a ``finish`` over the stacked rows of
the batch (per-signal log floors, the DCT of :mod:`._dct`) and a per-signal
``top_db`` floor. One function per kind builds its head (:func:`stft_head`,
:func:`mel_head`, :func:`log_mel_head`, :func:`mfcc_head`);
:func:`spectral_frames` runs a head over a batch and lays the rows out per
signal (deltas of :mod:`._delta`, padding). The pure keyword-only functions
:func:`mfcc`, :func:`log_mel` and :func:`melspectrogram` return time-major
``(n_frames, n_bins)`` arrays for one waveform; the transformers of
:mod:`._mfcc`, :mod:`._spectrogram` and :mod:`._image` run the same heads
on chunks of a batch.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._db import _floor_padded, _floor_stacked, _log, _to_db
from ._dct import cepstra
from ._delta import _with_deltas
from ._framing import Framing
from ._mel import _filterbank_applier, mel_filterbank
from ._spectrum import power_spectrum_frames, split_frames
from ._threads import single_threaded_blas

__all__ = ["log_mel", "melspectrogram", "mfcc"]


class Head(NamedTuple):
    """What one kind of feature computes from the frames' FFT.

    ``power`` and ``scale`` give ``|X| ** power * scale``; ``post`` maps a
    chunk of those rows to ``n_out`` columns, row by row, inside the FFT
    loop (``None``: the spectrum itself); ``finish(rows, n_frames)`` then
    works on the stacked rows of the whole batch (steps that need a
    signal's other frames); ``floor_db`` floors each signal at its maximum
    minus that many dB, last.
    """

    power: float = 2.0
    scale: float = 1.0
    post: Callable | None = None
    n_out: int | None = None
    finish: Callable | None = None
    floor_db: float | None = None


def stft_head(*, power=1.0, db=False, top_db=80.0):
    """``|X| ** power``; with ``db``, ``10 log10 |X|^2`` floored per signal."""
    if db:
        return Head(power=2.0, post=_to_db, floor_db=top_db)
    return Head(power=power)


def mel_basis(framing, *, sr, n_mels, fmin=0.0, fmax=None, htk=False, norm="slaney"):
    """The framing convention's Mel filter bank (psf: HTK, unnormalised)."""
    psf = framing.convention == "psf"
    return mel_filterbank(
        sr=sr,
        n_fft=framing.n_fft,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=True if psf else htk,
        norm=None if psf else norm,
        style=framing.convention,
        dtype=framing.dtype,
    )


def mel_head(fb, *, power=2.0, db=False, top_db=80.0):
    """Mel spectra ``|X| ** power @ fb.T``; with ``db`` in dB floored per signal."""
    apply_fb = _filterbank_applier(fb)
    if not db:
        return Head(power=power, post=apply_fb, n_out=fb.shape[0])

    def post(spec):
        return _to_db(apply_fb(spec))

    return Head(power=power, post=post, n_out=fb.shape[0], floor_db=top_db)


def _log_mel_head(framing, fb, *, top_db, energy, then):
    """The head of the log Mel energies (psf: ``ln``; librosa: dB floored per signal).

    With ``energy`` the frame energy (sum of the power spectrum, logged the
    same way, never floored) rides along as a last column. ``then(log_mel,
    log_energy, n_frames)`` makes the feature of the two.
    """
    apply_fb = _filterbank_applier(fb)
    convention = framing.convention

    def post(spec):
        mel = apply_fb(spec)
        if energy:
            return np.concatenate([mel, spec.sum(axis=1, keepdims=True)], axis=1)
        return mel

    def finish(rows, n_frames):
        e = None
        if energy:
            rows, e = rows[:, :-1], rows[:, -1:]
            e = _log(e, n_frames, convention=convention, top_db=None)
        log_mel = _log(rows, n_frames, convention=convention, top_db=top_db)
        return then(log_mel, e, n_frames)

    return Head(
        power=2.0,
        # psf's power spectrum is |X|^2 / n_fft
        scale=1.0 / framing.n_fft if convention == "psf" else 1.0,
        post=post,
        n_out=fb.shape[0] + int(energy),
        finish=finish,
    )


def log_mel_head(framing, fb, *, top_db=80.0, energy=False):
    """Log Mel filter bank energies (and the log frame energy, last)."""

    def then(log_mel, log_energy, n_frames):
        if log_energy is None:
            return log_mel
        return np.concatenate([log_mel, log_energy], axis=1)

    return _log_mel_head(framing, fb, top_db=top_db, energy=energy, then=then)


def mfcc_head(framing, fb, *, n_mfcc, lifter=0.0, top_db=80.0, energy=False):
    """MFCCs: DCT-II of the log Mel energies, liftered; ``energy`` replaces c0."""

    def then(log_mel, log_energy, n_frames):
        out = cepstra(
            log_mel=log_mel,
            n_mfcc=n_mfcc,
            lifter=lifter,
            style=framing.convention,
            dtype=framing.dtype,
        )
        if log_energy is not None:
            out[:, 0] = log_energy[:, 0]
        return out

    return _log_mel_head(framing, fb, top_db=top_db, energy=energy, then=then)


@single_threaded_blas()
def spectral_frames(
    waves, framing, head, *, deltas=0, delta_width=2, n_jobs=None, pad_to=None, out=None
):
    """A batch of waveforms -> the per-signal frame features of ``head``.

    Returns a list of ``(n_frames_i, n_out)`` arrays, or with ``pad_to``
    the zero-padded ``(n_signals, pad_to, n_out)`` array (written into
    ``out`` when given); ``deltas`` appends regression deltas of that order,
    per signal, before padding. Where the head works row by row (no
    ``finish``, no deltas) the rows are computed straight into the padded
    array; a ``floor_db`` then uses each signal's maximum over all its
    frames, also those cut by ``pad_to``.
    """
    kw = dict(
        ys=waves,
        framing=framing,
        power=head.power,
        scale=head.scale,
        post=head.post,
        n_out=head.n_out,
        n_jobs=n_jobs,
    )
    floor = head.floor_db
    if pad_to is not None and head.finish is None and not deltas:
        if floor is None:
            return power_spectrum_frames(**kw, pad_to=pad_to, out=out)[0]
        out, n_frames, smax = power_spectrum_frames(
            **kw, pad_to=pad_to, out=out, signal_max=True
        )
        _floor_padded(out, n_frames, smax - floor)
        return out
    rows, n_frames = power_spectrum_frames(**kw)
    if head.finish is not None:
        rows = head.finish(rows, n_frames)
    if floor is not None:
        _floor_stacked(rows, n_frames, floor)
    rows = np.ascontiguousarray(rows, dtype=framing.dtype)
    return _per_signal_frames(rows, n_frames, deltas, delta_width, pad_to, out)


def _per_signal_frames(rows, n_frames, deltas, delta_width, pad_to, out):
    """Stacked rows -> a list per signal, or padded to ``pad_to`` frames."""
    if pad_to is None:
        feats = split_frames(rows, n_frames)
        if deltas:
            feats = [_with_deltas(f, deltas, delta_width) for f in feats]
        return feats
    shape = (len(n_frames), int(pad_to), rows.shape[1] * (1 + deltas))
    if out is None:
        out = np.zeros(shape, dtype=rows.dtype)
    elif out.shape != shape:
        raise ValueError(f"out must have shape {shape}. Received: {out.shape}")
    start = 0
    for i, n in enumerate(n_frames.tolist()):
        f = rows[start : start + n]
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
    framing = Framing(
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        dtype=dtype,
    )
    fb = mel_basis(
        framing, sr=sr, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm
    )
    return spectral_frames([np.asarray(y)], framing, mel_head(fb, power=power))[0]


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
    framing = Framing(
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=convention == "librosa",
        convention=convention,
        preemph=preemph,
        dtype=dtype,
    )
    fb = mel_basis(framing, sr=sr, n_mels=n_mels, fmin=fmin, fmax=fmax)
    head = log_mel_head(framing, fb, top_db=top_db)
    return spectral_frames([np.asarray(y)], framing, head)[0]


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
    framing = Framing(
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        convention=convention,
        preemph=preemph,
        dtype=dtype,
    )
    fb = mel_basis(
        framing, sr=sr, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm
    )
    head = mfcc_head(
        framing,
        fb,
        n_mfcc=n_mfcc,
        lifter=lifter,
        top_db=top_db,
        energy=append_energy,
    )
    return spectral_frames([np.asarray(y)], framing, head)[0]
