"""Feature normalisation: per speaker (metadata-routed ``groups``) and per utterance.

``SpeakerNormalizer(mode="strict")`` uses statistics of the training
speakers only; ``mode="transductive"`` normalises each speaker with its own
statistics (needs the test speaker's unlabelled audio). ``UtteranceCMVN``
normalises frame-level features within each utterance. ``CappedPCA`` keeps at
most ``n_components`` components, so a pipeline sized for a full corpus
still fits a small one. ``TrimSilence`` cuts each recording's leading and
trailing silence (optionally its pauses) and ``LoudnessNormalizer`` scales it to
a fixed RMS (waveforms in, waveforms out).
"""

from ._loudness import LoudnessNormalizer, normalize_loudness
from ._pca import CappedPCA
from ._speaker import SpeakerNormalizer, UtteranceCMVN
from ._trim import TrimSilence, trim_silence

__all__ = [
    "CappedPCA",
    "LoudnessNormalizer",
    "SpeakerNormalizer",
    "TrimSilence",
    "UtteranceCMVN",
    "normalize_loudness",
    "trim_silence",
]
