"""Emotion timelines of long recordings and live audio.

:func:`predict_timeline` reads a file of any length in blocks and returns
the segments of speech with their decided emotion; :func:`iter_timeline`
does the same for a live stream of chunks and yields each segment as soon as
it is decided; :func:`predict_recording` gives one label per recording from
the whole of it. All work with any fitted pipeline of the toolkit that has
``predict_proba``.
"""

from ._segments import Segment, Timeline, TimelineReadError
from ._stream import StreamResampler, iter_audio_blocks
from ._timeline import (
    fitted_seconds,
    iter_timeline,
    predict_recording,
    predict_timeline,
)
from ._windowing import pipeline_rate
from ._vad import EnergyVAD

__all__ = [
    "EnergyVAD",
    "Segment",
    "StreamResampler",
    "Timeline",
    "TimelineReadError",
    "fitted_seconds",
    "iter_audio_blocks",
    "iter_timeline",
    "pipeline_rate",
    "predict_recording",
    "predict_timeline",
]
