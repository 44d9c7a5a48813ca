"""Soft voting with each member's probabilities tempered, the temperatures
fitted on out-of-fold predictions across speakers."""

import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.model_selection import GroupKFold
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ..utils._groups import check_groups_shape
from ._voting import SoftVotingBase

__all__ = ["TemperedVotingClassifier", "fit_temperature"]

_EPS = 1e-12
#: bounds of the temperature search
_T_RANGE = (0.05, 20.0)


def fit_temperature(*, log_proba, y):
    """The temperature ``T`` minimising the log loss of ``softmax(log_proba / T)``.

    Parameters
    ----------
    log_proba : ndarray of shape (n_samples, n_classes)
        Log-probabilities (or any logits) of a classifier on data it was not
        fitted on.
    y : ndarray of shape (n_samples,)
        Column index of each sample's true class.

    Returns
    -------
    T : float
        In [0.05, 20]; above 1 the classifier was over-confident.
    """
    log_proba = np.asarray(log_proba, dtype=np.float64)
    rows = np.arange(len(y))

    def loss(log_t):
        return -log_softmax(log_proba / np.exp(log_t), axis=1)[rows, y].mean()

    res = minimize_scalar(
        loss, bounds=np.log(_T_RANGE), method="bounded", options={"xatol": 1e-4}
    )
    return float(np.exp(res.x))


def _oof_log_proba(member, X, y, train, test, classes):
    """Log-probabilities (columns in ``classes`` order) of ``member`` fitted
    on ``train`` and predicting ``test``."""
    est = clone(member).fit(_safe_indexing(X, train), y[train])
    p = np.full((len(test), len(classes)), _EPS)
    cols = np.searchsorted(classes, est.classes_)
    p[:, cols] = np.maximum(est.predict_proba(_safe_indexing(X, test)), _EPS)
    return np.log(p)


