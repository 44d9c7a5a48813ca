"""Emotion timelines of long recordings and live audio: the public functions.

A file read in blocks (:func:`predict_timeline`), a live stream of chunks
(:func:`iter_timeline`) and one label per recording from the whole of it
(:func:`predict_recording`, pooling the windows of a long one) all drive the
engine of :mod:`._windowing`; what they return is in :mod:`._segments`.
"""

import os

import numpy as np

from ..io import AudioLoadError, as_waveforms
from ._segments import TimelineReadError
from ._stream import StreamResampler, iter_audio_blocks
from ._windowing import _batch, _engine, pipeline_rate

__all__ = ["fitted_seconds", "iter_timeline", "predict_recording", "predict_timeline"]


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
    groups=None,
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
    groups : array-like of shape (n,), default=None
        Speaker ids, for a pipeline that adapts to speakers (a transductive
        :class:`~sklearn_ser.preprocessing.SpeakerNormalizer`, self-training):
        the recordings it uses whole are predicted as one batch with them.
        Such a pipeline cannot pool windows of a longer recording (a window
        is not a speaker's file): ValueError naming the recording.

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
        if groups is not None:
            raise ValueError(
                f"{_name(item, i)} is {secs:.1f} s long, more than the {limit:.1f} s "
                "this speaker-adaptive model reads whole; cut it into shorter files"
            )
        p, n_win, speech = _pooled(pipeline, item, rate, window, hop, vad,
                                   batch_size, block_frames)
        proba[i] = p
        labels[i] = classes[int(np.argmax(p))]
        details[i] = {"seconds": secs, "method": "pooled", "windows": n_win,
                      "speech_seconds": speech}
    if whole:
        g = None if groups is None else np.asarray(groups)[whole]
        lab, pr = predict_with_proba(
            pipeline, _batch([items[i] for i in whole]), groups=g
        )
        labels[whole] = lab
        proba[whole] = pr
    return labels, proba, details


def _name(item, i):
    if isinstance(item, (str, bytes, os.PathLike)):
        return os.fsdecode(item)
    return f"recording {i}"


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
