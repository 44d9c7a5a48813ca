"""What a timeline returns: segments, the timeline, and its read error.

:class:`Segment` (one stretch of speech with its emotion), :class:`Timeline`
(the segments and the probability trace behind them, as records, a
DataFrame or CSV) and :class:`TimelineReadError` (a recording that broke off,
with the timeline of what came before).
"""

import csv
import io
import os
from dataclasses import dataclass, field

import numpy as np

from ..io import AudioLoadError
from ..utils._validation import to_builtin

__all__ = ["Segment", "Timeline", "TimelineReadError", "write_csv"]


class TimelineReadError(AudioLoadError):
    """A recording broke off (damaged, truncated): ``timeline`` holds what came before.

    The message names the file; ``timeline`` is the :class:`Timeline` of the
    audio read before the damage.
    """

    def __init__(self, message, path=None, timeline=None):
        super().__init__(message, path)
        self.timeline = timeline


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with one decided emotion.

    Attributes
    ----------
    start, end : float
        Seconds from the start of the recording.
    label : object
        One of the pipeline's ``classes_``.
    proba : ndarray of shape (n_classes,)
        Mean smoothed class probabilities over the segment.
    """

    start: float
    end: float
    label: object
    proba: np.ndarray = field(repr=False)

    @property
    def duration(self):
        return self.end - self.start


@dataclass
class Timeline:
    """Decided segments of a recording, with the probability trace behind them.

    Attributes
    ----------
    segments : list of Segment
    classes : ndarray
        The pipeline's classes, the order of every ``proba``.
    duration : float
        Seconds of audio read.
    times : ndarray of shape (n_steps,)
        Start of each ``hop``-long step of the trace (seconds).
    proba : ndarray of shape (n_steps, n_classes), float32
        Smoothed class probabilities of each step; NaN where no speech
        window covers the step.
    source : str or None
    """

    segments: list
    classes: np.ndarray
    duration: float
    times: np.ndarray = field(repr=False)
    proba: np.ndarray = field(repr=False)
    source: object = None

    def __len__(self):
        return len(self.segments)

    def __iter__(self):
        return iter(self.segments)

    def __getitem__(self, i):
        return self.segments[i]

    def _columns(self):
        return ["start", "end", "label", *[f"p_{c}" for c in self.classes]]

    def to_records(self):
        """A list of dicts, one per segment: start, end, label, ``p_<class>``."""
        cols = self._columns()
        return [
            dict(zip(cols, [s.start, s.end, to_builtin(s.label), *map(float, s.proba)]))
            for s in self.segments
        ]

    def to_frame(self):
        """The segments as a :class:`pandas.DataFrame` (pandas imported here)."""
        import pandas as pd

        return pd.DataFrame(self.to_records(), columns=self._columns())

    def to_csv(self, path_or_buf=None):
        """Write the segments as CSV; returns the text when no target is given."""
        buf = io.StringIO() if path_or_buf is None else None
        if isinstance(path_or_buf, (str, os.PathLike)):
            with open(path_or_buf, "w", newline="") as fh:
                write_csv(fh, self._columns(), self.segments, header=True)
            return None
        target = buf if buf is not None else path_or_buf
        write_csv(target, self._columns(), self.segments, header=True)
        return buf.getvalue() if buf is not None else None

    def speech_seconds(self):
        """Total duration of the segments."""
        return float(sum(s.duration for s in self.segments))


def write_csv(fh, columns, segments, *, header):
    """Write ``segments`` as CSV rows (2 decimals for times, 4 for probabilities)."""
    w = csv.writer(fh, lineterminator="\n")
    if header:
        w.writerow(columns)
    for s in segments:
        w.writerow(
            [f"{s.start:.2f}", f"{s.end:.2f}", to_builtin(s.label)]
            + [f"{p:.4f}" for p in s.proba]
        )
