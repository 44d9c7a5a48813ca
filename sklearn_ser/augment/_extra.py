"""Extra training corpora: rows added to every fit, never predicted."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import _num_samples, check_is_fitted, column_or_1d

from ..utils._groups import check_groups_shape, consumes_groups, groups_kw

__all__ = ["ExtraTrainingData"]


def _stack(a, b):
    if sp.issparse(a) or sp.issparse(b):
        return sp.vstack([a, b], format="csr")
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.ndim == b.ndim:
        return np.concatenate([a, b])
    return list(a) + list(b)


def _inner_has(attr):
    def check(self):
        return hasattr(getattr(self, "estimator_", self.estimator), attr)

    return check


class ExtraTrainingData(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit on the training data plus a fixed extra labelled set (another corpus).

    ``fit(X, y)`` fits a clone of ``estimator`` on ``X`` followed by
    ``extra_X`` (labels ``y`` then ``extra_y``); prediction passes ``X`` to
    the fitted estimator untouched. Use it to add other speakers from another
    corpus to every training fold, e.g. RAVDESS's 24 actors under a
    leave-one-speaker-out split of TESS, whose training part is one voice.
    Cross-validation and the searches split only ``X``: the extra rows are
    in every training fold and in no test fold.

    Parameters
    ----------
    estimator : classifier
        Usually a Pipeline from audio (or features) to a classifier.
    extra_X : array-like or list of audio
        The extra rows, in the same form as ``X`` (file paths, waveforms or
        the same feature columns).
    extra_y : array-like of shape (n_extra,)
        Their labels, in the training labels' names (map them first: e.g.
        :data:`sklearn_ser.datasets.TESS_TO_RAVDESS`).
    extra_groups : array-like of shape (n_extra,), default=None
        Their speaker ids; required when ``fit`` is given ``groups``. Use ids
        that cannot collide with the training speakers' (prefix the corpus).

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.
    classes_ : ndarray
    n_features_in_ : int
        The fitted estimator's, when it has one.
    n_train_ : int
        Rows the estimator was fitted on (training plus extra).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_ser.augment import ExtraTrainingData
    >>> X, y = np.array([[0.0], [1.0]]), np.array(["a", "b"])
    >>> clf = ExtraTrainingData(LogisticRegression(), np.array([[0.1], [0.9]]),
    ...                         np.array(["a", "b"])).fit(X, y)
    >>> clf.n_train_
    4
    """

    __metadata_request__fit = {"groups": True}
    __metadata_request__predict = {"groups": True}
    __metadata_request__predict_proba = {"groups": True}

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "extra_X": ["array-like", "sparse matrix", list],
        "extra_y": ["array-like"],
        "extra_groups": ["array-like", None],
    }

    def __init__(self, estimator, extra_X, extra_y, extra_groups=None):
        self.estimator = estimator
        self.extra_X = extra_X
        self.extra_y = extra_y
        self.extra_groups = extra_groups

    def fit(self, X, y, groups=None):
        """Fit ``estimator`` on ``X`` plus ``extra_X``.

        Parameters
        ----------
        X : array-like or list of audio
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Speaker ids of ``X``; with ``extra_groups`` they are passed to
            ``estimator.fit`` when it asks for groups.

        Returns
        -------
        self : ExtraTrainingData
        """
        self._validate_params()
        y = column_or_1d(y, warn=True)
        extra_y = column_or_1d(self.extra_y)
        n_extra = _num_samples(self.extra_X)
        if len(extra_y) != n_extra:
            raise ValueError(
                f"extra_y must have one label per row of extra_X ({n_extra}). "
                f"Received: {len(extra_y)} labels"
            )
        unknown = np.setdiff1d(np.unique(extra_y), np.unique(y))
        if len(unknown):
            raise ValueError(
                "extra_y holds labels that the training data do not have; map or "
                f"drop them first. Received unknown labels: {unknown.tolist()}"
            )
        kw = {}
        if groups is not None and consumes_groups(self.estimator, "fit"):
            if self.extra_groups is None or len(self.extra_groups) != n_extra:
                raise ValueError(
                    "estimator uses groups, so extra_groups must give one speaker "
                    f"id per row of extra_X ({n_extra}). Received: "
                    f"{None if self.extra_groups is None else len(self.extra_groups)}"
                )
            kw["groups"] = np.concatenate(
                [check_groups_shape(groups, len(y)), np.asarray(self.extra_groups)]
            )
        if isinstance(X, (list, tuple)) or isinstance(self.extra_X, (list, tuple)):
            X_all = list(X) + list(self.extra_X)
        else:
            X_all = _stack(X if sp.issparse(X) else np.asarray(X),
                           self.extra_X if sp.issparse(self.extra_X)
                           else np.asarray(self.extra_X))
        self.estimator_ = clone(self.estimator).fit(
            X_all, np.concatenate([y, extra_y]), **kw
        )
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        self.n_train_ = len(y) + n_extra
        return self

    def predict(self, X, groups=None):
        """Predict with the fitted estimator on ``X`` as given."""
        check_is_fitted(self, "estimator_")
        kw = groups_kw(self.estimator_, "predict", groups)
        return self.estimator_.predict(X, **kw)

    @available_if(_inner_has("predict_proba"))
    def predict_proba(self, X, groups=None):
        """Class probabilities from the fitted estimator on ``X`` as given."""
        check_is_fitted(self, "estimator_")
        kw = groups_kw(self.estimator_, "predict_proba", groups)
        return self.estimator_.predict_proba(X, **kw)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = self.estimator.__sklearn_tags__().input_tags
        return tags
