"""Spectral descriptors, zero-crossing rate and RMS: frame-wise music features of S4.

Pure keyword-only numpy functions (chroma is in :mod:`._chroma`, onset
strength and tempo in :mod:`._rhythm`); the transformers live in
:mod:`sklearn_ser.features._music_estimators`.

Layout
------
The toolkit's layout is *time-major* (see :mod:`sklearn_ser.features._spectral`):
a spectrogram ``S`` is ``(..., n_frames, n_bins)`` with
``n_bins = n_fft // 2 + 1``; a per-frame descriptor is ``(..., n_frames)``
and a per-frame vector (chroma) is ``(..., n_frames, n_chroma)``. Any
leading axes are treated as a batch. This is the transpose of librosa's
``(n_bins, n_frames)`` layout; the numbers are librosa's.

Conventions (all as in librosa 0.11, so S4's librosa features are
reproduced)
-------------------------------------------------------------------------
- ``S`` is a *magnitude* spectrogram (``|STFT|``) for centroid, bandwidth,
  roll-off, flatness and flux, and a *power* spectrogram (``|STFT|**2``)
  for :func:`chroma_stft`, exactly like librosa's ``S`` arguments.
- When ``y`` is given, ``S`` is computed with :func:`~._spectral.stft`
  (``center=True`` pads ``n_fft // 2`` zeros on each side, so a clip of
  ``n`` samples has ``1 + n // hop_length`` frames). When ``S`` is given,
  ``n_fft`` is taken from its shape (``2 * (n_bins - 1)``).
- Frames whose spectral mass is below the smallest normal float of the
  dtype (silence) are left un-normalised, as in ``librosa.util.normalize``:
  centroid, bandwidth and roll-off are then 0 Hz, flatness is 1, chroma is
  0. Nothing returns NaN or infinity on silent or very short input.
"""

import numpy as np

from ._spectrum import stft
from ._validation import _check_positive_int

__all__ = [
    "rms",
    "spectral_bandwidth",
    "spectral_centroid",
    "spectral_flatness",
    "spectral_flux",
    "spectral_rolloff",
    "zero_crossing_rate",
]


# ----------------------------------------------------------------- helpers
def _spectrogram(name, y, S, power, n_fft, hop_length, win_length, window, center):
    """Return ``(S, n_fft)``: the given spectrogram, or ``|stft(y)| ** power``."""
    if S is not None:
        S = np.asarray(S)
        if S.ndim < 2:
            raise ValueError(
                f"{name}: S must be a spectrogram of shape (..., n_frames, n_bins). "
                f"Received: S.shape={S.shape}"
            )
        if np.iscomplexobj(S):
            raise ValueError(
                f"{name}: S must be real (a magnitude or power spectrogram). "
                f"Received: S.dtype={S.dtype}"
            )
        if S.dtype.kind != "f":
            S = S.astype(np.float32)
        if S.size and S.min() < 0:
            raise ValueError(
                f"{name}: S must be non-negative. Received: S.min()={S.min()}"
            )
        return S, 2 * (S.shape[-1] - 1)
    if y is None:
        raise ValueError(f"{name}: give either y (a waveform) or S (a spectrogram)")
    S = stft(
        y=np.asarray(y, dtype=np.float32),
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        power=power,
    )
    return S, n_fft


def _safe_norm(total, dtype):
    """Denominator for per-frame normalisation; silent frames keep 1."""
    tiny = np.finfo(dtype).tiny
    return np.where(total < tiny, 1.0, total)


def _fft_frequencies(sr, n_fft):
    return np.fft.rfftfreq(int(n_fft), d=1.0 / float(sr))


