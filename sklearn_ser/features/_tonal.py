"""Tonality of a clip from its chroma frames: key, mode clarity, tonnetz.

Input layout: chroma frames ``(n_samples, n_frames, 12)``, time-major like
every frame feature of the package, column 0 = C, 1 = C#, ..., 11 = B (the
output of :class:`~sklearn_ser.features.Chroma` with ``pooling=None``). A
:class:`~sklearn_ser.features.FrameArray`'s ``lengths`` say how many frames
of each sample are real; only those are used. A plain ndarray's frames are
all real.

Every frame is first scaled to sum 1 (a pitch-class distribution), so the
loudness of a frame does not weight its harmony. The key of a stretch of
frames is found the Krumhansl-Schmuckler way: the Pearson correlation of its
mean chroma with the Krumhansl-Kessler probe-tone profiles (Krumhansl &
Kessler 1982) rotated to each of the 12 tonics, in major and in minor.
The tonal centroid (tonnetz) is Harte, Sandler & Gasser (2006), as in
``librosa.feature.tonnetz``.
"""

import warnings
from numbers import Integral

import numpy as np
from scipy.stats import skew
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._validation import check_params

__all__ = ["TonalStats", "estimate_key", "tonal_stats"]

#: Krumhansl-Kessler probe-tone profiles of C major and C minor.
KRUMHANSL_MAJOR = np.array(
    [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
)
KRUMHANSL_MINOR = np.array(
    [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
)
_EPS = 1e-9

_CLARITY = (
    "key_major_max",  # best correlation with a major key
    "key_minor_max",  # best correlation with a minor key
    "key_major_minus_minor",
    "key_max",  # best of both
    "key_major_minus_relative_minor",
    "chroma_entropy",
    "key_major_second",  # second-best major key (how ambiguous the key is)
    "key_minor_second",
)
#: Names of the :func:`tonal_stats` columns, in order.
TONAL_FEATURES = (
    _CLARITY
    + tuple(f"{c}_window_mean" for c in _CLARITY)
    + tuple(f"{c}_window_std" for c in _CLARITY)
    + tuple(f"tonnetz_mean_{k}" for k in range(6))
    + tuple(f"tonnetz_std_{k}" for k in range(6))
    + ("harmonic_change_mean", "harmonic_change_std", "harmonic_change_skew")
    + tuple(f"rotated_chroma_{k}" for k in range(12))
)


def _check_chroma(chroma, who):
    X = np.asarray(chroma)
    if X.ndim != 3 or X.shape[2] != 12 or X.dtype.kind not in "fiu":
        raise ValueError(
            f"{who} expects chroma frames of shape (n_samples, n_frames, 12), "
            "e.g. the output of Chroma(pooling=None). Received: array of shape "
            f"{X.shape} and dtype {X.dtype}"
        )
    if X.shape[1] == 0:
        raise ValueError(
            f"{who} needs at least one frame per sample. Received: array of "
            f"shape {X.shape}"
        )
    if not np.isfinite(X).all():
        raise ValueError(f"{who} input contains NaN or infinite values")
    if (X < 0).any():
        raise ValueError(
            f"{who} expects non-negative chroma (energies per pitch class). "
            f"Received: minimum {X.min()}"
        )
    return X


def _real_counts(chroma, lengths):
    """Frames used per sample: ``lengths`` (all frames when 0 or None)."""
    n, t = chroma.shape[:2]
    if lengths is None:
        return np.full(n, t, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    if lengths.shape != (n,):
        raise ValueError(
            "lengths must give one frame count per sample. Received: lengths of "
            f"shape {lengths.shape} for {n} samples"
        )
    return np.where(lengths > 0, np.minimum(lengths, t), t)


def _by_length(chroma, lengths, width, block):
    """``block(frames)`` of the real frames of every sample, batched by length."""
    chroma = np.asarray(chroma, dtype=np.float64)
    counts = _real_counts(chroma, lengths)
    out = np.empty((len(chroma), width))
    for length in np.unique(counts):
        idx = np.flatnonzero(counts == length)
        frames = chroma if len(idx) == len(chroma) else chroma[idx]
        out[idx] = block(frames[:, :length])
    return out


def _distributions(chroma):
    """Each frame scaled to sum 1."""
    return chroma / (chroma.sum(axis=-1, keepdims=True) + _EPS)


def _key_correlations(mean_chroma):
    """(major, minor): (n, 12) correlations of each chroma vector with the key
    profiles rotated to each of the 12 tonics."""

    def z(a):
        centred = a - a.mean(axis=1, keepdims=True)
        return centred / (a.std(axis=1, keepdims=True) + _EPS)

    return [
        z(mean_chroma) @ z(np.stack([np.roll(p, r) for r in range(12)])).T / 12
        for p in (KRUMHANSL_MAJOR, KRUMHANSL_MINOR)
    ]


def _mode_clarity(mean_chroma):
    """(n, 8): the ``_CLARITY`` columns of mean chroma vectors."""
    major, minor = _key_correlations(mean_chroma)
    relative = minor[np.arange(len(mean_chroma)), (major.argmax(axis=1) + 9) % 12]
    return np.c_[
        major.max(axis=1),
        minor.max(axis=1),
        major.max(axis=1) - minor.max(axis=1),
        np.maximum(major.max(axis=1), minor.max(axis=1)),
        major.max(axis=1) - relative,
        -(mean_chroma * np.log(mean_chroma + _EPS)).sum(axis=1),
        np.sort(major, axis=1)[:, -2],
        np.sort(minor, axis=1)[:, -2],
    ]


def _tonnetz_basis():
    """(12, 6): fifths, minor thirds, major thirds (Harte et al. 2006)."""
    pitch = np.arange(12)[:, None]
    return np.hstack(
        [
            np.sin(pitch * 7 * np.pi / 6),
            np.cos(pitch * 7 * np.pi / 6),
            np.sin(pitch * 3 * np.pi / 2),
            np.cos(pitch * 3 * np.pi / 2),
            0.5 * np.sin(pitch * 2 * np.pi / 3),
            0.5 * np.cos(pitch * 2 * np.pi / 3),
        ]
    )


def _tonal_block(chroma, window, hop):
    """The columns of :func:`tonal_stats` for samples of equal length (all real)."""
    chroma = _distributions(chroma)
    n, t, _ = chroma.shape
    width = min(window, t)  # a clip shorter than a window is one window
    windows = np.stack(
        [
            _mode_clarity(chroma[:, s : s + width].mean(axis=1))
            for s in range(0, t - width + 1, hop)
        ],
        axis=1,
    )
    tonnetz = chroma @ _tonnetz_basis()
    change = np.linalg.norm(np.diff(tonnetz, axis=1), axis=2)
    mean_chroma = chroma.mean(axis=1)
    tonic = _key_correlations(mean_chroma)[0].argmax(axis=1)
    rotated = np.stack([np.roll(mean_chroma[i], -tonic[i]) for i in range(n)])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # one frame, or no harmonic change at all: undefined, made 0 below
        warnings.simplefilter("ignore", RuntimeWarning)
        change_stats = np.c_[
            change.mean(axis=1), change.std(axis=1), skew(change, axis=1)
        ]
    out = np.hstack(
        [
            _mode_clarity(mean_chroma),
            windows.mean(axis=1),
            windows.std(axis=1),
            tonnetz.mean(axis=1),
            tonnetz.std(axis=1),
            change_stats,
            rotated,
        ]
    )
    return np.nan_to_num(out)


def _check_window(window, hop):
    for name, value in (("window", window), ("hop", hop)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(
                f"{name} must be a positive integer (frames). "
                f"Received: {name}={value!r}"
            )


def tonal_stats(*, chroma, lengths=None, window=129, hop=64):
    """Key / mode clarity, tonnetz and harmonic change of each clip.

    Computed from the real frames of each sample, each frame scaled to sum
    1 (see the module docstring). The 51 columns (named by
    :meth:`TonalStats.get_feature_names_out`):

    - 8 *mode clarity* values of the clip's mean chroma: the best
      correlation with a major key profile and with a minor one, their
      difference, the best of both, the best major minus its relative minor,
      the chroma entropy, the second-best major and minor (how ambiguous the
      key is);
    - the mean and the standard deviation of those 8 over windows of
      ``window`` frames every ``hop`` frames (how stable the key is; frames
      after the last full window are left out, and a clip shorter than one
      window is one window);
    - the mean and standard deviation of the 6 tonnetz coordinates, and the
      mean, standard deviation and skewness of the harmonic change (the
      Euclidean distance between consecutive tonnetz vectors);
    - the mean chroma rotated so that the tonic of the best major key comes
      first (column ``rotated_chroma_k`` is ``k`` semitones above it).

    Statistics that are undefined (the skewness of a constant harmonic
    change, e.g. on silence or on a single frame) are 0.

    Parameters
    ----------
    chroma : array-like of shape (n_samples, n_frames, 12)
        Non-negative chroma frames, column 0 = C.
    lengths : array-like of int, shape (n_samples,), optional
        Real frames per sample (the first ``lengths[i]``); 0 or None means
        all frames.
    window : int, default=129
        Frames per window: 3 s at 22050 Hz with ``hop_length=512``
        (``int(3 * 22050 / 512)``), :class:`Chroma`'s defaults.
    hop : int, default=64
        Frames between window starts (half a window).

    Returns
    -------
    ndarray of float32, shape (n_samples, 51)
    """
    _check_window(window, hop)
    X = _check_chroma(chroma, "tonal_stats")
    out = _by_length(
        X, lengths, len(TONAL_FEATURES), lambda c: _tonal_block(c, window, hop)
    )
    return out.astype(np.float32)


def estimate_key(*, chroma, lengths=None):
    """The key of each clip (Krumhansl-Schmuckler): tonic and mode.

    The key profile, of the 24 major and minor keys, that correlates best
    with the mean of the clip's real chroma frames (each scaled to sum 1).

    Parameters
    ----------
    chroma : array-like of shape (n_samples, n_frames, 12)
        Non-negative chroma frames, column 0 = C.
    lengths : array-like of int, shape (n_samples,), optional
        Real frames per sample; 0 or None means all frames.

    Returns
    -------
    tonic : ndarray of int, shape (n_samples,)
        Pitch class of the tonic, 0 = C, ..., 9 = A, 11 = B.
    mode : ndarray of str, shape (n_samples,)
        ``"major"`` or ``"minor"``.

    Examples
    --------
    >>> import numpy as np
    >>> a_minor = np.full((1, 20, 12), 0.05); a_minor[:, :, [9, 0, 4]] = 1.0
    >>> tonic, mode = estimate_key(chroma=a_minor)
    >>> int(tonic[0]), str(mode[0])
    (9, 'minor')
    """
    X = _check_chroma(chroma, "estimate_key")

    def best(frames):
        major, minor = _key_correlations(_distributions(frames).mean(axis=1))
        return np.hstack([major, minor]).argmax(axis=1)[:, None]

    key = _by_length(X, lengths, 1, best)[:, 0].astype(np.int64)
    return key % 12, np.where(key < 12, "major", "minor")


class TonalStats(TransformerMixin, BaseEstimator):
    """Chroma frames ``(n, n_frames, 12)`` -> 51 tonal statistics per clip.

    How clearly a clip is in a major or a minor key, over the whole clip
    and over windows, its tonal centroid (tonnetz) and harmonic change, and
    its mean chroma rotated to the estimated key: see :func:`tonal_stats`
    for the columns. Mode is a classic cue of valence in music.
    Used after :class:`Chroma` with ``pooling=None``::

        Pipeline([Chroma(pooling=None, duration=30.0), TonalStats()])

    Padding is skipped: the statistics of a :class:`FrameArray` use its
    ``lengths`` real frames; a plain ndarray's frames are all real.

    Parameters
    ----------
    window : int, default=129
        Frames per key window: 3 s at :class:`Chroma`'s defaults (22050 Hz,
        ``hop_length=512``: ``int(3 * 22050 / 512)``). For other settings,
        ``int(seconds * sr / hop_length)``.
    hop : int, default=64
        Frames between window starts.

    Attributes
    ----------
    n_features_in_ : int
        12 (pitch classes per frame).

    See Also
    --------
    tonal_stats : The function this transformer applies.
    estimate_key : The key (tonic and mode) of each clip.

    Examples
    --------
    >>> import numpy as np
    >>> c_major = np.full((1, 300, 12), 0.05, np.float32)
    >>> c_major[:, :, [0, 4, 7]] = 1.0  # C, E, G
    >>> ts = TonalStats().fit(c_major)
    >>> out = ts.transform(c_major)
    >>> out.shape, out.dtype
    ((1, 51), dtype('float32'))
    >>> names = list(ts.get_feature_names_out())
    >>> names[:3]
    ['key_major_max', 'key_minor_max', 'key_major_minus_minor']
    >>> bool(out[0, names.index("key_major_minus_minor")] > 0)
    True
    """

    def __init__(self, *, window=129, hop=64):
        self.window = window
        self.hop = hop

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "hop": [Interval(Integral, 1, None, closed="left")],
    }

    def fit(self, X, y=None):
        """Validate the parameters and ``X``. Returns ``self``."""
        check_params(self)
        _check_chroma(X, type(self).__name__)
        self.n_features_in_ = 12
        return self

    def transform(self, X):
        """The 51 statistics of each sample, ``(n_samples, 51)`` float32."""
        check_is_fitted(self)
        lengths = getattr(X, "lengths", None)  # a FrameArray's real frames
        X = _check_chroma(X, type(self).__name__)
        return tonal_stats(chroma=X, lengths=lengths, window=self.window, hop=self.hop)

    def get_feature_names_out(self, input_features=None):
        """``key_major_max``, ..., ``tonnetz_mean_0``, ..., ``rotated_chroma_11``.

        ``input_features`` is ignored: the names do not depend on the input's.
        """
        check_is_fitted(self)
        return np.asarray(TONAL_FEATURES, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.positive_only = True
        tags.target_tags.required = False
        return tags
