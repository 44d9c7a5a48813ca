"""The frame-level base class: one hook, chunked decoding, threads, truncation.

:class:`FrameFeatureTransformer` is the base of every extractor whose output
is ``(n_samples, n_frames, n_bins)`` (the layout of :mod:`._base`); a
subclass implements one hook, ``_frames``, and the base owns ``fit``
(``n_frames_``), decoding in chunks, threads, ``duration``/``max_frames``,
padding, lengths and the :class:`TruncationWarning`.

Batching
--------
All signals of a batch are framed together: they are laid out one after the
other in one buffer (each with its own padding) and the frames of the whole
batch go through the window, FFT, filter bank and DCT in chunks of a few
thousand frames. No signal is padded to the batch's longest one, so nothing
is computed twice and features never depend on the other signals of the batch.
"""

import os
import re
import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.utils._param_validation import Interval

from ..io import AudioLoadError, as_waveforms
from ..utils._progress import progress
from ._base import BaseAudioTransformer, _path_batch, fix_frames
from ._frame_array import FrameArray
from ._threads import single_threaded_blas

__all__ = ["FrameBatch", "FrameFeatureTransformer", "TruncationWarning"]

# A streamed batch is cut into about _TASKS tasks of at most _FILES_PER_TASK
# files; batches under _MIN_STREAMED items are one task (the hook may then
# thread inside it). These sizes depend on the batch only, never on n_jobs,
# so threaded and serial runs are bit-identical (see _threads.py).
_FILES_PER_TASK = 32
_TASKS = 16
_MIN_STREAMED = 8

# Inputs named in a TruncationWarning (the rest are counted).
_NAMED_IN_WARNING = 3


class TruncationWarning(UserWarning):
    """An input was longer than the fixed frame count or duration: its end was cut.

    Emitted once per ``transform`` / ``fit_transform`` call by a frame-level
    transformer whose frame count is learnt in ``fit`` (``n_frames_``) or
    fixed by ``max_frames`` / ``duration``, naming the first inputs cut, their
    length and the seconds actually used. To analyse a whole long recording,
    use :mod:`sklearn_ser.timeline` (``predict_timeline``).
    """


class FrameBatch(NamedTuple):
    """What a frame-level transformer computes for a batch, before padding.

    ``features`` is the subclass's raw result; ``n_samples`` the length of
    every input in samples, as decoded (before a ``duration`` cut), from
    which the frame counts and any truncation follow.
    """

    features: object
    n_samples: np.ndarray


def _join(parts):
    """Chunk results (lists of frames, or padded arrays) -> one batch result."""
    if all(isinstance(p, list) for p in parts):
        return [f for p in parts for f in p]
    parts = [fix_frames(features=p, n_frames=max(len(f) for f in p)) if isinstance(p, list) else p for p in parts]
    width = max(p.shape[1] for p in parts)
    out = np.zeros((sum(len(p) for p in parts), width, *parts[0].shape[2:]), dtype=parts[0].dtype)
    lo = 0
    for p in parts:
        out[lo : lo + len(p), : p.shape[1]] = p
        lo += len(p)
    return out


def _batch_position(exc, offset):
    """``exc`` with its leading ``X[i]`` shifted by ``offset`` (a chunk's start)."""
    msg = re.sub(
        r"^X\[(\d+)\]", lambda m: f"X[{int(m.group(1)) + offset}]", str(exc), count=1
    )
    return AudioLoadError(msg, exc.path)


def _lengths(waves):
    return np.array([w.shape[0] for w in waves], dtype=np.int64)


def _item_names(X, idx):
    """How the warning names ``X[i]``: the path as given, else ``X[i]``."""
    items = _path_batch(X) if X is not None else None
    names = []
    for i in idx:
        item = items[i] if items is not None and i < len(items) else None
        if isinstance(item, (str, os.PathLike)):
            names.append(repr(str(os.fspath(item))))
        else:
            names.append(f"X[{i}]")
    return names