# ------------------------------------------------------ spectral descriptors
def spectral_centroid(
    *,
    y=None,
    S=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
):
    """Spectral centroid per frame: the magnitude-weighted mean frequency.

    ``centroid[t] = sum_k S[t, k] f_k / sum_k S[t, k]`` (librosa's
    ``feature.spectral_centroid``; S4).

    Parameters
    ----------
    y : ndarray of shape (n_times,), optional
        Waveform at ``sr``. Ignored when ``S`` is given.
    S : ndarray of shape (..., n_frames, n_bins), optional
        Magnitude spectrogram (time-major).
    sr : int, default=22050
    n_fft, hop_length, win_length, window, center
        STFT parameters used when ``y`` is given (librosa's defaults).

    Returns
    -------
    centroid : ndarray of float32, shape (..., n_frames)
        In Hz; 0 for silent frames.
    """
    S, n_fft = _spectrogram(
        "spectral_centroid", y, S, 1.0, n_fft, hop_length, win_length, window, center
    )
    freq = _fft_frequencies(sr, n_fft)
    total = S.sum(axis=-1, dtype=np.float64)
    num = S.astype(np.float64, copy=False) @ freq
    return (num / _safe_norm(total, S.dtype)).astype(np.float32)


def spectral_bandwidth(
    *,
    y=None,
    S=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    p=2,
    centroid=None,
):
    """Spectral bandwidth per frame (order-``p`` deviation around the centroid).

    ``bw[t] = (sum_k S_n[t, k] |f_k - centroid[t]|**p) ** (1/p)`` with ``S_n``
    the frame normalised to sum 1 (librosa's ``feature.spectral_bandwidth``
    with ``norm=True``; S4).

    Parameters
    ----------
    y, S, sr, n_fft, hop_length, win_length, window, center
        As in :func:`spectral_centroid`.
    p : float, default=2
    centroid : ndarray of shape (..., n_frames), optional
        Precomputed centroid (saves one pass).

    Returns
    -------
    bandwidth : ndarray of float32, shape (..., n_frames)
        In Hz; 0 for silent frames.
    """
    if not p > 0:
        raise ValueError(f"p must be > 0. Received: p={p!r}")
    S, n_fft = _spectrogram(
        "spectral_bandwidth", y, S, 1.0, n_fft, hop_length, win_length, window, center
    )
    freq = _fft_frequencies(sr, n_fft)
    S64 = S.astype(np.float64, copy=False)
    total = _safe_norm(S64.sum(axis=-1), S.dtype)
    m1 = (S64 @ freq) / total  # the centroid, also E[f] below
    centroid = m1 if centroid is None else np.asarray(centroid, dtype=np.float64)
    if p == 2:
        # E[(f - c)^2] = E[f^2] - 2 c E[f] + c^2 E[1], in float64 (no N x K temp)
        m2 = (S64 @ freq**2) / total
        m0 = S64.sum(axis=-1) / total  # 1, or 0 for silent frames
        acc = np.maximum(m2 - 2 * centroid * m1 + centroid**2 * m0, 0.0)
    else:
        dev = np.abs(freq - centroid[..., None])
        acc = np.einsum("...k,...k->...", S64, dev**p) / total
    return (acc ** (1.0 / p)).astype(np.float32)


def spectral_flatness(
    *,
    y=None,
    S=None,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    amin=1e-10,
    power=2.0,
):
    """Spectral flatness per frame: geometric over arithmetic mean of the spectrum.

    Computed on ``max(amin, S**power)`` (librosa's ``feature.spectral_flatness``;
    S4). Ranges in (0, 1]; a silent frame is exactly flat (1.0).

    Parameters
    ----------
    y, S, n_fft, hop_length, win_length, window, center
        As in :func:`spectral_centroid` (``S`` is a magnitude spectrogram).
    amin : float, default=1e-10
        Floor on the power values, so ``log(0)`` never occurs.
    power : float, default=2.0
        Exponent applied to the magnitude spectrogram (2 = power spectrum).

    Returns
    -------
    flatness : ndarray of float32, shape (..., n_frames)
    """
    if not amin > 0:
        raise ValueError(f"amin must be > 0. Received: amin={amin!r}")
    S, _ = _spectrogram(
        "spectral_flatness", y, S, 1.0, n_fft, hop_length, win_length, window, center
    )
    S_thresh = np.maximum(amin, S**power)
    gmean = np.exp(np.mean(np.log(S_thresh), axis=-1))
    amean = np.mean(S_thresh, axis=-1)
    return (gmean / amean).astype(np.float32)


