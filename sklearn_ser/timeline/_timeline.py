"""Emotion timelines of long recordings and live audio."""

import csv
import io
import numbers
import os
from dataclasses import dataclass, field

import numpy as np

from ..io import AudioLoadError, as_waveforms
from ..utils._validation import to_builtin
from ._stream import StreamResampler, iter_audio_blocks
from ._vad import EnergyVAD

__all__ = [
    "Segment",
    "Timeline",
    "TimelineReadError",
    "fitted_seconds",
    "iter_timeline",
    "pipeline_rate",
    "predict_recording",
    "predict_timeline",
]


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
                _write_csv(fh, self._columns(), self.segments, header=True)
            return None
        target = buf if buf is not None else path_or_buf
        _write_csv(target, self._columns(), self.segments, header=True)
        return buf.getvalue() if buf is not None else None

    def speech_seconds(self):
        """Total duration of the segments."""
        return float(sum(s.duration for s in self.segments))


def _write_csv(fh, columns, segments, *, header):
    w = csv.writer(fh, lineterminator="\n")
    if header:
        w.writerow(columns)
    for s in segments:
        w.writerow(
            [f"{s.start:.2f}", f"{s.end:.2f}", to_builtin(s.label)]
            + [f"{p:.4f}" for p in s.proba]
        )


def pipeline_rate(pipeline):
    """The sampling rate a fitted pipeline expects: its first step's ``sr``.

    Raises ``ValueError`` when the first step has no ``sr``.
    """
    steps = getattr(pipeline, "steps", None)
    first = steps[0][1] if steps else pipeline
    sr = getattr(first, "sr", None)
    if isinstance(sr, numbers.Integral) and not isinstance(sr, bool) and sr > 0:
        return int(sr)
    raise ValueError(
        "Cannot tell the pipeline's sampling rate: its first step has no `sr`. "
        f"Pass sr=... explicitly. Received: first step {type(first).__name__}"
    )


def fitted_seconds(pipeline):
    """Longest signal (seconds) the pipeline's first step uses whole, or None.

    Frame-level transformers pad or trim every signal to a fixed frame count
    (``duration``, ``max_frames`` or the fitted ``n_frames_``); anything
    beyond is ignored. ``None`` when the first step has no such limit.
    """
    steps = getattr(pipeline, "steps", None)
    first = steps[0][1] if steps else pipeline
    if getattr(first, "duration", None) is not None:
        return float(first.duration)
    try:
        n = int(first._target_frames())
        frame_length, hop, center, _ = first._frame_params()
    except Exception:  # noqa: BLE001 - not a frame transformer, or not fitted
        return None
    n_samples = n * hop if center else (n - 1) * hop + frame_length
    return n_samples / float(first.sr)


def _check_params(window, hop, smooth, batch_size):
    for name, v in (("window", window), ("hop", hop)):
        if not isinstance(v, numbers.Real) or not v > 0:
            raise ValueError(f"{name} must be > 0 seconds. Received: {name}={v!r}")
    if not isinstance(smooth, numbers.Real) or smooth < 0:
        raise ValueError(f"smooth must be >= 0 seconds. Received: smooth={smooth!r}")
    r = window / hop
    if abs(r - round(r)) > 1e-6:
        raise ValueError(
            "window must be a whole multiple of hop. Received: "
            f"window={window}, hop={hop}"
        )
    if not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(
            "batch_size must be a positive integer. Received: "
            f"batch_size={batch_size!r}"
        )


