"""Soft voting by the geometric mean of the members' probabilities."""

from numbers import Real

import numpy as np
from scipy.special import softmax
from sklearn.ensemble import VotingClassifier
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

__all__ = ["GeometricVotingClassifier"]


class SoftVotingBase(VotingClassifier):
    """A ``VotingClassifier`` that always combines probabilities (``voting``
    is fixed to ``"soft"`` and is not a parameter); subclasses define
    ``predict_proba`` and list their own parameters in ``__init__``."""

    #: always soft: the members' probabilities are combined
    voting = "soft"

    _parameter_constraints = {
        k: v
        for k, v in VotingClassifier._parameter_constraints.items()
        if k != "voting"
    }

    def _init_vote(self, estimators, weights, n_jobs, flatten_transform, verbose):
        super().__init__(
            estimators,
            voting="soft",
            weights=weights,
            n_jobs=n_jobs,
            flatten_transform=flatten_transform,
            verbose=verbose,
        )

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.pop("voting", None)
        return params

    def predict(self, X):
        """The class of highest combined probability.

        Parameters
        ----------
        X : array-like or list of audio
            What the members take.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self.le_.inverse_transform(self.predict_proba(X).argmax(axis=1))


class GeometricVotingClassifier(SoftVotingBase):
    """Soft vote by the weighted geometric mean of class probabilities.

    Each member's probabilities are floored at ``eps``, their logarithms
    averaged (with ``weights``) and the result renormalised, i.e. a product
    of experts: a class any confident member rules out stays unlikely,
    where the arithmetic mean of ``VotingClassifier(voting="soft")`` would
    let the other members carry it. With members trained on different
    feature sets of the same recordings (openSMILE ComParE, eGeMAPS, MFCC
    statistics) it is the better rule on RAVDESS's speaker folds
    (``benchmarks/speaker_independent.py``).

    Everything else is scikit-learn's :class:`~sklearn.ensemble.VotingClassifier`
    (members fitted in parallel with ``n_jobs``, ``transform``, metadata
    routing, ``set_params`` of members by name).

    Parameters
    ----------
    estimators : list of (str, estimator)
        Classifiers with ``predict_proba``; ``"drop"`` removes one.
    weights : array-like of shape (n_estimators,), default=None
        Weights of the members' log-probabilities (None: equal).
    eps : float, default=1e-6
        Probabilities below it count as ``eps`` (a member's zero would
        otherwise veto a class on its own).
    n_jobs : int, default=None
    flatten_transform : bool, default=True
    verbose : bool, default=False

    Attributes
    ----------
    estimators_, named_estimators_, le_, classes_
        As in :class:`~sklearn.ensemble.VotingClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from sklearn_ser.ensemble import GeometricVotingClassifier
    >>> X = np.array([[0.0], [0.2], [0.9], [1.1]])
    >>> y = np.array(["calm", "calm", "angry", "angry"])
    >>> vote = GeometricVotingClassifier(
    ...     [("lr", LogisticRegression()), ("nb", GaussianNB())]
    ... ).fit(X, y)
    >>> vote.predict([[0.1], [1.0]]).tolist()
    ['calm', 'angry']
    """

    _parameter_constraints = {
        **SoftVotingBase._parameter_constraints,
        "eps": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        estimators,
        *,
        weights=None,
        eps=1e-6,
        n_jobs=None,
        flatten_transform=True,
        verbose=False,
    ):
        self._init_vote(estimators, weights, n_jobs, flatten_transform, verbose)
        self.eps = eps

    def predict_proba(self, X):
        """Renormalised weighted geometric mean of the members' probabilities.

        Parameters
        ----------
        X : array-like or list of audio
            What the members take.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        log_p = np.log(np.maximum(self._collect_probas(X), self.eps))
        mean = np.average(log_p, axis=0, weights=self._weights_not_none)
        return softmax(mean, axis=1)