def spectral_rolloff(
    *,
    y=None,
    S=None,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    roll_percent=0.85,
):
    """Roll-off frequency per frame: the lowest bin frequency below which
    ``roll_percent`` of the frame's magnitude lies.

    librosa's ``feature.spectral_rolloff`` (cumulative sum of the magnitude
    spectrum; S4). The result is always one of the bin frequencies, so a
    different implementation can differ from it by exactly one bin
    (``sr / n_fft`` Hz) on frames where the cumulative sum meets the
    threshold within rounding error.

    Parameters
    ----------
    y, S, sr, n_fft, hop_length, win_length, window, center
        As in :func:`spectral_centroid`.
    roll_percent : float in (0, 1), default=0.85

    Returns
    -------
    rolloff : ndarray of float32, shape (..., n_frames)
        In Hz; 0 for silent frames.
    """
    if not 0.0 < roll_percent < 1.0:
        raise ValueError(
            f"roll_percent must lie in (0, 1). Received: roll_percent={roll_percent!r}"
        )
    S, n_fft = _spectrogram(
        "spectral_rolloff", y, S, 1.0, n_fft, hop_length, win_length, window, center
    )
    freq = _fft_frequencies(sr, n_fft)
    cum = np.cumsum(S, axis=-1)
    threshold = roll_percent * cum[..., -1:]
    idx = np.argmax(cum >= threshold, axis=-1)
    return freq[idx].astype(np.float32)


def spectral_flux(
    *,
    y=None,
    S=None,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hann",
    center=True,
    lag=1,
    p=2,
    rectify=False,
):
    """Spectral flux per frame: how much the magnitude spectrum changed.

    ``flux[t] = (sum_k |S[t, k] - S[t - lag, k]|**p) ** (1/p)`` for
    ``t >= lag`` and 0 for the first ``lag`` frames (nothing to compare to).
    With ``rectify=True`` only increases count (``max(0, ...)``, the onset
    detection variant). librosa has no spectral flux function; this is the
    textbook definition (Tzanetakis & Cook 2002, with the L2 norm), computed
    on the raw magnitude spectrum, so its scale grows with ``n_fft`` and with
    the signal level.

    Parameters
    ----------
    y, S, n_fft, hop_length, win_length, window, center
        As in :func:`spectral_centroid` (``S`` is a magnitude spectrogram).
    lag : int, default=1
    p : float, default=2
    rectify : bool, default=False

    Returns
    -------
    flux : ndarray of float32, shape (..., n_frames)
    """
    _check_positive_int("lag", lag)
    if not p > 0:
        raise ValueError(f"p must be > 0. Received: p={p!r}")
    S, _ = _spectrogram(
        "spectral_flux", y, S, 1.0, n_fft, hop_length, win_length, window, center
    )
    out = np.zeros(S.shape[:-1], dtype=np.float32)
    if S.shape[-2] > lag:
        diff = S[..., lag:, :] - S[..., :-lag, :]
        if rectify:
            np.maximum(diff, 0, out=diff)
        out[..., lag:] = (np.abs(diff) ** p).sum(axis=-1) ** (1.0 / p)
    return out


