"""Audio input: loading files, resampling and the batch contract."""

from ._audio import (
    AudioLoadError,
    OutOfRangeAudioWarning,
    as_waveforms,
    fix_length,
    load_audio,
    load_audio_batch,
    resample,
)
from ._loader import AudioLoader
from ._quality import AudioQuality, inspect_audio

__all__ = [
    "AudioLoadError",
    "AudioLoader",
    "AudioQuality",
    "OutOfRangeAudioWarning",
    "as_waveforms",
    "fix_length",
    "inspect_audio",
    "load_audio",
    "load_audio_batch",
    "resample",
]