class TemperedVotingClassifier(SoftVotingBase):
    """Soft vote of members whose probabilities are tempered first, each by a
    temperature fitted across speakers.

    A member trained on some speakers is more sure of itself than it has
    reason to be on a new voice, and members differ in how much: a soft vote
    of their raw probabilities lets the most over-confident one decide.
    ``fit`` predicts every training sample with copies of each member fitted
    without that sample's speaker (``GroupKFold`` over ``groups``), fits each
    member's temperature ``T`` on these out-of-fold predictions (the log loss
    of ``softmax(log p / T)``, :func:`fit_temperature`; Guo et al., 2017),
    then fits the members on all the data. ``predict_proba`` is the weighted
    mean of the members' tempered probabilities. The temperatures change
    how much each member counts in the vote, never a member's own ranking of
    the classes.

    With no ``groups``, or fewer than ``min_groups`` speakers, there is
    nothing to calibrate against: every temperature is 1 (the plain soft
    vote of :class:`~sklearn.ensemble.VotingClassifier`) and a warning says
    so.

    Parameters
    ----------
    estimators : list of (str, estimator)
        Classifiers with ``predict_proba``; ``"drop"`` removes one.
    cv : int, default=5
        Speaker folds for the out-of-fold predictions (fewer when there are
        fewer speakers).
    min_groups : int, default=3
        Fewest speakers to fit temperatures with.
    weights : array-like of shape (n_estimators,), default=None
        Weights of the members' tempered probabilities (None: equal).
    n_jobs : int, default=None
        Parallel member fits (joblib), out-of-fold ones included.
    flatten_transform : bool, default=True
    verbose : bool, default=False

    Attributes
    ----------
    temperatures_ : ndarray of shape (n_members,)
        One per fitted member (``"drop"`` skipped), in ``estimators_`` order.
    n_splits_ : int
        Speaker folds used (0 when the temperatures were not fitted).
    estimators_, named_estimators_, le_, classes_
        As in :class:`~sklearn.ensemble.VotingClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_ser.ensemble import TemperedVotingClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(120, 4)) + np.repeat([[0.0], [1.0]], 60, axis=0)
    >>> y = np.repeat(["calm", "angry"], 60)
    >>> speakers = np.tile(np.arange(6), 20)
    >>> vote = TemperedVotingClassifier(
    ...     [("a", LogisticRegression(C=0.01)), ("b", LogisticRegression(C=100))]
    ... ).fit(X, y, groups=speakers)
    >>> vote.temperatures_.shape, vote.n_splits_
    ((2,), 5)
    """

    _parameter_constraints = {
        **SoftVotingBase._parameter_constraints,
        "cv": [Interval(Integral, 2, None, closed="left")],
        "min_groups": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(
        self,
        estimators,
        *,
        cv=5,
        min_groups=3,
        weights=None,
        n_jobs=None,
        flatten_transform=True,
        verbose=False,
    ):
        self._init_vote(estimators, weights, n_jobs, flatten_transform, verbose)
        self.cv = cv
        self.min_groups = min_groups

    def fit(self, X, y, groups=None, **fit_params):
        """Fit the temperatures on out-of-fold predictions, then the members.

        Parameters
        ----------
        X : array-like
            What the members take (feature rows, or audio for audio pipelines).
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Speaker of each sample. A sample's out-of-fold prediction comes
            from members fitted without its speaker.
        **fit_params
            Passed to the final members' ``fit``, as in ``VotingClassifier``.

        Returns
        -------
        self : TemperedVotingClassifier
        """
        self._validate_params()
        super().fit(X, y, **fit_params)
        members = [est for _, est in self.estimators if est != "drop"]
        self.temperatures_ = np.ones(len(members))
        self.n_splits_ = 0
        n_groups = 0
        if groups is not None:
            groups = check_groups_shape(groups, len(y))
            n_groups = len(np.unique(groups))
        if n_groups < self.min_groups:
            warnings.warn(
                f"TemperedVotingClassifier: {n_groups} speaker(s) in groups "
                f"(min_groups={self.min_groups}), so no temperature is fitted "
                "and the members' probabilities are averaged as they are "
                "(pass groups= to fit to calibrate across speakers)",
                UserWarning,
                stacklevel=2,
            )
            return self
        y = np.asarray(y)
        classes = self.le_.classes_
        y_idx = self.le_.transform(y)
        splits = list(
            GroupKFold(n_splits=min(self.cv, n_groups)).split(y, y, groups)
        )
        oof = Parallel(n_jobs=self.n_jobs)(
            delayed(_oof_log_proba)(member, X, y, tr, te, classes)
            for member in members
            for tr, te in splits
        )
        k = len(splits)
        for m in range(len(members)):
            log_p = np.empty((len(y), len(classes)))
            for (_, te), part in zip(splits, oof[m * k : (m + 1) * k]):
                log_p[te] = part
            self.temperatures_[m] = fit_temperature(log_proba=log_p, y=y_idx)
        self.n_splits_ = k
        return self

    def _tempered(self, X):
        check_is_fitted(self, "temperatures_")
        log_p = np.log(np.maximum(self._collect_probas(X), _EPS))
        return softmax(log_p / self.temperatures_[:, None, None], axis=2)

    def predict_proba(self, X):
        """Weighted mean of the members' tempered probabilities.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return np.average(self._tempered(X), axis=0, weights=self._weights_not_none)

    def transform(self, X):
        """The members' tempered probabilities (layout as ``VotingClassifier``)."""
        probas = self._tempered(X)
        if not self.flatten_transform:
            return probas
        return np.hstack(probas)

    def get_metadata_routing(self):
        """Routing of the members' fit parameters, plus ``groups`` for the
        temperature folds (request it with ``set_fit_request(groups=True)``
        when scikit-learn's metadata routing is enabled)."""
        router = super().get_metadata_routing()
        router.add_self_request(self)
        return router

