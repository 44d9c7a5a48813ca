"""The incremental engine of the timeline: windows -> steps -> segments.

Audio at the pipeline's rate goes in, in pieces of any size; decided
:class:`~sklearn_ser.timeline.Segment` objects come out. The public functions
of :mod:`sklearn_ser.timeline._timeline` (a file, a stream, one label per
recording) all drive one :class:`_Engine` made by :func:`_engine`.
"""

import numbers

import numpy as np

from ..utils._validation import to_builtin
from ._segments import Segment, Timeline
from ._vad import EnergyVAD

__all__ = ["pipeline_rate"]


def _readers(est):
    """The estimators that read ``est``'s audio: a Pipeline's first step, the
    inner estimator of a meta-estimator (e.g. ``AugmentedClassifier``), every
    member of an ensemble (e.g. ``VotingClassifier``) or of a
    ``FeatureUnion``."""
    steps = getattr(est, "steps", None)
    if steps:
        return _readers(steps[0][1])
    if hasattr(est, "sr"):
        return [est]
    inner = getattr(est, "estimator_", None) or getattr(est, "estimator", None)
    if inner is not None and hasattr(inner, "fit"):
        return _readers(inner)
    members = (
        getattr(est, "estimators_", None)
        or getattr(est, "estimators", None)
        or getattr(est, "transformer_list", None)
    )
    if isinstance(members, list | tuple) and members:
        members = [m[1] if isinstance(m, tuple) else m for m in members]
        return [r for m in members if hasattr(m, "fit") for r in _readers(m)]
    return [est]


def pipeline_rate(pipeline):
    """The sampling rate a fitted pipeline expects: its first step's ``sr``.

    The first step is looked for inside meta-estimators and ensembles too;
    their members must agree. Raises ``ValueError`` when no first step has an
    ``sr``, or when they differ.
    """
    readers = _readers(pipeline)
    rates = {getattr(r, "sr", None) for r in readers}
    if len(rates) == 1:
        sr = rates.pop()
        if isinstance(sr, numbers.Integral) and not isinstance(sr, bool) and sr > 0:
            return int(sr)
    names = ", ".join(
        f"{type(r).__name__}(sr={getattr(r, 'sr', None)!r})" for r in readers
    )
    raise ValueError(
        "Cannot tell the pipeline's sampling rate: its first step has no `sr`, or "
        "its members' first steps disagree. Pass sr=... explicitly. Received: "
        f"first step {names}"
    )


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