class _Engine:
    """Windows -> probabilities -> smoothed steps -> segments, incrementally.

    Audio at the pipeline's rate is pushed in pieces of any size. Windows of
    ``window`` seconds start every ``hop`` seconds; the recording is cut into
    ``hop``-long steps. Each window holding speech (per the VAD) is
    classified; each step's probabilities are the average of the windows
    covering it, weighted by their fraction of speech frames, then a centred
    moving average over ``smooth`` seconds of steps (weights carried, so
    steps without speech do not dilute it). Every speech frame takes the
    arg-max class of its step; runs of speech frames with one class are the
    segments. Only the audio of the windows not yet classified, the VAD's
    history and the steps not yet decided are kept.
    """

    def __init__(self, pipeline, sr, *, window, hop, smooth, vad, batch_size,
                 keep_trace=True):
        self.pipeline = pipeline
        self.classes = np.asarray(getattr(pipeline, "classes_"))
        self.sr = sr
        if vad is True or vad is None:
            vad = EnergyVAD(sr)
        elif isinstance(vad, dict):
            vad = EnergyVAD(sr, **vad)
        self.vad = vad if vad is not False else None
        self.fl = vad.frame_length if self.vad else max(1, int(round(sr / 100)))
        self.hop_f = max(1, int(round(hop * sr / self.fl)))
        self.r = max(1, int(round(window / hop)))
        self.win_f = self.hop_f * self.r
        self.s = int(round(smooth / (2 * hop)))
        self.batch_size = batch_size
        self.keep_trace = keep_trace
        C = len(self.classes)
        self.n = 0  # samples received
        self.audio = np.zeros(0, dtype=np.float32)
        self.abase = 0  # global sample index of audio[0]
        self.flags = np.zeros(0, dtype=bool)
        self.fbase = 0  # global frame index of flags[0]
        self.D = 0  # frames decided by the VAD
        self.k = 0  # next window
        self.csum = np.zeros((0, C))
        self.cw = np.zeros(0)
        self.cbase = 0  # global step index of csum[0]
        self.next_cell = 0
        self.seg = None  # open segment: [start_frame, end_frame, cls, psum, nframes]
        self.total = np.zeros(C)
        self.total_w = 0.0
        self.n_windows = 0
        self.speech_frames = 0
        self.trace = []

    # -- input ---------------------------------------------------------
    def push(self, y):
        y = np.asarray(y, dtype=np.float32).ravel()
        self.n += y.shape[0]
        self.audio = np.concatenate([self.audio, y])
        if self.vad is not None:
            dec = self.vad.push(y)
        else:
            n_full = self.n // self.fl
            dec = np.ones(n_full - self.D, dtype=bool)
        self._add_flags(dec)
        out = self._windows(final=False)
        self._trim()
        return out

    def finish(self):
        if self.vad is not None:
            self._add_flags(self.vad.flush())
        n_full = self.n // self.fl
        if self.D < n_full:  # never with the VAD; kept for safety
            self._add_flags(np.zeros(n_full - self.D, dtype=bool))
        return self._windows(final=True)

    def _add_flags(self, dec):
        if dec.size:
            self.flags = np.concatenate([self.flags, dec])
            self.D += dec.shape[0]
            self.speech_frames += int(dec.sum())

    # -- windows -------------------------------------------------------
    def _windows(self, final):
        ks, waves, weights = [], [], []
        out = []
        while True:
            f0 = self.k * self.hop_f
            f1 = f0 + self.win_f
            if f1 > self.D:
                if not final or f0 >= self.D:
                    break
                f1 = self.D
                # a cut window at the end: only if at least half a window
                if self.k > 0 and (f1 - f0) * 2 < self.win_f:
                    self.k += 1
                    continue
            fl = self.flags[f0 - self.fbase : f1 - self.fbase]
            w = float(fl.sum()) / self.win_f
            if w > 0:
                a0 = f0 * self.fl - self.abase
                waves.append(self.audio[a0 : a0 + (f1 - f0) * self.fl])
                ks.append(self.k)
                weights.append(w)
            self.k += 1
            if len(waves) >= self.batch_size:
                self._classify(ks, waves, weights)
                ks, waves, weights = [], [], []
                out += self._cells(final=False)
        if waves:
            self._classify(ks, waves, weights)
        # every step with index < k has all its windows by now
        n_cells = self.k + (self.r - 1 if final else 0)
        self._grow_cells(n_cells)
        out += self._cells(final=final)
        return out

    def _grow_cells(self, n_cells):
        need = n_cells - self.cbase - self.cw.shape[0]
        if need > 0:
            self.csum = np.concatenate([self.csum, np.zeros((need, len(self.classes)))])
            self.cw = np.concatenate([self.cw, np.zeros(need)])

    def _classify(self, ks, waves, weights):
        proba = np.asarray(self.pipeline.predict_proba(_batch(waves)), dtype=float)
        w = np.asarray(weights)
        self._grow_cells(ks[-1] + self.r)
        for k, p, wk in zip(ks, proba, w):
            i = k - self.cbase
            self.csum[i : i + self.r] += wk * p
            self.cw[i : i + self.r] += wk
        self.total += (w[:, None] * proba).sum(axis=0)
        self.total_w += float(w.sum())
        self.n_windows += len(ks)

    # -- steps -> segments ---------------------------------------------
    def _cells(self, final):
        out = []
        last = self.cbase + self.cw.shape[0] if final else self.k - self.s
        while self.next_cell < last:
            c = self.next_cell
            i = c - self.cbase
            lo, hi = max(0, i - self.s), i + self.s + 1
            wsum = self.cw[lo:hi].sum()
            p = self.csum[lo:hi].sum(axis=0) / wsum if wsum > 0 else None
            if self.keep_trace:
                self.trace.append(p)
            f0 = c * self.hop_f
            f1 = min(f0 + self.hop_f, self.D)
            fl = self.flags[f0 - self.fbase : f1 - self.fbase] if f1 > f0 else []
            out += self._frames(f0, fl, p)
            self.next_cell += 1
        if final:
            out += self._close()
        return out

    def _frames(self, f0, fl, p):
        out = []
        if len(fl) == 0:
            return out
        cls = int(np.argmax(p)) if p is not None else -1
        fl = np.asarray(fl, dtype=np.int8)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], fl, [0]])))
        runs = edges.reshape(-1, 2)  # [start, end) of speech runs in this step
        if runs.shape[0] == 0 or runs[0, 0] > 0:
            out += self._close()
        for j, (a, b) in enumerate(runs):
            if j > 0:
                out += self._close()
            if cls < 0:  # no window covers it (only a cut end with window == hop)
                out += self._close()
                continue
            if self.seg is not None and self.seg[2] != cls:
                out += self._close()
            if self.seg is None:
                self.seg = [f0 + a, f0 + b, cls, np.zeros(len(self.classes)), 0]
            self.seg[1] = f0 + b
            self.seg[3] += p * (b - a)
            self.seg[4] += b - a
        if runs.shape[0] and runs[-1, 1] < len(fl):
            out += self._close()
        return out

    def _close(self):
        if self.seg is None:
            return []
        f0, f1, cls, psum, nf = self.seg
        self.seg = None
        t = self.fl / self.sr
        return [Segment(float(f0 * t), float(f1 * t), to_builtin(self.classes[cls]),
                        (psum / nf).astype(np.float32))]

    def _trim(self):
        # audio and flags: from the next window on; steps: from the smoothing
        # context of the next undecided step on
        f_keep = min(self.k * self.hop_f, self.next_cell * self.hop_f)
        a_keep = f_keep * self.fl
        if a_keep - self.abase > self.audio.shape[0] // 2 and a_keep > self.abase:
            self.audio = self.audio[a_keep - self.abase :]
            self.abase = a_keep
        if f_keep - self.fbase > self.flags.shape[0] // 2 and f_keep > self.fbase:
            self.flags = self.flags[f_keep - self.fbase :]
            self.fbase = f_keep
        c_keep = max(self.cbase, self.next_cell - self.s)
        if c_keep - self.cbase > self.cw.shape[0] // 2:
            self.csum = self.csum[c_keep - self.cbase :]
            self.cw = self.cw[c_keep - self.cbase :]
            self.cbase = c_keep

    def timeline(self, segments, source):
        C = len(self.classes)
        proba = np.array(
            [np.full(C, np.nan) if p is None else p for p in self.trace],
            dtype=np.float32,
        ).reshape(-1, C)
        times = np.arange(proba.shape[0]) * self.hop_f * self.fl / self.sr
        return Timeline(list(segments), self.classes, self.n / self.sr, times,
                        proba, source)


