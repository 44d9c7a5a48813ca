"""PCA whose number of components is an upper bound, not a requirement."""

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["CappedPCA"]


class CappedPCA(TransformerMixin, BaseEstimator):
    """Randomised PCA to at most ``n_components`` dimensions.

    scikit-learn's ``PCA(n_components=k)`` refuses a training set with fewer
    than ``k`` samples, so a pipeline tuned on a full corpus would fail on a
    user's small one. This keeps ``min(n_components, n_samples, n_features)``
    components and is otherwise ``PCA(svd_solver="randomized")``: with enough
    samples the two are identical.

    Parameters
    ----------
    n_components : int, default=300
        Upper bound on the kept components.
    random_state : int, RandomState instance or None, default=None

    Attributes
    ----------
    pca_ : sklearn.decomposition.PCA
        The fitted PCA (``pca_.n_components_`` components).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(20, 50))
    >>> CappedPCA(n_components=300, random_state=0).fit_transform(X).shape
    (20, 20)
    """

    _parameter_constraints = {
        "n_components": [int],
        "random_state": ["random_state"],
    }

    def __init__(self, *, n_components=300, random_state=None):
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the PCA on ``X``. Returns self."""
        self._validate_params()
        X = validate_data(self, X, dtype=["float64", "float32"])
        k = min(self.n_components, *X.shape)
        self.pca_ = PCA(k, svd_solver="randomized", random_state=self.random_state)
        self.pca_.fit(X)
        return self

    def transform(self, X):
        """Project ``X`` on the kept components."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=["float64", "float32"], reset=False)
        return self.pca_.transform(X)
