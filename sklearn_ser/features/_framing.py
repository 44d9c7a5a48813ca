"""Framing: windows, frame counts, pre-emphasis and frames cut from signals.

See :mod:`sklearn_ser.features._spectral` for the two conventions
(``"librosa"`` centred frames, ``"psf"`` frames from sample 0).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.signal

from ._validation import _check_convention, _check_positive_int, _readonly

__all__ = [
    "Framing",
    "frame_signal",
    "frame_signals",
    "get_window",
    "n_frames_for_length",
    "preemphasis",
]


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


@dataclass(frozen=True, eq=False)
class Framing:
    """How a batch of signals is cut into windowed frames; passed as one object.

    Fields as in :func:`~sklearn_ser.features.stft` and :func:`frame_signal`;
    ``win_length=None`` means ``n_fft``. ``preemph`` is the pre-emphasis
    coefficient (:func:`preemphasis`) applied on the fly while framing;
    ``n_samples`` (an int or one per signal) treats every signal as that
    many samples long, zero-padded or cut at its end (a clip duration),
    without copying it; ``dtype`` is the precision of the frames, of their
    FFT and of everything computed from them. The fields are checked on
    construction.
    """

    n_fft: int
    hop_length: int
    win_length: int | None = None
    window: object = "hann"
    center: bool = True
    pad_mode: str = "constant"
    convention: str = "librosa"
    preemph: float = 0.0
    n_samples: object = None
    dtype: object = np.float32

    def __post_init__(self):
        _check_convention(self.convention)
        n_fft = _check_positive_int("n_fft", self.n_fft)
        hop_length = _check_positive_int("hop_length", self.hop_length)
        win_length = self.win_length
        if win_length is not None:
            win_length = _check_positive_int("win_length", win_length)
        if self.convention == "librosa" and (win_length or n_fft) > n_fft:
            raise ValueError(
                f"win_length must be <= n_fft. Received: win_length={win_length}, "
                f"n_fft={n_fft}"
            )
        for name, value in (
            ("n_fft", n_fft),
            ("hop_length", hop_length),
            ("win_length", win_length),
            ("dtype", np.dtype(self.dtype)),
        ):
            object.__setattr__(self, name, value)

    @property
    def frame_length(self):
        """Samples a frame spans: ``n_fft`` (librosa) or the window (psf)."""
        if self.convention == "librosa":
            return self.n_fft
        return self.win_length or self.n_fft

    @property
    def left(self):
        """Samples of centring padding before the first sample (librosa only)."""
        return self.frame_length // 2 if self.centred else 0

    @property
    def centred(self):
        return self.center and self.convention == "librosa"

    def window_values(self):
        """The analysis window, zero-padded to the frame (librosa) or not (psf)."""
        return get_window(
            window=self.window,
            win_length=self.win_length or self.n_fft,
            n_fft=self.n_fft if self.convention == "librosa" else None,
            dtype=self.dtype,
        )

    def n_frames(self, n_samples):
        """Frames of signals ``n_samples`` long (:func:`n_frames_for_length`)."""
        return n_frames_for_length(
            n_samples=n_samples,
            frame_length=self.frame_length,
            hop_length=self.hop_length,
            center=self.center,
            convention=self.convention,
        ).astype(np.int64)


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


def _signal_list(y):
    """``(y, ys)``: one signal or an equal-length batch, as a list of signals."""
    y = np.asarray(y)
    if y.ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D. Received: y of shape {y.shape}")
    return y, (list(y) if y.ndim == 2 else [y])


def _per_signal(y, stacked, n_frames):
    """Stacked frames of ``_signal_list(y)`` back in ``y``'s layout."""
    if y.ndim == 1:
        return stacked
    return stacked.reshape(y.shape[0], int(n_frames[0]), -1)


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
    y, ys = _signal_list(y)
    frames, n_frames = frame_signals(
        ys=ys,
        frame_length=frame_length,
        hop_length=hop_length,
        center=center,
        pad_mode=pad_mode,
        convention=convention,
    )
    return _per_signal(y, frames, n_frames)


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
