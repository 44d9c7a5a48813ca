"""Audio loading and the toolkit's input contract.

Array layout, stated once for the whole toolkit
-----------------------------------------------
A waveform is a 1-D ``float32`` array of samples in [-1, 1] at a known rate
``sr``. A batch ``X`` given to any transformer or pipeline is a 1-D
array-like whose items are either audio file paths (``str`` or
``os.PathLike``) or 1-D waveforms already at the transformer's ``sr``.
A 2-D numeric array ``(n_samples, n_times)`` is also accepted as a batch of
equal-length waveforms. Paths and waveforms of the same audio give identical
features because paths are turned into waveforms by :func:`load_audio` with
the transformer's own ``sr`` before any numerics run.

Out-of-range samples
--------------------
Floating-point files may hold samples beyond +-1.0 (two TESS originals do).
:func:`load_audio` clips them to [-1, 1] (what a DAC would do) and emits an
:class:`OutOfRangeAudioWarning` naming the file and the peak, so no feature
can overflow and nothing wraps around. Pass ``clip=False`` to keep the raw
values. NaN or infinite samples are an error.

Truncated files
---------------
A WAV file cut short (a copy or a recording that broke off) still opens:
libsndfile reads the samples that are there, and nothing would tell the
user that the header declared more. :func:`load_audio` compares the
``data`` chunk's declared size with the bytes the file holds and raises
:class:`AudioLoadError` naming the file and both durations. A size of
``0xFFFFFFFF`` (what streaming recorders write while still recording) means
"unknown" and is not an error. Truncated FLAC fails in the decoder and is
reported the same way; Ogg declares no length, so a cut Ogg file reads as a
shorter recording. :func:`load_audio_batch` (and so
every transformer given paths) emits one warning per batch instead, with
the number of files, the largest peak and the first names: lossy decoders
(MP3, Ogg Opus) overshoot [-1, 1] slightly on most loud music, and a corpus
should not raise one warning per song.
"""

import os
import struct
import warnings
from math import gcd

import numpy as np
import soundfile as sf
from joblib import Parallel, delayed
from scipy.signal import resample_poly

from ..utils._progress import progress

__all__ = [
    "AudioLoadError",
    "OutOfRangeAudioWarning",
    "as_waveforms",
    "fix_length",
    "load_audio",
    "load_audio_batch",
    "resample",
]


class AudioLoadError(ValueError):
    """Raised when an audio file or waveform cannot be used.

    The message always names the file (or the position of the waveform in
    the batch) and says what is wrong. ``path`` holds the offending path or
    ``None`` for in-memory waveforms.
    """

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path


class OutOfRangeAudioWarning(UserWarning):
    """A file held samples beyond [-1, 1]; they were clipped."""


def _is_path(item):
    return isinstance(item, (str, bytes, os.PathLike))


