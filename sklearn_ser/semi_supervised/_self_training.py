"""Self-training on the batch being predicted."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import _num_samples, check_is_fitted, column_or_1d

from ..utils._groups import check_groups_shape, consumes_groups, groups_kw

__all__ = ["TransductiveSelfTraining"]


def _rows(X):
    """``X`` as something indexable by rows: lists (of paths or waveforms of
    different lengths) and sparse matrices as given, anything else an array."""
    if sp.issparse(X):
        return X.tocsr()
    if isinstance(X, (list, tuple)):
        return X
    return np.asarray(X)


def _concat(a, b):
    """Rows of ``a`` followed by rows of ``b`` (arrays, sparse, lists of audio)."""
    if sp.issparse(a):
        return sp.vstack([a, b], format="csr")
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.ndim == b.ndim:
        return np.concatenate([a, b])
    return list(a) + list(b)


class TransductiveSelfTraining(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Pseudo-label the batch being predicted, refit, then predict it.

    ``fit`` fits a clone of ``estimator`` and keeps the training data.
    ``predict`` / ``predict_proba`` on a batch ``X`` (for instance every
    recording of the new speakers) then run ``n_rounds`` rounds of
    self-training: label ``X`` with the current model, take the ``fraction``
    of its rows the model is most confident about (highest class
    probability, pooled over the batch, no per-class quota), and refit a
    clone of ``estimator`` on the training data plus those rows with their
    predicted labels. The last model predicts ``X``. The fitted estimator
    itself is never changed, so two calls on the same batch agree.

    This is transductive: a prediction depends on the other rows of its
    batch, so the batch must be the test speakers' unlabelled audio only.
    It pairs with per-speaker normalisation in ``mode="transductive"``
    (:class:`~sklearn_ser.preprocessing.SpeakerNormalizer`, put before this
    step in a Pipeline, so each speaker is standardised with all of its
    rows). scikit-learn's
    :class:`~sklearn.semi_supervised.SelfTrainingClassifier` does the same
    with unlabelled rows given at ``fit``; this class takes them at
    prediction, which is where a new speaker's audio arrives.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        Refitted ``1 + n_rounds`` times per prediction call.
    fraction : float in (0, 1], default=0.5
        Share of the batch added with pseudo-labels in each round.
    n_rounds : int, default=1
        Self-training rounds; 0 predicts with the fitted estimator alone.

    Attributes
    ----------
    estimator_ : classifier
        ``estimator`` fitted on the training data only.
    classes_ : ndarray
    n_features_in_ : int
        The fitted estimator's, when it has one.

    Notes
    -----
    ``groups`` (speaker ids) given to ``fit`` and ``predict`` are passed
    on to ``estimator.fit`` when it asks for them (e.g. a search with a
    speaker-grouped inner CV); pseudo-labelled rows keep their own
    speaker's id. The training data are kept in memory for the refits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_ser.semi_supervised import TransductiveSelfTraining
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (20, 2)), rng.normal(3, 1, (20, 2))]
    >>> y = np.r_[[0] * 20, [1] * 20]
    >>> clf = TransductiveSelfTraining(LogisticRegression()).fit(X, y)
    >>> clf.predict(np.array([[0.0, 0.0], [3.0, 3.0]]))
    array([0, 1])
    """

    __metadata_request__fit = {"groups": True}
    __metadata_request__predict = {"groups": True}
    __metadata_request__predict_proba = {"groups": True}

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "fraction": [Interval(Real, 0, 1, closed="right")],
        "n_rounds": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, estimator, *, fraction=0.5, n_rounds=1):
        self.estimator = estimator
        self.fraction = fraction
        self.n_rounds = n_rounds

    def _fit_clone(self, X, y, groups):
        kw = groups_kw(self.estimator, "fit", groups)
        return clone(self.estimator).fit(X, y, **kw)

    def fit(self, X, y, groups=None):
        """Fit ``estimator`` on ``(X, y)`` and keep them for the refits.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...) or list of audio
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Speaker ids, passed to ``estimator.fit`` when it asks for them.

        Returns
        -------
        self : TransductiveSelfTraining
        """
        self._validate_params()
        X, y = _rows(X), column_or_1d(y, warn=True)
        if groups is not None:
            groups = check_groups_shape(groups, _num_samples(X))
        self.estimator_ = self._fit_clone(X, y, groups)
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        self._train = (X, y, groups)
        return self

    def _check_predict_groups(self, X, groups):
        n = _num_samples(X)
        if groups is None:
            if self._train[2] is not None and consumes_groups(self.estimator, "fit"):
                raise ValueError(
                    "estimator was fitted with groups, so predict needs the test "
                    "rows' speaker ids too (groups=...) to refit on pseudo-labels. "
                    "Received: groups=None"
                )
            return None
        return check_groups_shape(groups, n)

    def predict_proba(self, X, groups=None):
        """Class probabilities for the batch ``X`` after self-training on it.

        Parameters
        ----------
        X : array-like or list of audio
            The batch: unlabelled rows of the test speakers only.
        groups : array-like of shape (n_samples,), default=None
            Their speaker ids (needed when ``fit`` had groups and
            ``estimator`` uses them).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        X = _rows(X)
        groups = self._check_predict_groups(X, groups)
        X_tr, y_tr, g_tr = self._train
        model = self.estimator_
        proba = model.predict_proba(X)
        n_pick = int(np.ceil(self.fraction * _num_samples(X)))
        for _ in range(self.n_rounds):
            picked = np.argsort(-proba.max(axis=1), kind="stable")[:n_pick]
            pseudo = model.classes_[proba[picked].argmax(axis=1)]
            g_all = None
            if g_tr is not None and groups is not None:
                g_all = np.concatenate([g_tr, groups[picked]])
            model = self._fit_clone(
                _concat(X_tr, _safe_indexing(X, picked)),
                np.concatenate([y_tr, pseudo]),
                g_all,
            )
            proba = model.predict_proba(X)
        return proba

    def predict(self, X, groups=None):
        """Labels for the batch ``X`` after self-training on it.

        See :meth:`predict_proba`.
        """
        proba = self.predict_proba(X, groups=groups)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        return tags