# ------------------------------------------------------------ time domain
def _n_frames(n, frame_length, hop_length, center):
    if center:
        n = n + 2 * (frame_length // 2)
    return 1 + max(n - frame_length, 0) // hop_length


def _frame_sums(v, frame_length, hop_length, n_frames):
    """Sum of ``v`` over each frame ``[t*hop, t*hop + frame_length)``, O(n)."""
    c = np.concatenate(([0.0], np.cumsum(v, dtype=np.float64)))
    starts = np.arange(n_frames) * hop_length
    ends = np.minimum(starts + frame_length, len(v))
    return c[ends] - c[np.minimum(starts, len(v))]


def zero_crossing_rate(
    *, y, frame_length=2048, hop_length=512, center=True, threshold=1e-10
):
    """Zero-crossing rate per frame: the fraction of sign changes in the frame.

    librosa's ``feature.zero_crossing_rate`` (S4): with ``center`` the signal
    is edge-padded by ``frame_length // 2`` on each side; samples within
    ``+-threshold`` count as zero and zero counts as positive; a frame's
    first sample opens no crossing; the count is divided by
    ``frame_length``.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    frame_length : int, default=2048
    hop_length : int, default=512
    center : bool, default=True
    threshold : float, default=1e-10

    Returns
    -------
    zcr : ndarray of float32, shape (n_frames,)
        ``n_frames = 1 + n_times // hop_length`` when ``center``.
    """
    _check_positive_int("frame_length", frame_length)
    _check_positive_int("hop_length", hop_length)
    y = np.asarray(y, dtype=np.float32)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D. Received: y.shape={y.shape}")
    if center:
        y = np.pad(y, frame_length // 2, mode="edge")
    if len(y) < frame_length:
        y = np.pad(y, (0, frame_length - len(y)), mode="edge")
    neg = y < -threshold
    # cross[i] = sign change between y[i-1] and y[i]; cross[0] = 0.
    cross = np.zeros(len(y), dtype=np.float64)
    cross[1:] = neg[1:] != neg[:-1]
    n_frames = _n_frames(len(y), frame_length, hop_length, center=False)
    # A frame starting at s counts crossings at s+1 .. s+frame_length-1.
    c = np.concatenate(([0.0], np.cumsum(cross)))
    starts = np.arange(n_frames) * hop_length
    counts = c[starts + frame_length] - c[starts + 1]
    return (counts / frame_length).astype(np.float32)


def rms(*, y=None, S=None, frame_length=2048, hop_length=512, center=True):
    """Root-mean-square energy per frame.

    From ``y``: ``sqrt(mean(frame**2))`` over zero-padded frames (``center``
    pads ``frame_length // 2`` zeros on each side), librosa's ``feature.rms``
    (S4). From a magnitude spectrogram ``S`` (time-major): Parseval's
    formula with the DC and Nyquist bins halved, as librosa does; that is
    the RMS of the *windowed* frame, so it differs from the ``y`` path.

    Parameters
    ----------
    y : ndarray of shape (n_times,), optional
    S : ndarray of shape (..., n_frames, frame_length // 2 + 1), optional
    frame_length : int, default=2048
    hop_length : int, default=512
    center : bool, default=True

    Returns
    -------
    rms : ndarray of float32, shape (..., n_frames)
    """
    _check_positive_int("frame_length", frame_length)
    _check_positive_int("hop_length", hop_length)
    if y is not None:
        y = np.asarray(y, dtype=np.float32)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D. Received: y.shape={y.shape}")
        n_frames = _n_frames(len(y), frame_length, hop_length, center)
        if center:
            y = np.pad(y, frame_length // 2)
        sq = np.square(y, dtype=np.float64)
        power = _frame_sums(sq, frame_length, hop_length, n_frames) / frame_length
        return np.sqrt(np.maximum(power, 0.0)).astype(np.float32)
    if S is None:
        raise ValueError("rms: give either y (a waveform) or S (a spectrogram)")
    S = np.asarray(S)
    if S.shape[-1] != frame_length // 2 + 1:
        raise ValueError(
            f"rms: S has {S.shape[-1]} bins, so frame_length must be "
            f"{2 * S.shape[-1] - 2} or {2 * S.shape[-1] - 1}. "
            f"Received: frame_length={frame_length}"
        )
    x = np.abs(S).astype(np.float64) ** 2
    x[..., 0] *= 0.5
    if frame_length % 2 == 0:
        x[..., -1] *= 0.5
    power = 2 * x.sum(axis=-1) / frame_length**2
    return np.sqrt(power).astype(np.float32)