class FrameFeatureTransformer(BaseAudioTransformer):
    """A :class:`BaseAudioTransformer` whose output is ``(n, n_frames, n_bins)``.

    The frame count is fixed so that training and test batches agree:

    - ``duration`` (seconds): every waveform is zero-padded or trimmed to
      ``round(duration * sr)`` samples *before* framing (what S1 does with
      its 5 s clips), so ``n_frames`` follows from the framing;
    - ``max_frames``: frames are zero-padded or trimmed after framing;
    - neither: ``fit`` sets ``n_frames_`` to the frame count of the longest
      training signal and ``transform`` pads/trims to it (the transformer
      then needs fitting, like a scaler).

    The output is a :class:`~sklearn_ser.features.FrameArray` whose
    ``lengths`` count the real (non-padding) frames of each sample, which
    :class:`FrameStats` pools; padded frames are all-zero rows.

    Adding an extractor
    -------------------
    A subclass declares its parameters in ``__init__`` (with ``sr``,
    ``max_frames``, ``duration``, ``n_jobs``, ``memory``, ``verbose``),
    ``_frame_params()`` (its framing) and ONE hook, :meth:`_frames`, which
    maps a chunk of waveforms to their frames. The base owns the rest:
    ``fit`` (``n_frames_``), decoding paths chunk by chunk (so a corpus is
    never held decoded in memory), threads over chunks, the ``duration``
    cut, padding, lengths and the :class:`TruncationWarning`.
    """

    # Where the output is wide (STFT), a batch whose frame count is not
    # known yet is decoded first, so that the chunks write into the result.
    _stream_unknown_frame_count = True

    def _frames(self, waves, *, out=None, n_jobs=1):
        """The hook: the frame features of a chunk of waveforms.

        Parameters
        ----------
        waves : list of 1-D float32 ndarray
            At ``self.sr``, already padded or cut to ``duration``.
        out : ndarray or None
            With :meth:`_n_columns` known, a zero array
            ``(len(waves), n_frames, n_columns)`` that the features may be
            written into (and returned).
        n_jobs : int
            Threads the hook may use (more than 1 only when the whole batch
            is one chunk).

        Returns
        -------
        list of ndarray of shape (n_frames_i, n_columns), or a zero-padded
        ndarray of shape (len(waves), n_frames, n_columns); ``n_frames_i``
        is what :meth:`_frame_counts` gives for the waveform's length.
        """
        raise NotImplementedError  # pragma: no cover

    def _n_columns(self):
        """Width of a frame when known before computing (then chunks write in place)."""
        return None

    def _learns_frame_count(self):
        return self.max_frames is None and self.duration is None

    def _known_target(self):
        """The output frame count when it does not depend on the batch, else None."""
        if getattr(self, "max_frames", None) is not None or self.duration is not None:
            return self._target_frames()
        return getattr(self, "n_frames_", None)

    def _fitted_state(self):
        if self._learns_frame_count() and hasattr(self, "n_frames_"):
            return {"n_frames_": self.n_frames_}
        return {}

    _parameter_constraints: dict = {
        **BaseAudioTransformer._parameter_constraints,
        "max_frames": [Interval(Integral, 1, None, closed="left"), None],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
    }

    def _check_params(self):
        if getattr(self, "max_frames", None) is not None and self.duration is not None:
            raise ValueError(
                "Give at most one of max_frames and duration. Received: "
                f"max_frames={self.max_frames}, duration={self.duration}"
            )

    def _raw_from_batch(self, X, *, n_jobs, verbose):
        """Decode and featurise ``X`` in chunks of files, in threads.

        Each task resolves a chunk of ``X`` with :func:`~sklearn_ser.io.as_waveforms`
        and computes its frames with :meth:`_frames` (into its rows of the
        zero-padded result when the frame count and width are known), so
        with paths the decoded corpus is never held in memory at once and
        decoding overlaps the computation. Chunk sizes depend on the batch
        only, never on ``n_jobs``: threaded and serial runs are bit-identical.
        """
        target = self._known_target()
        items = _path_batch(X)
        if items is None or (target is None and not self._stream_unknown_frame_count):
            # waveforms (cheap to resolve) or the batch maximum is needed first
            items = as_waveforms(X, self.sr, n_jobs=n_jobs, verbose=verbose)
            if target is None:
                target = int(self._frame_counts(_lengths(items)).max())
        workers = 1 if n_jobs in (None, 1) else effective_n_jobs(n_jobs)
        n = len(items)
        if n < _MIN_STREAMED:  # one chunk; the hook may thread inside it
            bounds, inner = [(0, n)], n_jobs
        else:
            size = max(1, min(_FILES_PER_TASK, -(-n // _TASKS)))
            bounds, inner = [(lo, min(lo + size, n)) for lo in range(0, n, size)], 1
        n_cols = self._n_columns()
        out = None
        if target is not None and n_cols is not None:
            out = np.zeros((n, target, n_cols), dtype=self._out_dtype())
        n_samples = np.zeros(n, dtype=np.int64)

        def task(lo, hi):
            try:
                waves = as_waveforms(
                    items[lo:hi],
                    self.sr,
                    n_jobs=inner,
                    verbose=verbose if len(bounds) == 1 else 0,
                )
            except AudioLoadError as exc:  # name the position in X, not in the chunk
                raise _batch_position(exc, lo) from exc
            n_samples[lo:hi] = _lengths(waves)
            dest = None if out is None else out[lo:hi]
            return self._frames(self._fit_duration(waves), out=dest, n_jobs=inner)

        tasks = bounds
        if len(bounds) > 1:
            tasks = progress(
                bounds, total=len(bounds), desc="extracting features", verbose=verbose
            )
        # threads: decoding (libsndfile), the FFTs and BLAS release the GIL,
        # and the tasks write into one shared result; BLAS stays on one
        # thread (the products are small, and its threads would change bits)
        with single_threaded_blas():
            if workers == 1 or len(bounds) == 1:
                parts = [task(lo, hi) for lo, hi in tasks]
            else:
                parts = Parallel(n_jobs=workers, require="sharedmem")(
                    delayed(task)(lo, hi) for lo, hi in tasks
                )
        if out is None:
            out = _join(parts)
        return FrameBatch(out, n_samples)

    def _out_dtype(self):
        return np.dtype(getattr(self, "dtype", "float32"))

    def _fit_duration(self, waves):
        """Pad (zeros) or cut every waveform to ``duration``, when given."""
        n = self._clip_samples()
        if n is None:
            return waves
        return [w[:n] if w.shape[0] >= n else np.pad(w, (0, n - w.shape[0])) for w in waves]

    def _clip_samples(self):
        """Samples every input is padded or cut to (``duration``), else None."""
        return None if self.duration is None else int(round(self.duration * self.sr))

    def _frame_counts(self, n_samples):
        """Frames that inputs of ``n_samples`` samples give (after ``duration``)."""
        from ._framing import n_frames_for_length

        frame_length, hop, center, convention = self._frame_params()
        n = self._clip_samples()
        lengths = np.asarray(n_samples, dtype=np.int64)
        if n is not None:
            lengths = np.full_like(lengths, n)
        return n_frames_for_length(
            n_samples=lengths,
            frame_length=frame_length,
            hop_length=hop,
            center=center,
            convention=convention,
        )

    def _samples_in_frames(self, n_frames):
        """Samples of the signal that its first ``n_frames`` frames cover."""
        frame_length, hop, center, convention = self._frame_params()
        left = frame_length // 2 if (center and convention == "librosa") else 0
        return (int(n_frames) - 1) * hop + frame_length - left

    def _warn_truncation(self, n_samples, X, *, n_frames=None):
        """One :class:`TruncationWarning` for every input whose end is not used.

        ``n_frames`` is the frame count kept (None: no frames are cut, only
        a ``duration`` may cut the waveforms).
        """
        n_samples = np.asarray(n_samples, dtype=np.int64)
        if n_samples.size == 0:
            return
        clip = self._clip_samples()
        if clip is not None:
            kept, why = clip, f"duration={self.duration}"
            cut = n_samples > clip
        elif n_frames is not None:
            kept = self._samples_in_frames(n_frames)
            cut = (self._frame_counts(n_samples) > n_frames) & (n_samples > kept)
            why = (
                f"max_frames={self.max_frames}"
                if getattr(self, "max_frames", None) is not None
                else f"n_frames_={n_frames}, learnt in fit from the longest "
                "training input"
            )
        else:
            return
        idx = np.flatnonzero(cut)
        if not idx.size:
            return
        sr = float(self.sr)
        named = [
            f"{name} ({n_samples[i] / sr:.2f} s)"
            for name, i in zip(
                _item_names(X, idx[:_NAMED_IN_WARNING]),
                idx[:_NAMED_IN_WARNING],
                strict=True,
            )
        ]
        more = idx.size - len(named)
        listed = ", ".join(named) + (f" and {more} more" if more > 0 else "")
        warnings.warn(
            f"{type(self).__name__} used only the first {kept / sr:.2f} s of "
            f"{idx.size} of {n_samples.size} inputs, which are longer ({why}): "
            f"{listed}. The rest of each recording is ignored. To analyse whole "
            "recordings, use sklearn_ser.timeline (predict_timeline), or fix "
            "duration/max_frames to cover them.",
            TruncationWarning,
            stacklevel=5,
        )

    def _target_frames(self):
        if self.max_frames is not None:
            return int(self.max_frames)
        if self.duration is not None:
            return int(self._frame_counts(np.zeros(1, dtype=np.int64))[0])
        return int(self.n_frames_)

    def _with_lengths(self, out, n_samples):
        """``out`` as a :class:`FrameArray`: the real frames of each sample."""
        real = np.minimum(self._frame_counts(n_samples), out.shape[1])
        return FrameArray(out, lengths=real)

    def _finalize(self, raw, X=None):
        target = self._target_frames()
        self._warn_truncation(raw.n_samples, X, n_frames=target)
        out = fix_frames(features=raw.features, n_frames=target, dtype=self._out_dtype())
        return self._with_lengths(out, raw.n_samples)

    def fit(self, X, y=None):
        """Validate the parameters; without max_frames/duration learn ``n_frames_``.

        ``n_frames_`` is the frame count of the longest training signal; it
        follows from the signal lengths, so fitting decodes but computes no
        features.
        """
        super().fit(X, y)
        if self._learns_frame_count():
            waves = as_waveforms(X, self.sr, n_jobs=self.n_jobs, verbose=self.verbose)
            self.n_frames_ = int(self._frame_counts(_lengths(waves)).max())
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """Like ``fit(X).transform(X)`` but decodes and computes once."""
        super().fit(X, y)
        learn = self._learns_frame_count()
        if learn and hasattr(self, "n_frames_"):
            del self.n_frames_  # refit: the frame count comes from this X
        raw = self._compute(X)
        if learn:
            self.n_frames_ = int(self._frame_counts(raw.n_samples).max())
        return self._finalize(raw, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = self._learns_frame_count()
        return tags
