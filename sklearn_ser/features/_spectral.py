"""Spectral numerics: pure keyword-only numpy functions.

Array layout, stated once for :mod:`sklearn_ser.features`
---------------------------------------------------------
Every frame-level feature is **time-major**: one signal gives
``(n_frames, n_bins)`` and a batch gives ``(n_signals, n_frames, n_bins)``
(the transpose of librosa's ``(n_bins, n_frames)``), because that is what
scikit-learn, Keras sequence models and :class:`FrameStats` consume.
Frame ``t`` of a centred transform is centred on sample ``t * hop_length``.

Two numerical conventions are offered where the reference libraries differ:

``"librosa"``
    Centred frames (``n_fft // 2`` samples of padding on each side),
    ``1 + len(y) // hop_length`` frames, periodic window zero-padded to
    ``n_fft``, Slaney or HTK Mel filters on continuous frequencies, the
    lifter ``1 + L/2 sin(pi (n + 1) / L)``. Matches ``librosa.stft`` /
    ``librosa.feature.melspectrogram`` / ``librosa.feature.mfcc``.
``"psf"``
    python_speech_features' framing: frames start at sample 0 (no centring),
    the tail is zero-padded so that every sample is covered
    (``1 + ceil((len(y) - win_length) / hop_length)`` frames, at least one),
    each frame of ``win_length`` samples is zero-padded (or cut) to
    ``n_fft`` at its end, HTK Mel filters with edges snapped to integer FFT
    bins, the lifter ``1 + L/2 sin(pi n / L)``. Matches
    ``python_speech_features.mfcc`` / ``logfbank``.

All functions compute in ``float32`` unless ``dtype`` says otherwise and
return ``float32`` by default. Windows, filter banks, DCT matrices and lifter
weights are built once per parameter set (``functools.lru_cache``) and
returned read-only.
"""

from functools import lru_cache

import numpy as np
import scipy.fft
import scipy.signal

from ._threads import single_threaded_blas

__all__ = [
    "dct_matrix",
    "delta",
    "frame_signal",
    "frame_signals",
    "get_window",
    "hz_to_mel",
    "lifter_weights",
    "mel_filterbank",
    "mel_to_hz",
    "n_frames_for_length",
    "power_spectrum_frames",
    "power_to_db",
    "preemphasis",
    "stft",
]

CONVENTIONS = ("librosa", "psf")

# Bytes of frames processed at once: big enough for BLAS/FFT efficiency, small
# enough that the frames, their spectrum and the output stay in cache.
_CHUNK_BYTES = 1 << 20


def _check_convention(convention, name="convention"):
    if convention not in CONVENTIONS:
        raise ValueError(
            f"{name} must be one of {CONVENTIONS}. Received: {name}={convention!r}"
        )


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name} must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


# --------------------------------------------------------------------------
# Mel scale, windows, filter banks, DCT
# --------------------------------------------------------------------------
def hz_to_mel(*, frequencies, htk=False):
    """Hz to Mel; Slaney's scale (librosa's default) or HTK's (``htk=True``)."""
    f = np.asanyarray(frequencies, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        f >= min_log_hz,
        min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep,
        mels,
    )


def mel_to_hz(*, mels, htk=False):
    """Inverse of :func:`hz_to_mel`."""
    m = np.asanyarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs
    )


def _readonly(a):
    a.flags.writeable = False
    return a


@lru_cache(maxsize=64)
def _window_cached(window, win_length, n_fft, center_pad, dtype):
    if window in ("boxcar", "rectangular", "ones", None):
        w = np.ones(win_length)
    else:
        try:
            w = scipy.signal.get_window(window, win_length, fftbins=True)
        except ValueError as exc:
            raise ValueError(
                f"Unknown window. Received: window={window!r} ({exc})"
            ) from exc
    return _readonly(_pad_window(w, win_length, n_fft, center_pad).astype(dtype))