def _batch(waves):
    X = np.empty(len(waves), dtype=object)
    for i, w in enumerate(waves):
        X[i] = w
    return X


def _engine(pipeline, sr, window, hop, smooth, vad, batch_size, keep_trace=True):
    _check_params(window, hop, smooth, batch_size)
    if not hasattr(pipeline, "predict_proba"):
        raise ValueError(
            "The timeline needs a classifier with predict_proba. Received: "
            f"{type(pipeline).__name__}"
        )
    rate = pipeline_rate(pipeline) if sr is None else int(sr)
    return _Engine(pipeline, rate, window=window, hop=hop, smooth=smooth, vad=vad,
                   batch_size=batch_size, keep_trace=keep_trace)


def iter_timeline(
    pipeline,
    chunks,
    sr,
    *,
    window=2.0,
    hop=0.5,
    smooth=2.0,
    vad=True,
    batch_size=64,
):
    """Yield emotion segments of a live stream as soon as each is decided.

    Parameters
    ----------
    pipeline : fitted estimator with ``predict_proba``
        Any fitted pipeline of the toolkit; it is given 1-D waveforms at its
        first step's ``sr``.
    chunks : iterable of 1-D float arrays
        Mono samples in [-1, 1] at rate ``sr``, of any lengths (a microphone
        callback's buffers, ``ffmpeg -f f32le`` read from a pipe...).
    sr : int
        Rate of ``chunks``; resampled (seamlessly across chunks) to the
        pipeline's rate when different.
    window, hop : float, default=2.0, 0.5
        Seconds per classified window and between window starts; ``window``
        must be a whole multiple of ``hop``.
    smooth : float, default=2.0
        Width (seconds) of the centred moving average over the ``hop``-long
        steps; 0 keeps only the averaging of overlapping windows.
    vad : bool, dict or EnergyVAD, default=True
        Skip non-speech with :class:`EnergyVAD` (a dict gives its
        parameters); ``False`` treats all audio as speech.
    batch_size : int, default=64
        Most windows classified in one call.

    Yields
    ------
    Segment
        In time order. A segment is yielded once the audio up to
        ``end + window + hop * (1 + round(smooth / (2 * hop)))`` plus the
        VAD's ``max(min_speech, min_pause)`` has arrived (3.8 s with the
        defaults), plus the time to classify: the bounded latency of the
        stream. Label changes fall on ``hop`` steps; speech edges on 10 ms
        VAD frames.

    Returns
    -------
    Timeline
        The generator's return value (``StopIteration.value``) is the whole
        :class:`Timeline`.
    """
    rate = pipeline_rate(pipeline)
    eng = _engine(pipeline, rate, window, hop, smooth, vad, batch_size)
    res = StreamResampler(int(sr), rate)
    segments = []
    for i, chunk in enumerate(chunks):
        chunk = np.asarray(chunk, dtype=np.float32).ravel()
        if not np.isfinite(chunk).all():
            raise ValueError(
                f"chunk {i} of the stream holds NaN or infinite samples "
                f"(after {eng.n / rate:.2f} s)"
            )
        for seg in eng.push(res.push(chunk)):
            segments.append(seg)
            yield seg
    tail = eng.push(res.flush()) + eng.finish()
    for seg in tail:
        segments.append(seg)
        yield seg
    return eng.timeline(segments, None)


