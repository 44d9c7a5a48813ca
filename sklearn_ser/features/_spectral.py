"""Spectral numerics: the conventions and array layout, and the public functions.

Each step lives in its own module: :mod:`._framing` (:class:`Framing`, the
one object that says how a batch is framed; windows, frame counts,
pre-emphasis), :mod:`._spectrum` (power spectra of all frames, the FFT
step), :mod:`._mel` (Mel scale, filter banks and their application),
:mod:`._db` (dB with the per-signal ``top_db`` floor, psf's natural log),
:mod:`._dct` (DCT-II, lifter, cepstra) and :mod:`._delta` (regression
deltas). This module states what they share and re-exports them.

Array layout, stated once for :mod:`sklearn_ser.features`
---------------------------------------------------------
Every frame-level feature is **time-major**: one signal gives
``(n_frames, n_bins)`` and a batch gives ``(n_signals, n_frames, n_bins)``
(the transpose of librosa's ``(n_bins, n_frames)``), because that is what
scikit-learn, Keras sequence models and :class:`FrameStats` consume.
Frame ``t`` of a centred transform is centred on sample ``t * hop_length``.

Two numerical conventions are offered where the reference libraries differ:

``"librosa"``
    Centred frames (``n_fft // 2`` samples of padding on each side),
    ``1 + len(y) // hop_length`` frames, periodic window zero-padded to
    ``n_fft``, Slaney or HTK Mel filters on continuous frequencies, the
    lifter ``1 + L/2 sin(pi (n + 1) / L)``. Matches ``librosa.stft`` /
    ``librosa.feature.melspectrogram`` / ``librosa.feature.mfcc``.
``"psf"``
    python_speech_features' framing: frames start at sample 0 (no centring),
    the tail is zero-padded so that every sample is covered
    (``1 + ceil((len(y) - win_length) / hop_length)`` frames, at least one),
    each frame of ``win_length`` samples is zero-padded (or cut) to
    ``n_fft`` at its end, HTK Mel filters with edges snapped to integer FFT
    bins, the lifter ``1 + L/2 sin(pi n / L)``. Matches
    ``python_speech_features.mfcc`` / ``logfbank``.

All functions compute in ``float32`` unless ``dtype`` says otherwise and
return ``float32`` by default. Windows, filter banks, DCT matrices and lifter
weights are built once per parameter set (``functools.lru_cache``) and
returned read-only.
"""

from ._db import power_to_db
from ._dct import dct_matrix, lifter_weights
from ._delta import delta
from ._framing import (
    Framing,
    frame_signal,
    frame_signals,
    get_window,
    n_frames_for_length,
    preemphasis,
)
from ._mel import hz_to_mel, mel_filterbank, mel_to_hz
from ._spectrum import power_spectrum_frames, split_frames, stft
from ._validation import CONVENTIONS

__all__ = [
    "CONVENTIONS",
    "Framing",
    "dct_matrix",
    "delta",
    "frame_signal",
    "frame_signals",
    "get_window",
    "hz_to_mel",
    "lifter_weights",
    "mel_filterbank",
    "mel_to_hz",
    "n_frames_for_length",
    "power_spectrum_frames",
    "power_to_db",
    "preemphasis",
    "split_frames",
    "stft",
]