def resample(y, orig_sr, target_sr):
    """Resample a 1-D signal with an exact rational polyphase filter.

    Uses :func:`scipy.signal.resample_poly` with ``up/down`` reduced by
    their greatest common divisor. Returns ``float32``.
    """
    orig_sr, target_sr = int(orig_sr), int(target_sr)
    if orig_sr <= 0 or target_sr <= 0:
        raise ValueError(
            f"Sampling rates must be positive. Received: orig_sr={orig_sr}, "
            f"target_sr={target_sr}"
        )
    if orig_sr == target_sr:
        return np.asarray(y, dtype=np.float32)
    g = gcd(orig_sr, target_sr)
    out = resample_poly(np.asarray(y, dtype=np.float32), target_sr // g, orig_sr // g)
    return out.astype(np.float32, copy=False)


def fix_length(x, n, *, mode="constant"):
    """Pad (with zeros, or ``np.pad`` ``mode``) or trim ``x`` to ``n`` samples.

    Works on the last axis, so batches ``(n_samples, n_times)`` are fine.
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"fix_length needs n >= 0. Received: n={n}")
    x = np.asarray(x)
    length = x.shape[-1]
    if length >= n:
        return x[..., :n]
    pad = [(0, 0)] * (x.ndim - 1) + [(0, n - length)]
    return np.pad(x, pad, mode=mode)


def load_audio(path, sr=16000, mono=True, offset=0.0, duration=None, *, clip=True):
    """Load an audio file as ``float32`` samples at rate ``sr``.

    Any format libsndfile reads (WAV, FLAC, OGG, AIFF, ...), any integer or
    float sample type. Multi-channel audio is mixed down by averaging the
    channels when ``mono``; audio at another rate is resampled with
    :func:`resample` (polyphase, exact rational ratio).

    Parameters
    ----------
    path : str or os.PathLike
    sr : int or None, default=16000
        Target rate; ``None`` keeps the file's own rate.
    mono : bool, default=True
        Average channels. When false the result is ``(n_channels, n_times)``.
    offset : float, default=0.0
        Start reading this many seconds into the file.
    duration : float or None
        Read at most this many seconds.
    clip : bool, default=True
        Clip samples beyond [-1, 1] (with an :class:`OutOfRangeAudioWarning`).

    Returns
    -------
    y : ndarray of float32, shape (n_times,) or (n_channels, n_times)

    Raises
    ------
    AudioLoadError
        The file is missing, empty, not audio, truncated or holds NaN/inf
        samples. The message names the file.
    """
    name = _check_file(path)
    y = _decode(name, sr, mono, offset, duration)
    if clip:
        _clip_out_of_range(y, name, stacklevel=3)
    return y


def _decode(name, sr, mono, offset, duration):
    """Read, mix down and resample one checked file; no range handling."""
    if offset < 0:
        raise ValueError(f"offset must be >= 0 seconds. Received: offset={offset}")
    if duration is not None and duration <= 0:
        raise ValueError(f"duration must be > 0 seconds. Received: duration={duration}")
    f = _open_file(name)
    try:
        with f:
            file_sr = f.samplerate
            start = int(round(offset * file_sr))
            if start:
                f.seek(min(start, f.frames))
            frames = -1 if duration is None else int(round(duration * file_sr))
            data = f.read(frames=frames, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise _decode_error(name, exc) from exc
    short = _wav_shortfall(name)
    if short is not None:
        raise _truncated_error(name, *short)
    if data.shape[0] == 0 and start == 0:
        raise AudioLoadError(f"{name}: contains no audio samples", name)
    if not np.isfinite(data).all():
        bad = int((~np.isfinite(data)).sum())
        raise AudioLoadError(
            f"{name}: contains {bad} NaN or infinite samples; the file is corrupt",
            name,
        )
    y = data.T  # (n_channels, n_times)
    if mono:
        y = y.mean(axis=0) if y.shape[0] > 1 else y[0]
    y = np.ascontiguousarray(y, dtype=np.float32)
    if sr is not None and int(sr) != file_sr:
        y = (
            resample(y, file_sr, sr)
            if y.ndim == 1
            else np.stack([resample(c, file_sr, sr) for c in y])
        )
    return y


def _check_file(path):
    """The file name as ``str``; AudioLoadError if missing, a folder or empty."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = name.decode()
    if not os.path.exists(name):
        raise AudioLoadError(f"{name}: no such file", name)
    if os.path.isdir(name):
        raise AudioLoadError(f"{name}: is a directory, not an audio file", name)
    if os.path.getsize(name) == 0:
        raise AudioLoadError(f"{name}: file is empty (0 bytes)", name)
    return name


def _open_file(name):
    """``soundfile.SoundFile(name)``, failures as AudioLoadError naming it."""
    try:
        return sf.SoundFile(name)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise _decode_error(name, exc) from exc


def _wav_shortfall(name):
    """``(declared_seconds, held_seconds)`` of a cut-short RIFF WAV, else None.

    Walks the RIFF chunks up to ``data`` and compares its declared byte size
    with the bytes left in the file; 0xFFFFFFFF means "unknown length"
    (streaming writers). Any other container, or a header this cannot read
    (libsndfile has opened the file by now, so that is rare), gives None.
    """
    try:
        with open(name, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            byte_rate = None
            while True:
                chunk = fh.read(8)
                if len(chunk) < 8:
                    return None
                cid, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if cid == b"fmt ":
                    fmt = fh.read(size)
                    if len(fmt) >= 12:
                        byte_rate = struct.unpack("<I", fmt[8:12])[0]
                    fh.seek(size % 2, os.SEEK_CUR)
                elif cid == b"data":
                    held = os.fstat(fh.fileno()).st_size - fh.tell()
                    break
                else:
                    fh.seek(size + size % 2, os.SEEK_CUR)
    except OSError:
        return None
    if size == 0xFFFFFFFF or size <= held or not byte_rate:
        return None
    return size / byte_rate, held / byte_rate


def _truncated_error(name, declared, held):
    return AudioLoadError(
        f"{name}: truncated: the WAV header declares {declared:.2f} s of audio "
        f"but the file holds only {held:.2f} s (a copy or recording that broke "
        "off); re-copy the file, or rewrite it with the samples it holds "
        "(e.g. soundfile.write(out, *soundfile.read(path)))",
        name,
    )


def _decode_error(name, exc):
    """The AudioLoadError naming ``name`` for a soundfile failure ``exc``."""
    if isinstance(exc, sf.LibsndfileError):
        return AudioLoadError(
            f"{name}: not a readable audio file ({exc.error_string})", name
        )
    return AudioLoadError(f"{name}: could not be decoded ({exc})", name)


def _clip_range(y, clip):
    """Clip ``y`` to [-1, 1] in place when ``clip``; return its peak before."""
    peak = float(np.abs(y).max()) if y.size else 0.0
    if peak > 1.0 and clip:
        np.clip(y, -1.0, 1.0, out=y)
    return peak


def _clip_out_of_range(y, name, *, warn=True, stacklevel=2):
    """Clip ``y`` in place to [-1, 1]; warn (once per call) when it held more.

    Returns whether anything was clipped.
    """
    peak = _clip_range(y, True)
    if peak <= 1.0:
        return False
    if warn:
        warnings.warn(
            f"{name}: samples reach {peak:.3f}, beyond [-1, 1]; clipped to "
            f"[-1, 1] (pass clip=False to keep them)",
            OutOfRangeAudioWarning,
            stacklevel=stacklevel,
        )
    return True


def _decode_keyed(name, stat, sr, mono, offset, duration):
    """:func:`_decode` with the file's size and mtime in the signature, so a
    :class:`joblib.Memory` cache of it is invalidated when the file changes."""
    return _decode(name, sr, mono, offset, duration)


def _load_one(path, sr, mono, offset, duration, clip, decode):
    name = _check_file(path)
    if decode is _decode:
        y = _decode(name, sr, mono, offset, duration)
    else:  # cached, keyed by the file's size and mtime
        st = os.stat(name)
        y = np.array(
            decode(name, (st.st_size, st.st_mtime_ns), sr, mono, offset, duration)
        )
    return y, _clip_range(y, clip)


def _warn_out_of_range(names, peaks, clip, stacklevel):
    """One :class:`OutOfRangeAudioWarning` summarising every file beyond [-1, 1]."""
    over = [(p, n) for n, p in zip(names, peaks) if p > 1.0]
    if not over or not clip:
        return
    worst, worst_name = max(over)
    first = ", ".join(f"{n} ({p:.3f})" for p, n in over[:3])
    more = f", ... ({len(over) - 3} more)" if len(over) > 3 else ""
    warnings.warn(
        f"{len(over)} of {len(names)} files held samples beyond [-1, 1] (largest "
        f"peak {worst:.3f} in {worst_name}); they were clipped to [-1, 1]. "
        f"Files: {first}{more}. Lossy codecs (MP3, Opus, AAC) can overshoot [-1, 1] "
        "on loud, heavily mastered music; pass clip=False to keep the decoded values.",
        OutOfRangeAudioWarning,
        stacklevel=stacklevel,
    )


def load_audio_batch(
    paths,
    sr=16000,
    *,
    mono=True,
    offset=0.0,
    duration=None,
    clip=True,
    n_jobs=None,
    memory=None,
    verbose=0,
):
    """Load many files; returns a list of waveforms in the order of ``paths``.

    ``n_jobs`` runs loads in parallel through :class:`joblib.Parallel`
    (threads: libsndfile and resampling release the GIL), so a Dask backend
    can take them across machines. ``verbose`` draws a progress bar.
    The first file that fails raises :class:`AudioLoadError` naming it.

    Samples beyond [-1, 1] are clipped as in :func:`load_audio` (``clip``),
    but the batch emits a single :class:`OutOfRangeAudioWarning` that gives
    the number of files, the largest peak and the first names, instead of
    one warning per file.

    ``memory`` (a path or :class:`joblib.Memory`) caches each decoded and
    resampled waveform, keyed by path, file size and modification time and
    the loading arguments: decoding a compressed file (Ogg Opus, MP3) is
    the slow part of loading, and a second pass reads the cached array
    instead. Cached and fresh waveforms are identical; clipping and the
    warning are applied after the cache, so they are the same too. The
    cache holds float32 samples at ``sr`` (about 2.6 MB per 30 s at
    22.05 kHz).
    """
    paths = list(paths)
    decode = _decode
    if memory is not None:
        from sklearn.utils.validation import check_memory

        if isinstance(memory, os.PathLike):
            memory = os.fspath(memory)
        decode = check_memory(memory).cache(_decode_keyed)
    args = (sr, mono, offset, duration, clip, decode)
    if n_jobs in (None, 1):
        it = progress(paths, desc="loading audio", verbose=verbose)
        loaded = [_load_one(p, *args) for p in it]
    else:
        jobs = (
            delayed(_load_one)(p, *args)
            for p in progress(paths, desc="loading audio", verbose=verbose)
        )
        loaded = list(Parallel(n_jobs=n_jobs, prefer="threads")(jobs))
    _warn_out_of_range(
        [os.fsdecode(p) for p in paths], [pk for _, pk in loaded], clip, stacklevel=3
    )
    return [y for y, _ in loaded]


def _check_waveform(y, index):
    y = np.asarray(y)
    if y.dtype.kind not in "fiu":
        raise AudioLoadError(
            f"X[{index}]: expected an audio file path or a 1-D numeric waveform. "
            f"Received: {type(y).__name__} of dtype {y.dtype}"
        )
    if y.ndim != 1:
        raise AudioLoadError(
            f"X[{index}]: a waveform must be 1-D (mono). Received shape {y.shape}; "
            "mix channels down first (sklearn_ser.io.load_audio does)"
        )
    if y.size == 0:
        raise AudioLoadError(f"X[{index}]: waveform is empty")
    y = y.astype(np.float32, copy=False)
    if not np.isfinite(y).all():
        raise AudioLoadError(f"X[{index}]: waveform contains NaN or infinite samples")
    return y


def as_waveforms(X, sr=16000, *, n_jobs=None, verbose=0):
    """Resolve a batch ``X`` (paths and/or waveforms) to a list of waveforms.

    This is the single entry point every transformer uses, which is what
    makes paths and waveforms give identical features.

    Parameters
    ----------
    X : 1-D array-like of paths or 1-D arrays, or 2-D array (n_samples, n_times)
    sr : int
        Rate that paths are loaded at; waveforms are assumed to be at it.
    n_jobs, verbose : see :func:`load_audio_batch`.

    Returns
    -------
    list of ndarray of float32, each 1-D
    """
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "fiu":
        return [_check_waveform(row, i) for i, row in enumerate(X)]
    if _is_path(X) or (
        isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype.kind in "fiu"
    ):
        raise AudioLoadError(
            "X must be a batch: a list of paths or waveforms. Received a single "
            f"{'path' if _is_path(X) else 'waveform'}; wrap it in a list"
        )
    items = list(X)
    if not items:
        raise AudioLoadError("X is empty: expected at least one path or waveform")
    path_idx = [i for i, it in enumerate(items) if _is_path(it)]
    out = [None] * len(items)
    if path_idx:
        loaded = load_audio_batch(
            [items[i] for i in path_idx], sr=sr, n_jobs=n_jobs, verbose=verbose
        )
        for i, y in zip(path_idx, loaded):
            out[i] = y
    for i, it in enumerate(items):
        if out[i] is None:
            out[i] = _check_waveform(it, i)
    return out