def _iter_file(pipeline, path, window, hop, smooth, vad, batch_size, block_frames,
               keep_trace=True):
    """Generator of the segments of a file; returns the :class:`Timeline`."""
    rate = pipeline_rate(pipeline)
    eng = _engine(pipeline, rate, window, hop, smooth, vad, batch_size, keep_trace)
    segments = []
    try:
        for block in iter_audio_blocks(path, sr=rate, block_frames=block_frames):
            for seg in eng.push(block):
                segments.append(seg)
                yield seg
    except AudioLoadError as exc:
        if eng.n == 0:
            raise
        for seg in eng.finish():  # decide what came before the damage
            segments.append(seg)
            yield seg
        raise TimelineReadError(
            str(exc), exc.path, eng.timeline(segments, os.fspath(path))
        ) from exc
    for seg in eng.finish():
        segments.append(seg)
        yield seg
    return eng.timeline(segments, os.fspath(path))


def predict_timeline(
    pipeline,
    path,
    *,
    window=2.0,
    hop=0.5,
    smooth=2.0,
    vad=True,
    batch_size=64,
    block_frames=1 << 18,
):
    """Emotion timeline of an audio file of any length.

    The file is read ``block_frames`` frames at a time (memory stays bounded
    whatever its length), resampled to the pipeline's rate, cut into
    overlapping windows that are classified in batches, smoothed and
    turned into segments as described in :func:`iter_timeline` (same
    parameters).

    Parameters
    ----------
    pipeline : fitted estimator with ``predict_proba``
    path : str or os.PathLike
    window, hop, smooth, vad, batch_size : see :func:`iter_timeline`
    block_frames : int, default=262144
        Frames read from the file at a time.

    Returns
    -------
    Timeline

    Raises
    ------
    AudioLoadError
        The file cannot be opened or holds no audio (message names it).
    TimelineReadError
        The file breaks off part-way (damaged, truncated): its
        ``timeline`` attribute holds the segments before the damage.
    """
    gen = _iter_file(pipeline, path, window, hop, smooth, vad, batch_size,
                     block_frames)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def predict_recording(
    pipeline,
    X,
    *,
    window=2.0,
    hop=0.5,
    vad=True,
    batch_size=64,
    block_frames=1 << 18,
):
    """One label per recording, using the whole of each recording.

    A recording no longer than what the pipeline's first step uses whole
    (:func:`fitted_seconds`: the fitted frame count, ``duration`` or
    ``max_frames``) is classified as it is, exactly as ``pipeline.predict``
    would. A longer one would be cut there by the pipeline, so instead its
    ``window``-second windows (every ``hop`` seconds) over the speech found
    by the VAD are classified and their probabilities averaged, weighted by
    each window's fraction of speech: the label is the arg-max of that
    average. Files are read in blocks, so their length does not matter.

    Parameters
    ----------
    pipeline : fitted estimator with ``predict_proba``
    X : list of paths and/or 1-D waveforms at the pipeline's rate
    window, hop, vad, batch_size, block_frames : see :func:`predict_timeline`

    Returns
    -------
    labels : ndarray of shape (n,)
    proba : ndarray of shape (n, n_classes)
    details : list of dict
        Per recording: ``seconds`` (length), ``method`` (``"whole"`` or
        ``"pooled"``), ``windows`` (windows averaged), ``speech_seconds``
        (speech the windows covered; with no speech at all every window is
        averaged and this is 0).
    """
    from ..model_selection import predict_with_proba

    rate = pipeline_rate(pipeline)
    limit = fitted_seconds(pipeline)
    items = list(X)
    classes = np.asarray(pipeline.classes_)
    labels = np.empty(len(items), dtype=classes.dtype)
    proba = np.zeros((len(items), len(classes)))
    details = [None] * len(items)
    whole = []
    for i, item in enumerate(items):
        secs = _seconds(item, rate)
        if limit is None or secs <= limit + 1e-9:
            whole.append(i)
            details[i] = {"seconds": secs, "method": "whole", "windows": 1,
                          "speech_seconds": None}
            continue
        p, n_win, speech = _pooled(pipeline, item, rate, window, hop, vad,
                                   batch_size, block_frames)
        proba[i] = p
        labels[i] = classes[int(np.argmax(p))]
        details[i] = {"seconds": secs, "method": "pooled", "windows": n_win,
                      "speech_seconds": speech}
    if whole:
        lab, pr = predict_with_proba(pipeline, _batch([items[i] for i in whole]))
        labels[whole] = lab
        proba[whole] = pr
    return labels, proba, details


def _seconds(item, rate):
    if isinstance(item, (str, bytes, os.PathLike)):
        import soundfile as sf

        name = os.fsdecode(item)
        try:
            info = sf.info(name)
        except Exception:  # noqa: BLE001 - let the loader word the error
            as_waveforms([name], rate)
            raise
        return info.frames / float(info.samplerate)
    return np.asarray(item).shape[0] / float(rate)


def _pooled(pipeline, item, rate, window, hop, vad, batch_size, block_frames):
    for use_vad in (vad, False):
        eng = _engine(pipeline, rate, window, hop, 0.0, use_vad, batch_size,
                      keep_trace=False)
        if isinstance(item, (str, bytes, os.PathLike)):
            for block in iter_audio_blocks(item, sr=rate, block_frames=block_frames):
                eng.push(block)
        else:
            (w,) = as_waveforms(_batch([item]), rate)
            eng.push(w)
        eng.finish()
        if eng.total_w > 0:
            fallback = use_vad is False and vad is not False
            speech = 0.0 if fallback else eng.speech_frames * eng.fl / rate
            return eng.total / eng.total_w, eng.n_windows, speech
    raise AudioLoadError("recording too short to classify")  # pragma: no cover
