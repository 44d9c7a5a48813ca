"""Power spectra of all frames of a batch of signals, in chunks (the FFT step)."""

import numpy as np
import scipy.fft

from ._framing import (
    _per_signal,
    _signal_list,
    _windowed_frames,
    get_window,
    n_frames_for_length,
    preemphasis,
)
from ._threads import single_threaded_blas
from ._validation import _check_convention, _check_positive_int

__all__ = ["power_spectrum_frames", "split_frames", "stft"]

# Bytes of frames processed at once: big enough for BLAS/FFT efficiency, small
# enough that the frames, their spectrum and the output stay in cache.
_CHUNK_BYTES = 1 << 20


@single_threaded_blas()
def power_spectrum_frames(
    *,
    ys,
    n_fft,
    hop_length,
    win_length=None,
    window="hann",
    center=True,
    pad_mode="constant",
    power=2.0,
    convention="librosa",
    scale=1.0,
    post=None,
    n_out=None,
    dtype=np.float32,
    n_jobs=None,
    preemph=0.0,
    n_samples=None,
    pad_to=None,
    out=None,
    signal_max=False,
):
    """Magnitude ``** power`` spectra of all frames of a list of signals.

    The work horse of every frame-level feature. The frames of the whole
    batch are numbered one signal after the other and processed in chunks
    of about a megabyte: each chunk is cut straight from the signals
    (strided views, no copy of the batch), windowed, real-FFT'd, turned
    into ``|X| ** power * scale`` and mapped by ``post`` (e.g. a Mel matrix
    product) to its output rows, which are written in place into the
    result. Neither the framed batch nor the full spectrogram is ever held
    in memory when a ``post`` reduces it, and with ``pad_to`` the result is
    the padded ``(n_signals, pad_to, n_cols)`` array itself (no stacked
    intermediate, no second copy).

    Parameters
    ----------
    ys : list of 1-D ndarray
    n_fft, hop_length, win_length, window, center, pad_mode, convention
        See :func:`stft` and :func:`frame_signal`.
    power : float, default=2.0
    scale : float, default=1.0
        Multiplies the spectrum (psf's power spectrum is ``|X|^2 / n_fft``).
    post : callable or None
        ``post(spec_chunk) -> out_chunk`` of ``n_out`` columns; it must work
        row by row (each output row depends on its own frame only) and may
        overwrite its argument.
    dtype : numpy dtype, default=float32
        Precision of the FFT and of the result.
    n_jobs : int or None
        Threads over chunks of frames (NumPy ufuncs, SciPy's FFT and BLAS
        release the GIL; the result is shared memory, so the threading
        backend is required).
    preemph : float, default=0.0
        Pre-emphasis coefficient applied to each (padded) signal, as by
        :func:`preemphasis`, on the fly.
    n_samples : int, array-like of int or None
        Treat signal ``i`` as ``n_samples[i]`` samples long: zero-padded or
        cut at its end (a fixed clip duration), without copying it.
    pad_to : int or None
        Return ``(n_signals, pad_to, n_cols)``: frames beyond ``pad_to`` are
        dropped (and not computed unless ``signal_max``), missing frames
        are zero rows.
    out : ndarray or None
        With ``pad_to``: a zero-filled C-contiguous array of shape
        ``(n_signals, pad_to, n_cols)`` and dtype ``dtype`` to write into.
    signal_max : bool, default=False
        Also return the maximum of every signal's output over all its frames
        (including those dropped by ``pad_to``).

    Returns
    -------
    out : ndarray
        ``(sum(n_frames), n_cols)``, or ``(n_signals, pad_to, n_cols)`` with
        ``pad_to``; ``n_cols`` is ``n_out`` or ``n_fft // 2 + 1``.
    n_frames : ndarray of int64, shape (n_signals,)
        Frames of each signal (before ``pad_to``).
    signal_max : ndarray, shape (n_signals,)
        Only when ``signal_max``.
    """
    _check_convention(convention)
    n_fft = _check_positive_int("n_fft", n_fft)
    hop_length = _check_positive_int("hop_length", hop_length)
    win_length = (
        n_fft if win_length is None else _check_positive_int("win_length", win_length)
    )
    dtype = np.dtype(dtype)
    if convention == "librosa":
        if win_length > n_fft:
            raise ValueError(
                f"win_length must be <= n_fft. Received: win_length={win_length}, "
                f"n_fft={n_fft}"
            )
        frame_length = n_fft
        w = get_window(window=window, win_length=win_length, n_fft=n_fft, dtype=dtype)
    else:
        frame_length = win_length
        w = get_window(window=window, win_length=win_length, dtype=dtype)
    ys = [np.ascontiguousarray(y, dtype=dtype) for y in ys]
    for i, y in enumerate(ys):
        if y.ndim != 1:
            raise ValueError(
                f"Every signal must be 1-D. Received: ys[{i}] of shape {y.shape}"
            )
    if n_samples is None:
        n_valid = np.array([y.shape[0] for y in ys], dtype=np.int64)
    else:
        n_valid = np.broadcast_to(np.asarray(n_samples, dtype=np.int64), (len(ys),))
    n_frames = n_frames_for_length(
        n_samples=n_valid,
        frame_length=frame_length,
        hop_length=hop_length,
        center=center,
        convention=convention,
    ).astype(np.int64)
    left = frame_length // 2 if (center and convention == "librosa") else 0
    if left and pad_mode != "constant":
        # the (rare) non-zero centring padding is materialised: every signal
        # is cut/padded to its length, pre-emphasised and padded; frames then
        # start at sample 0 of the padded signal
        if n_samples is not None:
            ys = [
                y[:n] if y.shape[0] >= n else np.pad(y, (0, n - y.shape[0]))
                for y, n in zip(ys, n_valid.tolist(), strict=True)
            ]
        if preemph:
            ys = [preemphasis(y=y, coef=preemph) for y in ys]
            preemph = 0.0
        ys = [np.pad(y, (left, left), mode=pad_mode) for y in ys]
        n_valid = n_valid + 2 * left
        left = 0
    n_bins = n_fft // 2 + 1
    n_cols = n_bins if post is None else int(n_out)
    n_sig = len(ys)
    if pad_to is not None:
        pad_to = _check_positive_int("pad_to", pad_to)
        shape = (n_sig, pad_to, n_cols)
        if out is None:
            out = np.zeros(shape, dtype=dtype)
        elif out.shape != shape or out.dtype != dtype or not out.flags.c_contiguous:
            raise ValueError(
                f"out must be a C-contiguous {dtype} array of shape {shape}. "
                f"Received: out of shape {out.shape} and dtype {out.dtype}"
            )
        computed = n_frames if signal_max else np.minimum(n_frames, pad_to)
        dest_start = np.arange(n_sig, dtype=np.int64) * pad_to
        keep = np.minimum(n_frames, pad_to)
    else:
        if out is not None:
            raise ValueError("out needs pad_to. Received: pad_to=None")
        computed = n_frames
        dest_start = np.concatenate([[0], np.cumsum(n_frames)[:-1]]).astype(np.int64)
        keep = n_frames
        out = np.empty((int(n_frames.sum()), n_cols), dtype=dtype)
    out2d = out.reshape(-1, n_cols)  # a view: out is C-contiguous
    first = np.concatenate([[0], np.cumsum(computed)]).astype(np.int64)
    total = int(first[-1])
    rows = max(32, _CHUNK_BYTES // (frame_length * dtype.itemsize))
    coef = dtype.type(preemph) if preemph else 0

    def chunk(lo, hi, frames, maxima):
        # the pieces (signal, first frame, end frame) of global rows lo..hi
        pieces = []
        i = int(np.searchsorted(first, lo, side="right")) - 1
        pos = lo
        while pos < hi:
            a = pos - int(first[i])
            b = min(int(first[i + 1]), hi) - int(first[i])
            if b > a:
                r = pos - lo
                _windowed_frames(
                    frames[r : r + b - a, :frame_length],
                    ys[i],
                    int(n_valid[i]),
                    a,
                    b,
                    hop_length,
                    frame_length,
                    left,
                    w,
                    coef,
                )
                pieces.append((i, a, b, r))
                pos += b - a
            i += 1
        n = hi - lo
        if width > frame_length:  # the input (and its zero tail) is kept
            spec = scipy.fft.rfft(frames[:n], axis=-1)
        else:  # n_fft <= frame_length: psf cuts the frames to n_fft
            spec = scipy.fft.rfft(frames[:n], n=n_fft, axis=-1, overwrite_x=True)
        mag = np.square(spec.real)
        mag += np.square(spec.imag)
        if power != 2.0:
            if power == 1.0:
                np.sqrt(mag, out=mag)
            else:
                mag **= dtype.type(power / 2.0)
        if scale != 1.0:
            mag *= dtype.type(scale)
        res = mag if post is None else post(mag)
        for i, a, b, r in pieces:
            if maxima is not None:
                maxima.append((i, res[r : r + b - a].max()))
            m = min(b, int(keep[i]))
            if m > a:
                d = int(dest_start[i])
                out2d[d + a : d + m] = res[r : r + m - a]

    # frames shorter than the FFT (psf) are laid in a zero-padded buffer
    # whose tail stays zero, which spares the FFT its own padding copy
    width = max(frame_length, n_fft)

    def work(lo, hi):
        if width > frame_length:
            frames = np.zeros((min(rows, hi - lo), width), dtype=dtype)
        else:
            frames = np.empty((min(rows, hi - lo), width), dtype=dtype)
        maxima = [] if signal_max else None
        for c in range(lo, hi, rows):
            chunk(c, min(c + rows, hi), frames, maxima)
        return maxima

    n_chunks = -(-total // rows)
    n_workers = 1
    if n_jobs not in (None, 1) and n_chunks > 1:
        from joblib import effective_n_jobs

        n_workers = min(effective_n_jobs(n_jobs), n_chunks)
    if n_workers == 1:
        results = [work(0, total)]
    else:
        from joblib import Parallel, delayed

        # a few contiguous runs of chunks per thread (balance on a busy
        # machine without paying a task per chunk). The chunks themselves
        # (``rows`` frames each) do not depend on n_jobs, and BLAS runs on
        # one thread (the decorator), so the bits do not either.
        n_tasks = min(n_chunks, 4 * n_workers)
        per = -(-n_chunks // n_tasks) * rows
        results = Parallel(n_jobs=n_workers, require="sharedmem")(
            delayed(work)(lo, min(lo + per, total)) for lo in range(0, total, per)
        )
    if not signal_max:
        return out, n_frames
    smax = np.full(n_sig, -np.inf, dtype=dtype)
    for maxima in results:
        for i, v in maxima:
            if v > smax[i]:
                smax[i] = v
    return out, n_frames, smax


def split_frames(out, n_frames):
    """Split the stacked frames of :func:`power_spectrum_frames` per signal."""
    return np.split(out, np.cumsum(n_frames)[:-1])


def stft(
    *,
    y,
    n_fft=512,
    hop_length=160,
    win_length=None,
    window="hann",
    center=True,
    pad_mode="constant",
    power=1.0,
    dtype=np.float32,
):
    """Magnitude (``power=1``) or power (``power=2``) spectrogram, time-major.

    Same framing, window and scaling as ``np.abs(librosa.stft(...)) ** power``
    (transposed).

    Parameters
    ----------
    y : ndarray, shape (n_times,) or (n_signals, n_times)
    n_fft : int, default=512
    hop_length : int, default=160
    win_length : int or None, default=None (``n_fft``)
    window : str, tuple or array-like, default="hann"
    center : bool, default=True
    pad_mode : str, default="constant"
    power : float, default=1.0
    dtype : default=float32

    Returns
    -------
    S : ndarray
        Shape (n_frames, n_fft // 2 + 1) or (n_signals, n_frames, n_fft // 2 + 1).
    """
    y, ys = _signal_list(y)
    out, n_frames = power_spectrum_frames(
        ys=ys,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        power=power,
        dtype=dtype,
    )
    return _per_signal(y, out, n_frames)
