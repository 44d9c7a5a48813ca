"""Per-speaker and per-utterance feature normalisation.

:class:`SpeakerNormalizer` standardises features per speaker, with the
speaker ids (``groups``) routed by scikit-learn's metadata routing, so it
works inside a :class:`~sklearn.pipeline.Pipeline`, in ``cross_validate`` /
``cross_val_score`` (``params={"groups": groups}``) and in ``GridSearchCV`` /
``BayesSearchCV``. :class:`UtteranceCMVN` normalises frame-level features
within each utterance (cepstral mean and variance normalisation).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..utils._groups import check_groups_shape

__all__ = ["SpeakerNormalizer", "UtteranceCMVN"]

_MODES = ("strict", "transductive")


def _speaker_stats(X, groups, with_std, eps):
    """(speakers, means, stds, counts) of each speaker's rows of ``X``."""
    speakers, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    k = len(speakers)
    sums = np.zeros((k, X.shape[1]), np.float64)
    np.add.at(sums, inverse, X)
    means = sums / counts[:, None]
    if with_std:
        sq = np.zeros_like(sums)
        np.add.at(sq, inverse, (X - means[inverse]) ** 2)
        stds = np.sqrt(sq / counts[:, None])
        stds = np.where(stds < eps, 1.0, stds)
    else:
        stds = np.ones_like(means)
    return speakers, means, stds, counts


def _check_groups(groups, n, mode):
    if groups is None:
        raise ValueError(
            "SpeakerNormalizer needs groups (one speaker id per sample): enable "
            "metadata routing (sklearn.set_config(enable_metadata_routing=True)), "
            "call set_fit_request(groups=True) and set_transform_request("
            "groups=True), and pass groups to fit/predict (or params={'groups': "
            f"g}} in cross_validate). Received: groups=None (mode={mode!r})"
        )
    return check_groups_shape(groups, n)