def _pad_window(w, win_length, n_fft, center_pad):
    if n_fft is None or n_fft == win_length:
        return np.asarray(w, dtype=np.float64)
    if win_length > n_fft:
        raise ValueError(
            f"win_length must be <= n_fft. Received: win_length={win_length}, "
            f"n_fft={n_fft}"
        )
    out = np.zeros(n_fft)
    left = (n_fft - win_length) // 2 if center_pad else 0
    out[left : left + win_length] = w
    return out


def get_window(
    *, window="hann", win_length, n_fft=None, center_pad=True, dtype=np.float32
):
    """Analysis window of ``win_length`` samples, zero-padded to ``n_fft``.

    Parameters
    ----------
    window : str, tuple or array-like, default="hann"
        A :func:`scipy.signal.get_window` specification (periodic, i.e.
        ``fftbins=True``, like librosa), ``"boxcar"``/``"ones"`` for a
        rectangular window (python_speech_features' default), or the window
        values themselves (length ``win_length``; e.g. ``np.hamming(400)``
        for psf's symmetric Hamming).
    win_length : int
    n_fft : int or None
        Pad the window to this length; ``None`` keeps ``win_length``.
    center_pad : bool, default=True
        Centre the window in the ``n_fft`` frame (librosa); otherwise put it
        at the start (psf, whose frames are zero-padded at their end).

    Returns
    -------
    ndarray of float32, shape (n_fft or win_length,), read-only
    """
    win_length = _check_positive_int("win_length", win_length)
    if n_fft is not None:
        n_fft = _check_positive_int("n_fft", n_fft)
    if isinstance(window, (str, tuple)) or window is None:
        return _window_cached(
            window, win_length, n_fft, bool(center_pad), np.dtype(dtype).name
        )
    w = np.asarray(window, dtype=np.float64)
    if w.ndim != 1 or w.shape[0] != win_length:
        raise ValueError(
            f"An explicit window must be 1-D of length win_length={win_length}. "
            f"Received: window of shape {w.shape}"
        )
    return _readonly(_pad_window(w, win_length, n_fft, center_pad).astype(dtype))


