"""Feature normalisation: per speaker (metadata-routed ``groups``) and per utterance.

``SpeakerNormalizer(mode="strict")`` uses statistics of the training
speakers only; ``mode="transductive"`` normalises each speaker with its own
statistics (needs the test speaker's unlabelled audio). ``UtteranceCMVN``
normalises frame-level features within each utterance.
"""

from ._speaker import SpeakerNormalizer, UtteranceCMVN

__all__ = ["SpeakerNormalizer", "UtteranceCMVN"]
