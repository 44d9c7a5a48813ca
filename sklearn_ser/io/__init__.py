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

__all__ = [
    "AudioLoadError",
    "AudioLoader",
    "OutOfRangeAudioWarning",
    "as_waveforms",
    "fix_length",
    "load_audio",
    "load_audio_batch",
    "resample",
]