@lru_cache(maxsize=64)
def _mel_cached(sr, n_fft, n_mels, fmin, fmax, htk, norm, style, dtype):
    n_bins = n_fft // 2 + 1
    if style == "psf":
        lowmel = hz_to_mel(frequencies=fmin, htk=True)
        highmel = hz_to_mel(frequencies=fmax, htk=True)
        points = np.linspace(lowmel, highmel, n_mels + 2)
        bins = np.floor((n_fft + 1) * mel_to_hz(mels=points, htk=True) / sr)
        idx = np.arange(n_bins)[None, :]
        left, center, right = bins[:-2, None], bins[1:-1, None], bins[2:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            up = (idx - left) / (center - left)
            down = (right - idx) / (right - center)
        fb = np.where((idx >= left) & (idx < center), up, 0.0)
        fb = np.where((idx >= center) & (idx < right), down, fb)
        fb = np.nan_to_num(fb)
    else:
        fftfreqs = np.linspace(0, sr / 2.0, n_bins)
        mel_f = mel_to_hz(
            mels=np.linspace(
                hz_to_mel(frequencies=fmin, htk=htk),
                hz_to_mel(frequencies=fmax, htk=htk),
                n_mels + 2,
            ),
            htk=htk,
        )
        fdiff = np.diff(mel_f)
        ramps = mel_f[:, None] - fftfreqs[None, :]
        lower = -ramps[:-2] / fdiff[:-1, None]
        upper = ramps[2:] / fdiff[1:, None]
        fb = np.maximum(0.0, np.minimum(lower, upper))
        if norm == "slaney":
            fb *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
        elif norm is not None:
            fb /= np.maximum(np.linalg.norm(fb, ord=norm, axis=1, keepdims=True), 1e-30)
    return _readonly(fb.astype(dtype))


def mel_filterbank(
    *,
    sr,
    n_fft,
    n_mels=40,
    fmin=0.0,
    fmax=None,
    htk=False,
    norm="slaney",
    style="librosa",
    dtype=np.float32,
):
    """Triangular Mel filter bank.

    Parameters
    ----------
    sr : int
    n_fft : int
    n_mels : int, default=40
    fmin, fmax : float; ``fmax=None`` means ``sr / 2``.
    htk : bool, default=False
        HTK Mel formula instead of Slaney's (``style="librosa"`` only).
    norm : {"slaney", None} or number, default="slaney"
        Filter normalisation (``style="librosa"`` only): ``"slaney"`` gives
        each triangle unit area (librosa's default), a number normalises by
        that p-norm.
    style : {"librosa", "psf"}, default="librosa"
        ``"psf"`` builds python_speech_features' ``get_filterbanks``: HTK Mel,
        edges snapped to ``floor((n_fft + 1) * f / sr)``, peak 1; it requires
        ``htk=True, norm=None`` so that the call says what it computes.

    Returns
    -------
    ndarray of float32, shape (n_mels, n_fft // 2 + 1), read-only
    """
    _check_convention(style, "style")
    sr = _check_positive_int("sr", sr)
    n_fft = _check_positive_int("n_fft", n_fft)
    n_mels = _check_positive_int("n_mels", n_mels)
    fmax = sr / 2.0 if fmax is None else float(fmax)
    fmin = float(fmin)
    if not 0 <= fmin < fmax <= sr / 2.0:
        raise ValueError(
            f"Need 0 <= fmin < fmax <= sr / 2 = {sr / 2}. Received: fmin={fmin}, "
            f"fmax={fmax}"
        )
    if style == "psf" and (not htk or norm is not None):
        raise ValueError(
            "style='psf' filter banks are HTK-scaled and unnormalised; pass "
            f"htk=True, norm=None. Received: htk={htk}, norm={norm!r}"
        )
    if norm is not None and norm != "slaney" and not isinstance(norm, (int, float)):
        raise ValueError(
            f"norm must be 'slaney', None or a number. Received: norm={norm!r}"
        )
    return _mel_cached(
        sr, n_fft, n_mels, fmin, fmax, bool(htk), norm, style, np.dtype(dtype).name
    )


@lru_cache(maxsize=64)
def _dct_cached(n_in, n_out, norm, dtype):
    # DCT-II as a matrix: coefficients = x @ D.T, D of shape (n_out, n_in).
    eye = np.eye(n_in)
    D = scipy.fft.dct(eye, type=2, norm=norm, axis=0)[:n_out]
    return _readonly(D.astype(dtype))


def dct_matrix(*, n_in, n_out, norm="ortho", dtype=np.float32):
    """DCT-II matrix ``D`` (``n_out, n_in``); cepstra are ``log_mel @ D.T``.

    ``norm="ortho"`` is what both librosa and python_speech_features use.
    """
    n_in = _check_positive_int("n_in", n_in)
    n_out = _check_positive_int("n_out", n_out)
    if n_out > n_in:
        raise ValueError(
            f"Cannot take more cepstral coefficients than Mel bands. Received: "
            f"n_out={n_out}, n_in={n_in}"
        )
    return _dct_cached(n_in, n_out, norm, np.dtype(dtype).name)


@lru_cache(maxsize=64)
def _lifter_cached(n, lifter, style, dtype):
    k = np.arange(n, dtype=np.float64) + (1.0 if style == "librosa" else 0.0)
    return _readonly((1.0 + (lifter / 2.0) * np.sin(np.pi * k / lifter)).astype(dtype))


def lifter_weights(*, n, lifter, style="librosa", dtype=np.float32):
    """Cepstral lifter ``1 + L/2 sin(pi k / L)``; k starts at 1 (librosa), 0 (psf).

    ``lifter=0`` gives ones (no liftering).
    """
    _check_convention(style, "style")
    if lifter < 0:
        raise ValueError(f"lifter must be >= 0. Received: lifter={lifter}")
    if lifter == 0:
        return _readonly(np.ones(int(n), dtype=dtype))
    return _lifter_cached(int(n), float(lifter), style, np.dtype(dtype).name)


# --------------------------------------------------------------------------
# Framing
# --------------------------------------------------------------------------
def n_frames_for_length(
    *, n_samples, frame_length, hop_length, center=True, convention="librosa"
):
    """Number of frames :func:`frame_signals` makes from ``n_samples`` samples.

    ``"librosa"`` with ``center=True``: ``1 + n_samples // hop_length``;
    without centring ``1 + (n_samples - frame_length) // hop_length`` (at
    least 1: a signal shorter than a frame is zero-padded to one frame);
    ``"psf"``: ``1 + ceil((n_samples - frame_length) / hop_length)``, at least 1.
    """
    n = np.asarray(n_samples, dtype=np.int64)
    if convention == "psf":
        out = 1 + -((frame_length - n) // hop_length)  # ceil division
        return np.maximum(np.where(n <= frame_length, 1, out), 1)
    if center:
        return 1 + n // hop_length
    return np.maximum(1 + (n - frame_length) // hop_length, 1)


def _layout(
    ys, frame_length, hop_length, center, pad_mode, convention, dtype=None, align=False
):
    """Lay the padded signals out one after the other in one zero buffer.

    Returns the buffer, the start of every frame of every signal and the
    frame counts. With ``align`` every signal's segment starts at a
    multiple of ``hop_length``, so the frames of the whole buffer are one
    strided view (frame ``g`` starts at ``g * hop_length``) and the frames
    of signal ``i`` are ``starts_i / hop_length + arange(n_frames_i)``; the
    few frames that straddle two segments are computed and discarded.
    """
    lengths = np.array([y.shape[0] for y in ys], dtype=np.int64)
    n_frames = n_frames_for_length(
        n_samples=lengths,
        frame_length=frame_length,
        hop_length=hop_length,
        center=center,
        convention=convention,
    ).astype(np.int64)
    left = frame_length // 2 if (center and convention == "librosa") else 0
    needs = (n_frames - 1) * hop_length + frame_length  # samples the frames span
    seg = -(-needs // hop_length) * hop_length if align else needs
    offsets = np.concatenate([[0], np.cumsum(seg)[:-1]]).astype(np.int64)
    if dtype is None:
        dtype = np.result_type(*[y.dtype for y in ys])
    buf = np.zeros(int(seg.sum()) + (frame_length if align else 0), dtype=dtype)
    for y, o, length, need in zip(ys, offsets, lengths, needs, strict=True):
        o, length, need = int(o), int(length), int(need)
        if left and pad_mode != "constant":
            yp = np.pad(y, (left, left), mode=pad_mode)[:need]
            buf[o : o + yp.shape[0]] = yp
        else:
            m = min(length, need - left)
            buf[o + left : o + left + m] = y[:m]
    starts = np.concatenate(
        [
            o + hop_length * np.arange(nf, dtype=np.int64)
            for o, nf in zip(offsets, n_frames, strict=True)
        ]
    )
    return buf, starts, n_frames


def frame_signal(
    *,
    y,
    frame_length,
    hop_length,
    center=True,
    pad_mode="constant",
    convention="librosa",
):
    """Cut one signal, or an equal-length batch, into overlapping frames.

    Parameters
    ----------
    y : ndarray, shape (n_times,) or (n_signals, n_times)
    frame_length, hop_length : int
        In samples.
    center : bool, default=True
        Pad ``frame_length // 2`` samples on both sides so frame ``t`` is
        centred on sample ``t * hop_length`` (librosa convention only).
    pad_mode : str, default="constant"
        :func:`numpy.pad` mode for the centring padding (librosa >= 0.10
        pads with zeros).
    convention : {"librosa", "psf"}, default="librosa"
        See the module docstring.

    Returns
    -------
    frames : ndarray
        Shape (n_frames, frame_length), or (n_signals, n_frames, frame_length).
        A copy (never a view into ``y``).
    """
    _check_convention(convention)
    frame_length = _check_positive_int("frame_length", frame_length)
    hop_length = _check_positive_int("hop_length", hop_length)
    y = np.asarray(y)
    if y.ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D. Received: y of shape {y.shape}")
    frames, n_frames = frame_signals(
        ys=list(y) if y.ndim == 2 else [y],
        frame_length=frame_length,
        hop_length=hop_length,
        center=center,
        pad_mode=pad_mode,
        convention=convention,
    )
    if y.ndim == 1:
        return frames
    return frames.reshape(y.shape[0], int(n_frames[0]), frame_length)


def frame_signals(
    *,
    ys,
    frame_length,
    hop_length,
    center=True,
    pad_mode="constant",
    convention="librosa",
):
    """Frame a list of signals of any lengths at once.

    Returns
    -------
    frames : ndarray, shape (sum(n_frames), frame_length)
        The frames of all signals, one after the other.
    n_frames : ndarray of int64, shape (n_signals,)
    """
    _check_convention(convention)
    buf, starts, n_frames = _layout(
        [np.asarray(y) for y in ys],
        frame_length,
        hop_length,
        center,
        pad_mode,
        convention,
    )
    view = np.lib.stride_tricks.sliding_window_view(buf, frame_length)
    return view[starts], n_frames


# --------------------------------------------------------------------------
# Spectra
# --------------------------------------------------------------------------
def preemphasis(*, y, coef=0.97):
    """``y[0], y[1:] - coef * y[:-1]`` (python_speech_features' filter), per signal."""
    y = np.asarray(y)
    if coef == 0:
        return y
    out = np.empty_like(y)
    out[..., 0] = y[..., 0]
    out[..., 1:] = y[..., 1:] - coef * y[..., :-1]
    return out


def _signal_segment(y, n_valid, s0, s1, coef, dtype):
    """Samples ``s0 .. s1 - 1`` of a signal zero-padded on both sides.

    ``y`` is seen as ``n_valid`` samples long (zero-padded or cut at its end);
    indices outside ``[0, n_valid)`` are zeros. With ``coef`` the segment is
    taken from the pre-emphasised signal ``x[k] - coef * x[k - 1]`` (``x[0]``
    kept), exactly as :func:`preemphasis` of the padded signal.
    """
    seg = np.zeros(s1 - s0, dtype=dtype)
    lo, hi = max(s0, 0), min(s1, n_valid)
    data_hi = min(hi, y.shape[0])
    if data_hi > lo:
        seg[lo - s0 : data_hi - s0] = y[lo:data_hi]
    if coef and hi > lo:
        k1 = max(lo, 1)
        m = min(hi - 1, y.shape[0])  # x[k - 1] is non-zero for k - 1 < len(y)
        if m >= k1:
            seg[k1 - s0 : m + 1 - s0] -= coef * y[k1 - 1 : m]
    return seg


def _strided_frames(src, start, n, frame_length, hop_length):
    """``n`` frames of ``src`` from sample ``start``, a read-only strided view."""
    isz = src.itemsize
    return np.ndarray(
        (n, frame_length),
        dtype=src.dtype,
        buffer=src,
        offset=start * isz,
        strides=(hop_length * isz, isz),
    )


def _windowed_frames(dst, y, n_valid, a, b, hop, frame_length, left, w, coef):
    """Write the windowed frames ``a .. b - 1`` of one signal into ``dst``.

    Frame ``t`` covers samples ``t * hop - left ..`` of the signal (zeros
    outside it). Frames that lie inside the signal are read through a
    strided view of ``y`` itself; only the few frames that overhang an edge
    (and, with pre-emphasis, all of them) go through a small padded copy.
    """
    n_data = min(y.shape[0], n_valid)
    i0 = i1 = a
    if not coef:
        i0 = min(max(a, -(-left // hop)), b)
        i1 = max(min(b, (n_data + left - frame_length) // hop + 1), i0)
        if i1 > i0:
            view = _strided_frames(y, i0 * hop - left, i1 - i0, frame_length, hop)
            np.multiply(view, w, out=dst[i0 - a : i1 - a])
    for c, d in ((a, i0), (i1, b)):
        if d > c:
            s0 = c * hop - left
            seg = _signal_segment(
                y, n_valid, s0, (d - 1) * hop - left + frame_length, coef, dst.dtype
            )
            view = _strided_frames(seg, 0, d - c, frame_length, hop)
            np.multiply(view, w, out=dst[c - a : d - a])


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
        n_frames = n_frames_for_length(
            n_samples=n_valid,
            frame_length=frame_length,
            hop_length=hop_length,
            center=True,
            convention=convention,
        ).astype(np.int64)
        n_valid = n_valid + 2 * left
        left = 0
    else:
        n_frames = n_frames_for_length(
            n_samples=n_valid,
            frame_length=frame_length,
            hop_length=hop_length,
            center=center,
            convention=convention,
        ).astype(np.int64)
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
    y = np.asarray(y)
    if y.ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D. Received: y of shape {y.shape}")
    out, n_frames = power_spectrum_frames(
        ys=list(y) if y.ndim == 2 else [y],
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        power=power,
        dtype=dtype,
    )
    if y.ndim == 1:
        return out
    return out.reshape(y.shape[0], int(n_frames[0]), -1)


def power_to_db(*, S, ref=1.0, amin=1e-10, top_db=80.0):
    """``10 log10(max(S, amin) / ref)``, floored at ``max - top_db``.

    Like ``librosa.power_to_db`` with a scalar ``ref``, except that for a
    batch ``(n_signals, n_frames, n_bins)`` the ``top_db`` floor is taken
    per signal (over its last two axes), so a signal's features never
    depend on the rest of its batch. Always finite, also for silence.
    """
    if amin <= 0:
        raise ValueError(f"amin must be > 0. Received: amin={amin}")
    S = np.asarray(S)
    out = np.maximum(S, amin)
    out = np.log10(out, out=out if out is not S else None)
    out *= 10.0
    out -= 10.0 * np.log10(max(float(ref), amin))
    if top_db is not None:
        if top_db < 0:
            raise ValueError(f"top_db must be >= 0. Received: top_db={top_db}")
        axes = tuple(range(max(out.ndim - 2, 0), out.ndim))
        floor = out.max(axis=axes, keepdims=True) - top_db
        np.maximum(out, floor, out=out)
    return out


def delta(*, X, width=2, axis=-2):
    """Regression deltas ``sum_n n (x[t+n] - x[t-n]) / (2 sum_n n^2)``.

    The HTK / python_speech_features formula with ``N = width`` and edge
    frames repeated; along ``axis`` (the time axis of the time-major
    layout). Note librosa's ``delta`` uses a Savitzky-Golay filter instead.
    """
    width = _check_positive_int("width", width)
    X = np.asarray(X)
    axis = axis % X.ndim
    pad = [(0, 0)] * X.ndim
    pad[axis] = (width, width)
    Xp = np.pad(X, pad, mode="edge")
    T = X.shape[axis]
    out = np.zeros_like(X)
    for n in range(1, width + 1):
        hi = np.take(Xp, np.arange(width + n, width + n + T), axis=axis)
        lo = np.take(Xp, np.arange(width - n, width - n + T), axis=axis)
        out += n * (hi - lo)
    out /= 2 * sum(n * n for n in range(1, width + 1))
    return out