class SpeakerNormalizer(TransformerMixin, BaseEstimator):
    """Standardise features per speaker (speaker ids routed as ``groups``).

    Speakers differ in pitch, loudness and timbre far more than one speaker's
    emotions do; removing each speaker's mean (and scaling by its standard
    deviation) is the classic remedy of the paralinguistics literature
    (e.g. Schuller et al.'s speaker z-normalisation).

    ``fit(X, groups=g)`` stores each training speaker's mean and standard
    deviation and the *typical-speaker* statistics: the mean of the training
    speakers' means and the root-mean-square of their standard deviations.
    ``transform(X, groups=g)`` then differs by ``mode``:

    - ``"strict"``: nothing is computed from the samples being transformed.
      A speaker seen in ``fit`` is normalised with its stored statistics (so
      ``fit_transform`` on training data is per-speaker standardisation); any
      other speaker (every test speaker of a speaker-independent protocol)
      gets the typical-speaker statistics of the training speakers. This is
      legitimate on unseen speakers: the test speaker's audio contributes
      nothing to any statistic.
    - ``"transductive"``: every speaker in the transformed batch is
      normalised with its *own* statistics computed on that batch (speakers
      with fewer than ``min_samples`` samples fall back to the
      typical-speaker statistics). On a test speaker this uses the speaker's
      unlabelled audio (an enrolment set), so scores obtained this way must
      be reported separately from strict ones.

    The ``groups`` request is opt-in, as for every scikit-learn consumer:
    ``sklearn.set_config(enable_metadata_routing=True)``, then
    ``SpeakerNormalizer().set_fit_request(groups=True).set_transform_request(
    groups=True)``.

    Parameters
    ----------
    mode : {'strict', 'transductive'}, default='strict'
    with_std : bool, default=True
        Also divide by the speaker's standard deviation (else only centre).
    min_samples : int, default=2
        Transductive mode: a speaker with fewer samples in the batch gets the
        typical-speaker statistics.
    eps : float, default=1e-8
        Standard deviations below it count as 1 (constant features).

    Attributes
    ----------
    speakers_ : ndarray
        Training speakers.
    means_, stds_ : ndarray of shape (n_speakers, n_features)
    mean_, std_ : ndarray of shape (n_features,)
        Typical-speaker statistics (used for unseen speakers).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, sklearn
    >>> X = np.array([[1.0], [3.0], [10.0], [14.0]])
    >>> g = np.array(["a", "a", "b", "b"])
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     norm = SpeakerNormalizer().fit(X, groups=g)
    ...     norm.transform(X, groups=g).ravel().tolist()
    [-1.0, 1.0, -1.0, 1.0]
    >>> norm.mean_.tolist(), np.round(norm.std_, 2).tolist()  # typical speaker
    ([7.0], [1.58])
    """

    _parameter_constraints = {
        "mode": [StrOptions(set(_MODES))],
        "with_std": ["boolean"],
        "min_samples": [Interval(Integral, 1, None, closed="left")],
        "eps": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, mode="strict", with_std=True, min_samples=2, eps=1e-8):
        self.mode = mode
        self.with_std = with_std
        self.min_samples = min_samples
        self.eps = eps

    def fit(self, X, y=None, groups=None):
        """Store each training speaker's statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        groups : array-like of shape (n_samples,)
            Speaker id of each sample.

        Returns
        -------
        self
        """
        self._validate_params()
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=True)
        groups = _check_groups(groups, X.shape[0], self.mode)
        speakers, means, stds, _ = _speaker_stats(X, groups, self.with_std, self.eps)
        self.speakers_ = speakers
        self.means_ = means
        self.stds_ = stds
        self.mean_ = means.mean(axis=0)
        self.std_ = np.sqrt(np.mean(stds**2, axis=0))
        return self

    def transform(self, X, groups=None):
        """Normalise every sample with its speaker's statistics (see ``mode``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        groups : array-like of shape (n_samples,)
            Speaker id of each sample.

        Returns
        -------
        ndarray of shape (n_samples, n_features), the dtype of ``X``
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        groups = _check_groups(groups, X.shape[0], self.mode)
        speakers, inverse = np.unique(groups, return_inverse=True)
        mu = np.tile(self.mean_, (len(speakers), 1))
        sd = np.tile(self.std_, (len(speakers), 1))
        if self.mode == "strict":
            pos = np.searchsorted(self.speakers_, speakers)
            pos = np.minimum(pos, len(self.speakers_) - 1)
            seen = self.speakers_[pos] == speakers
            mu[seen] = self.means_[pos[seen]]
            sd[seen] = self.stds_[pos[seen]]
        else:
            _, means, stds, counts = _speaker_stats(
                X, groups, self.with_std, self.eps
            )
            enough = counts >= self.min_samples
            mu[enough] = means[enough]
            sd[enough] = stds[enough]
        if not self.with_std:
            sd[:] = 1.0
        return ((X - mu[inverse]) / sd[inverse]).astype(X.dtype, copy=False)

    def fit_transform(self, X, y=None, groups=None):
        """``fit(X, groups=groups).transform(X, groups=groups)``."""
        return self.fit(X, y, groups=groups).transform(X, groups=groups)

    def get_feature_names_out(self, input_features=None):
        """The input feature names, unchanged."""
        from sklearn.utils.validation import _check_feature_names_in

        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class UtteranceCMVN(TransformerMixin, BaseEstimator):
    """Per-utterance mean (and variance) normalisation of frame-level features.

    Each sample of ``X`` (``(n_samples, n_frames, n_bins)``, time-major as
    produced by :mod:`sklearn_ser.features`) has every bin centred (and,
    with ``with_std``, scaled to unit variance) over its own frames
    (cepstral mean and variance normalisation). Stateless, uses nothing
    across utterances, so it is strict by construction. When ``X`` is a
    :class:`~sklearn_ser.features.FrameArray` (the output of the frame-level
    transformers), its padding frames (past ``X.lengths``) are left out of
    the statistics and stay zero, and the output carries the same lengths;
    a plain array has all its frames taken as real.

    Parameters
    ----------
    with_std : bool, default=True
    skip_padding : bool, default=True
        Ignore (and keep at zero) the padding frames a ``FrameArray`` carries.
    eps : float, default=1e-8

    Attributes
    ----------
    n_features_in_ : int
        Number of bins.

    Examples
    --------
    >>> from sklearn_ser.features import FrameArray
    >>> X = FrameArray(np.array([[[1.0, 2.0], [3.0, 6.0], [0.0, 0.0]]]), lengths=[2])
    >>> UtteranceCMVN().fit_transform(X)[0].tolist()
    [[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0]]
    """

    def __init__(self, *, with_std=True, skip_padding=True, eps=1e-8):
        self.with_std = with_std
        self.skip_padding = skip_padding
        self.eps = eps

    def _check(self, X):
        X = check_array(X, allow_nd=True, dtype=[np.float32, np.float64])
        if X.ndim != 3:
            raise ValueError(
                "UtteranceCMVN expects frame features of shape (n_samples, "
                f"n_frames, n_bins). Received: X with shape {X.shape}"
            )
        return X

    def fit(self, X, y=None):
        """Check ``X``; set ``n_features_in_`` (number of bins). Returns self."""
        X = self._check(X)
        self.n_features_in_ = X.shape[2]
        return self

    def transform(self, X):
        """Normalise each utterance over its own (non-padding) frames."""
        from ..features._frame_array import FrameArray, frame_lengths

        check_is_fitted(self)
        carried = frame_lengths(X)
        X = self._check(X)
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} bins, UtteranceCMVN was fitted with "
                f"{self.n_features_in_}. Received: X with shape {X.shape}"
            )
        n, T, _ = X.shape
        lengths = carried if self.skip_padding else np.full(n, T)
        mask = (np.arange(T)[None, :] < lengths[:, None])[:, :, None]
        cnt = lengths[:, None, None].astype(np.float64)
        mu = np.where(mask, X, 0).sum(axis=1, keepdims=True) / cnt
        out = X - mu
        if self.with_std:
            var = np.where(mask, out**2, 0).sum(axis=1, keepdims=True) / cnt
            sd = np.sqrt(var)
            out = out / np.where(sd < self.eps, 1.0, sd)
        out = np.where(mask, out, 0).astype(X.dtype, copy=False)
        return FrameArray(out, lengths=carried)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
