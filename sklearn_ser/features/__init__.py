"""Feature extraction: audio batches -> frame-level or pooled features.

Every extractor is a scikit-learn transformer taking ``X`` = paths and/or
waveforms; the array layout is stated once in
:mod:`sklearn_ser.features._base` (time-major ``(n_samples, n_frames,
n_bins)`` for frame-level features). The numerics are also available as pure
keyword-only functions (:func:`stft`, :func:`mfcc`, :func:`mel_filterbank`, ...).
"""

# core
from ._base import BaseAudioTransformer, fix_frames
from ._frame_transformer import FrameFeatureTransformer, TruncationWarning
from ._mfcc import LMFB, MFCC, log_mel, mfcc
from ._spectrogram import STFT, MelSpectrogram, melspectrogram
from ._entropy import EnergyEntropy, energy_entropy
from ._frame_array import FrameArray
from ._pooling import FrameStats
from ._spectral import (
    dct_matrix,
    delta,
    frame_signal,
    frame_signals,
    get_window,
    lifter_weights,
    mel_filterbank,
    power_to_db,
    preemphasis,
    stft,
)
from ._windows import SlidingWindows

__all__ = [
    "BaseAudioTransformer",
    "EnergyEntropy",
    "FrameArray",
    "FrameFeatureTransformer",
    "FrameStats",
    "LMFB",
    "MFCC",
    "MelSpectrogram",
    "STFT",
    "SlidingWindows",
    "TruncationWarning",
    "dct_matrix",
    "delta",
    "energy_entropy",
    "fix_frames",
    "frame_signal",
    "frame_signals",
    "get_window",
    "lifter_weights",
    "log_mel",
    "mel_filterbank",
    "melspectrogram",
    "mfcc",
    "power_to_db",
    "preemphasis",
    "stft",
]

# image and music
from ._image import SpectrogramImage  # noqa: E402
from ._chroma import chroma_filterbank, chroma_stft  # noqa: E402
from ._music import (  # noqa: E402
    rms,
    spectral_bandwidth,
    spectral_centroid,
    spectral_flatness,
    spectral_flux,
    spectral_rolloff,
    zero_crossing_rate,
)
from ._rhythm import onset_strength, tempo, tempogram  # noqa: E402
from ._music_estimators import (  # noqa: E402
    Chroma,
    MusicFeatures,
    SpectralDescriptors,
    Tempo,
)
from ._tonal import TonalStats, estimate_key, tonal_stats  # noqa: E402
from ._melody import (  # noqa: E402
    MELODY_FEATURES,
    MelodyStats,
    melody_salience,
    melody_stats,
)

__all__ += [
    "MELODY_FEATURES",
    "MelodyStats",
    "melody_salience",
    "melody_stats",
    "Chroma",
    "MusicFeatures",
    "SpectralDescriptors",
    "SpectrogramImage",
    "Tempo",
    "TonalStats",
    "chroma_filterbank",
    "chroma_stft",
    "estimate_key",
    "onset_strength",
    "rms",
    "spectral_bandwidth",
    "spectral_centroid",
    "spectral_flatness",
    "spectral_flux",
    "spectral_rolloff",
    "tempo",
    "tempogram",
    "tonal_stats",
    "zero_crossing_rate",
]

# out-of-core extraction (issue 14)
from ._disk import FeatureShards, extract_to_disk  # noqa: E402

__all__ += ["FeatureShards", "extract_to_disk"]

# openSMILE functionals (eGeMAPS, ComParE); opensmile itself loads lazily
from ._opensmile import (  # noqa: E402
    OPENSMILE_FEATURE_SETS,
    OpenSmileFunctionals,
    opensmile_functionals,
)

__all__ += ["OPENSMILE_FEATURE_SETS", "OpenSmileFunctionals", "opensmile_functionals"]

# log-Mel functionals over active frames (strict, per-utterance mean removed)
from ._logmel_functionals import (  # noqa: E402
    LOGMEL_STATS,
    LogMelFunctionals,
    logmel_functionals,
)

__all__ += ["LOGMEL_STATS", "LogMelFunctionals", "logmel_functionals"]
