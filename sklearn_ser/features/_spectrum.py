"""Power spectra of all frames of a batch of signals, in chunks (the FFT step)."""

import numpy as np
import scipy.fft

from ._framing import (
    Framing,
    _per_signal,
    _signal_list,
    _windowed_frames,
    preemphasis,
)
from ._threads import single_threaded_blas
from ._validation import _check_positive_int

__all__ = ["power_spectrum_frames", "split_frames", "stft"]

# Bytes of frames processed at once: big enough for BLAS/FFT efficiency, small
# enough that the frames, their spectrum and the output stay in cache.
_CHUNK_BYTES = 1 << 20


@single_threaded_blas()
def power_spectrum_frames(
    *,
    ys,
    framing=None,
    power=2.0,
    scale=1.0,
    post=None,
    n_out=None,
    n_jobs=None,
    pad_to=None,
    out=None,
    signal_max=False,
    **framing_fields,
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
    framing : Framing or None
        How the signals are framed (FFT size, hop, window, centring,
        convention, pre-emphasis, clip length, dtype). Alternatively its
        fields as keyword arguments (``n_fft=512, hop_length=160, ...``).
    power : float, default=2.0
    scale : float, default=1.0
        Multiplies the spectrum (psf's power spectrum is ``|X|^2 / n_fft``).
    post : callable or None
        ``post(spec_chunk) -> out_chunk`` of ``n_out`` columns; it must work
        row by row (each output row depends on its own frame only) and may
        overwrite its argument.
    n_jobs : int or None
        Threads over chunks of frames (NumPy ufuncs, SciPy's FFT and BLAS
        release the GIL; the result is shared memory, so the threading
        backend is required).
    pad_to : int or None
        Return ``(n_signals, pad_to, n_cols)``: frames beyond ``pad_to`` are
        dropped (and not computed unless ``signal_max``), missing frames
        are zero rows.
    out : ndarray or None
        With ``pad_to``: a zero-filled C-contiguous array of shape
        ``(n_signals, pad_to, n_cols)`` and the framing's dtype to write into.
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
    if framing is None:
        framing = Framing(**framing_fields)
    elif framing_fields:
        raise TypeError(
            "Give the framing as one Framing or as its fields, not both. "
            f"Received: framing and {sorted(framing_fields)}"
        )
    f = framing
    w = f.window_values()
    sigs = _Signals(ys, f)
    n_cols = f.n_fft // 2 + 1 if post is None or n_out is None else int(n_out)
    dest = _Destination(sigs.n_frames, n_cols, f.dtype, pad_to, out, signal_max)
    first = np.concatenate([[0], np.cumsum(dest.computed)]).astype(np.int64)
    total = int(first[-1])
    rows = max(32, _CHUNK_BYTES // (f.frame_length * f.dtype.itemsize))
    # frames shorter than the FFT (psf) are laid in a zero-padded buffer
    # whose tail stays zero, which spares the FFT its own padding copy
    width = max(f.frame_length, f.n_fft)

    def spectra(frames, n):
        if width > f.frame_length:  # the input (and its zero tail) is kept
            spec = scipy.fft.rfft(frames[:n], axis=-1)
        else:  # n_fft <= frame_length: psf cuts the frames to n_fft
            spec = scipy.fft.rfft(frames[:n], n=f.n_fft, axis=-1, overwrite_x=True)
        mag = np.square(spec.real)
        mag += np.square(spec.imag)
        if power != 2.0:
            if power == 1.0:
                np.sqrt(mag, out=mag)
            else:
                mag **= f.dtype.type(power / 2.0)
        if scale != 1.0:
            mag *= f.dtype.type(scale)
        return mag if post is None else post(mag)

    def work(lo, hi):
        frames = (np.zeros if width > f.frame_length else np.empty)(
            (min(rows, hi - lo), width), dtype=f.dtype
        )
        maxima = [] if signal_max else None
        for c in range(lo, hi, rows):
            n = min(c + rows, hi) - c
            pieces = sigs.window_rows(frames, first, c, c + n, w)
            dest.put(spectra(frames, n), pieces, maxima)
        return maxima

    results = _run_in_chunks(work, total, rows, n_jobs)
    if not signal_max:
        return dest.out, sigs.n_frames
    return dest.out, sigs.n_frames, dest.signal_max(results)


class _Signals:
    """The signals of a batch as the framing sees them, and their frames.

    ``n_valid[i]`` is signal ``i``'s length (``framing.n_samples`` when
    given); frame ``t`` of it covers samples ``t * hop - left ..``, zeros
    outside ``[0, n_valid)``.
    """

    def __init__(self, ys, f):
        ys = [np.ascontiguousarray(y, dtype=f.dtype) for y in ys]
        for i, y in enumerate(ys):
            if y.ndim != 1:
                raise ValueError(
                    f"Every signal must be 1-D. Received: ys[{i}] of shape {y.shape}"
                )
        if f.n_samples is None:
            n_valid = np.array([y.shape[0] for y in ys], dtype=np.int64)
        else:
            n_valid = np.broadcast_to(
                np.asarray(f.n_samples, dtype=np.int64), (len(ys),)
            )
        self.n_frames = f.n_frames(n_valid)
        left, coef = f.left, f.preemph
        if left and f.pad_mode != "constant":
            # the (rare) non-zero centring padding is materialised: every
            # signal is cut/padded to its length, pre-emphasised and padded;
            # frames then start at sample 0 of the padded signal
            if f.n_samples is not None:
                ys = [
                    y[:n] if y.shape[0] >= n else np.pad(y, (0, n - y.shape[0]))
                    for y, n in zip(ys, n_valid.tolist(), strict=True)
                ]
            if coef:
                ys = [preemphasis(y=y, coef=coef) for y in ys]
                coef = 0.0
            ys = [np.pad(y, (left, left), mode=f.pad_mode) for y in ys]
            n_valid = n_valid + 2 * left
            left = 0
        self.ys, self.n_valid, self.left = ys, n_valid, left
        self.coef = f.dtype.type(coef) if coef else 0
        self.hop, self.frame_length = f.hop_length, f.frame_length

    def window_rows(self, frames, first, lo, hi, w):
        """Window the frames of global rows ``lo .. hi - 1`` into ``frames``.

        Returns the pieces ``(signal, first frame, end frame, row)`` they
        come from (``first[i]`` is signal ``i``'s first global row).
        """
        pieces = []
        i = int(np.searchsorted(first, lo, side="right")) - 1
        pos = lo
        while pos < hi:
            a = pos - int(first[i])
            b = min(int(first[i + 1]), hi) - int(first[i])
            if b > a:
                r = pos - lo
                _windowed_frames(
                    frames[r : r + b - a, : self.frame_length],
                    self.ys[i],
                    int(self.n_valid[i]),
                    a,
                    b,
                    self.hop,
                    self.frame_length,
                    self.left,
                    w,
                    self.coef,
                )
                pieces.append((i, a, b, r))
                pos += b - a
            i += 1
        return pieces


class _Destination:
    """The result array and where each signal's rows go in it.

    Stacked (``pad_to=None``): signal after signal. Padded: row block
    ``i * pad_to`` of the ``(n_signals, pad_to, n_cols)`` array, keeping
    its first ``pad_to`` frames (all frames are still computed when
    ``signal_max`` asks for their maximum).
    """

    def __init__(self, n_frames, n_cols, dtype, pad_to, out, signal_max):
        n_sig = len(n_frames)
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
            self.computed = n_frames if signal_max else np.minimum(n_frames, pad_to)
            self.start = np.arange(n_sig, dtype=np.int64) * pad_to
            self.keep = np.minimum(n_frames, pad_to)
        else:
            if out is not None:
                raise ValueError("out needs pad_to. Received: pad_to=None")
            self.computed = self.keep = n_frames
            self.start = np.concatenate([[0], np.cumsum(n_frames)[:-1]]).astype(
                np.int64
            )
            out = np.empty((int(n_frames.sum()), n_cols), dtype=dtype)
        self.out = out
        self.rows = out.reshape(-1, n_cols)  # a view: out is C-contiguous
        self.dtype, self.n_sig = dtype, n_sig

    def put(self, res, pieces, maxima):
        """Write a chunk's result rows (``pieces`` of ``window_rows``)."""
        for i, a, b, r in pieces:
            if maxima is not None:
                maxima.append((i, res[r : r + b - a].max()))
            m = min(b, int(self.keep[i]))
            if m > a:
                d = int(self.start[i])
                self.rows[d + a : d + m] = res[r : r + m - a]

    def signal_max(self, results):
        smax = np.full(self.n_sig, -np.inf, dtype=self.dtype)
        for maxima in results:
            for i, v in maxima:
                if v > smax[i]:
                    smax[i] = v
        return smax


def _run_in_chunks(work, total, rows, n_jobs):
    """``work(lo, hi)`` over rows ``0 .. total - 1``, in threads; the results.

    A few contiguous runs of ``rows``-row chunks per thread (balance on a
    busy machine without paying a task per chunk). The chunks themselves do
    not depend on ``n_jobs``, and BLAS runs on one thread, so the bits do
    not either.
    """
    n_chunks = -(-total // rows)
    n_workers = 1
    if n_jobs not in (None, 1) and n_chunks > 1:
        from joblib import effective_n_jobs

        n_workers = min(effective_n_jobs(n_jobs), n_chunks)
    if n_workers == 1:
        return [work(0, total)]
    from joblib import Parallel, delayed

    n_tasks = min(n_chunks, 4 * n_workers)
    per = -(-n_chunks // n_tasks) * rows
    return Parallel(n_jobs=n_workers, require="sharedmem")(
        delayed(work)(lo, min(lo + per, total)) for lo in range(0, total, per)
    )


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
    framing = Framing(
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        dtype=dtype,
    )
    out, n_frames = power_spectrum_frames(ys=ys, framing=framing, power=power)
    return _per_signal(y, out, n_frames)
