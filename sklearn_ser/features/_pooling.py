"""Pool frame-level features ``(n_samples, n_frames, n_coeffs)`` into vectors."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, Options
from sklearn.utils.validation import check_is_fitted

from ._delta import delta
from ._frame_array import frame_lengths
from ._validation import check_params

__all__ = ["FrameStats", "pool_frames"]

_STATS = ("mean", "std", "min", "max", "median")


def pool_frames(*, X, lengths, stats=("mean", "std"), percentiles=()):
    """Statistics over the first ``lengths[i]`` frames of each sample.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_frames, n_coeffs)
    lengths : ndarray of int, shape (n_samples,)
        Real (non-padding) frames per sample; a sample with 0 real frames
        is pooled over all its frames so that every output is finite.
    stats : sequence of {"mean", "std", "min", "max", "median"}
    percentiles : sequence of float in [0, 100]

    Returns
    -------
    list of ndarray of shape (n_samples, n_coeffs), float64
        One per statistic, ``stats`` then ``percentiles``.
    """
    X = np.asarray(X, dtype=np.float64)
    T = X.shape[1]
    counts = np.asarray(lengths, dtype=np.int64)
    counts = np.where(counts > 0, np.minimum(counts, T), T)
    mask = (np.arange(T)[None, :] < counts[:, None])[:, :, None]
    out = []
    c = counts[:, None].astype(np.float64)
    mean = np.where(mask, X, 0.0).sum(axis=1) / c
    for s in stats:
        if s == "mean":
            out.append(mean)
        elif s == "std":
            dev = np.where(mask, X - mean[:, None], 0.0)
            out.append(np.sqrt((dev**2).sum(axis=1) / c))
        elif s == "min":
            out.append(np.where(mask, X, np.inf).min(axis=1))
        elif s == "max":
            out.append(np.where(mask, X, -np.inf).max(axis=1))
        elif s == "median":
            out.append(np.nanpercentile(np.where(mask, X, np.nan), 50.0, axis=1))
    if len(percentiles):
        P = np.nanpercentile(np.where(mask, X, np.nan), list(percentiles), axis=1)
        out.extend(list(P))
    return out


class FrameStats(TransformerMixin, BaseEstimator):
    """Statistics over time: ``(n, n_frames, n_coeffs)`` -> ``(n, n_features)``.

    Turns the output of :class:`MFCC`, :class:`LMFB`, ... into fixed-length
    vectors for SVMs and trees (S0 pools its librosa MFCCs over time with
    the mean, ``np.mean(mfcc.T, axis=0)``; ``stats=("mean",)`` is exactly
    that).

    Padding does not bias the statistics: the frame-level transformers pad
    with zero frames *at the end* and return a
    :class:`~sklearn_ser.features.FrameArray` whose ``lengths`` say how many
    frames of each sample are real; with ``skip_padding=True`` only those
    are pooled (frames of digital silence, even at the end, are real and
    kept). A plain ndarray carries no lengths: all its frames are pooled.

    Parameters
    ----------
    stats : sequence of {"mean", "std", "min", "max", "median"}, default=("mean", "std")
    percentiles : sequence of float in [0, 100], default=()
        Extra statistics named ``p<q>`` (e.g. ``p10``).
    deltas : {0, 1, 2}, default=0
        Also pool the first (and second) order deltas (HTK regression,
        half-width ``delta_width``) of the valid frames.
    delta_width : int, default=2
    prefix : str or sequence of str or None, default=None
        Names of the input coefficients for :meth:`get_feature_names_out`:
        a string ``p`` names column ``j`` ``f"{p}_{stat}_{j}"`` (``"mfcc"`` gives
        ``mfcc_mean_0``); a sequence gives one name per column
        (``f"{name}_{stat}"``; e.g. ``MFCC().feature_prefixes()``);
        ``None`` uses ``"x"``.
    skip_padding : bool, default=True
        Pool only the ``lengths`` real frames of a ``FrameArray``.

    Attributes
    ----------
    n_features_in_ : int
        Number of coefficients per frame (``X.shape[2]``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import FrameArray
    >>> X = np.zeros((2, 5, 3), np.float32); X[:, :3] = 1.0; X[1, :3, 0] = [1, 2, 3]
    >>> X = FrameArray(X, lengths=[3, 3])  # what MFCC(...).transform returns
    >>> fs = FrameStats(stats=("mean", "max"), prefix="mfcc").fit(X)
    >>> fs.transform(X)[1, :3]
    array([2., 1., 1.], dtype=float32)
    >>> list(fs.get_feature_names_out()[:2])
    ['mfcc_mean_0', 'mfcc_mean_1']
    """

    def __init__(
        self,
        *,
        stats=("mean", "std"),
        percentiles=(),
        deltas=0,
        delta_width=2,
        prefix=None,
        skip_padding=True,
    ):
        self.stats = stats
        self.percentiles = percentiles
        self.deltas = deltas
        self.delta_width = delta_width
        self.prefix = prefix
        self.skip_padding = skip_padding

    _parameter_constraints: dict = {
        "stats": [str, list, tuple],
        "percentiles": ["array-like"],
        "deltas": [Options(Integral, {0, 1, 2})],
        "delta_width": [Interval(Integral, 1, None, closed="left")],
        "prefix": [str, "array-like", None],
        "skip_padding": ["boolean"],
    }

    def _validate_params(self):
        check_params(self)
        stats = [self.stats] if isinstance(self.stats, str) else list(self.stats)
        bad = [s for s in stats if s not in _STATS]
        if bad or len(set(stats)) != len(stats):
            raise ValueError(
                f"stats must be distinct names from {_STATS}. "
                f"Received: stats={self.stats!r}"
            )
        pct = list(self.percentiles)
        if any(not isinstance(q, Real) or not 0 <= q <= 100 for q in pct):
            raise ValueError(
                "percentiles must be numbers in [0, 100]. Received: "
                f"percentiles={self.percentiles!r}"
            )
        if not stats and not pct:
            raise ValueError(
                "At least one statistic is needed. Received: stats=(), percentiles=()"
            )
        return stats, pct

    @staticmethod
    def _check_X(X):
        X = np.asarray(X)
        if X.ndim != 3 or X.dtype.kind not in "fiu":
            raise ValueError(
                "FrameStats expects frame-level features of shape "
                "(n_samples, n_frames, n_coeffs), e.g. the output of MFCC. "
                f"Received: array of shape {X.shape} "
                f"and dtype {X.dtype}"
            )
        if not np.isfinite(X).all():
            raise ValueError("FrameStats input contains NaN or infinite values")
        return X

    def fit(self, X, y=None):
        """Validate parameters and record ``n_features_in_``. Returns ``self``."""
        self._validate_params()
        X = self._check_X(X)
        self.n_features_in_ = X.shape[2]
        if self.prefix is not None and not isinstance(self.prefix, str):
            if len(self.prefix) != self.n_features_in_:
                raise ValueError(
                    f"prefix has {len(self.prefix)} names but X has "
                    f"{self.n_features_in_} coefficients. "
                    f"Received: prefix={self.prefix!r}"
                )
        return self

    def _stat_names(self):
        stats, pct = self._validate_params()
        names = list(stats) + [f"p{q:g}" for q in pct]
        blocks = [""] + [
            ("delta_" if o == 1 else "delta2_") for o in range(1, self.deltas + 1)
        ]
        return [b + n for b in blocks for n in names]

    def get_feature_names_out(self, input_features=None):
        """``{prefix}_{stat}_{j}`` (or ``{name}_{stat}``), stat-major order."""
        check_is_fitted(self)
        n = self.n_features_in_
        prefix = self.prefix
        if input_features is not None and prefix is None:
            prefix = list(input_features)
        if prefix is None or isinstance(prefix, str):
            p = "x" if prefix is None else prefix
            cols = [(p, f"_{j}") for j in range(n)]
        else:
            cols = [(str(name), "") for name in prefix]
        return np.asarray(
            [f"{p}_{s}{suffix}" for s in self._stat_names() for p, suffix in cols],
            dtype=object,
        )

    def transform(self, X):
        """Pool each sample's valid frames. Returns ``(n_samples, n_features)``."""
        check_is_fitted(self)
        stats, pct = self._validate_params()
        carried = getattr(X, "lengths", None)
        X = self._check_X(X)
        lengths = frame_lengths(X) if carried is None else carried
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} coefficients per frame, FrameStats was "
                "fitted with "
                f"{self.n_features_in_}. Received: X of shape {X.shape}"
            )
        out_dtype = X.dtype if X.dtype.kind == "f" else np.float64
        Xd = X.astype(np.float64)
        T = X.shape[1]
        counts = lengths if self.skip_padding else np.full(len(X), T)
        counts = np.where(counts > 0, np.minimum(counts, T), T)
        parts = pool_frames(X=Xd, lengths=counts, stats=stats, percentiles=pct)
        d = Xd
        for _ in range(self.deltas):
            d = np.stack(
                [
                    np.pad(
                        delta(X=d[i, :k], width=self.delta_width, axis=0),
                        ((0, T - k), (0, 0)),
                    )
                    for i, k in enumerate(counts)
                ]
            )
            parts += pool_frames(X=d, lengths=counts, stats=stats, percentiles=pct)
        return np.concatenate(parts, axis=1).astype(out_dtype)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        return tags
