"""Multi-view ``X``: several feature arrays travelling as one 2-D array.

scikit-learn's cross-validation and searches select rows of ``X`` with
``_safe_indexing``, which works for one array but not for a pair of arrays.
So several views (e.g. S1's ``(n, 9, 40, 40)`` audio windows next to
``(n, 50, 64, 64)`` face crops, or ``(n, 80)`` statistics) travel as ONE 2-D
array whose columns are every view flattened, side by side, plus the
per-sample view shapes: :class:`ViewArray` is that array, :func:`flatten_views`
makes one, and :class:`ViewStack` (a ``FeatureUnion`` whose outputs may have
any number of dimensions) makes one from several feature pipelines.
:class:`~sklearn_ser.models.FusionClassifier` reads the shapes back. No
TensorFlow here: this is data plumbing, not a network.
"""

import numpy as np
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .._pipeline import _name_steps

__all__ = ["ViewArray", "ViewStack", "flatten_views"]


def _normalise_view_shapes(view_shapes):
    try:
        shapes = [tuple(int(d) for d in s) for s in view_shapes]
    except TypeError:
        shapes = None
    if not shapes or not all(s and min(s) >= 1 for s in shapes):
        raise ValueError(
            "view_shapes must be a sequence of per-sample shapes, e.g. "
            f"[(9, 40, 40), (50, 64, 64)]. Received: view_shapes={view_shapes!r}"
        )
    return shapes



class ViewArray(np.ndarray):
    """2-D float array of flattened views that remembers their shapes.

    Row indexing (what cross-validation does) keeps ``view_shapes``; any
    function that returns a plain ``numpy.ndarray`` drops it, in which case
    give :class:`FusionClassifier` its ``view_shapes`` explicitly.

    Parameters
    ----------
    data : array-like of shape (n_samples, n_columns)
    view_shapes : sequence of tuple of int
        Per-sample shape of every view, in column order.
    """

    def __new__(cls, data, view_shapes):
        obj = np.asarray(data).view(cls)
        obj.view_shapes = [tuple(int(d) for d in s) for s in view_shapes]
        return obj

    def __array_finalize__(self, obj):
        self.view_shapes = getattr(obj, "view_shapes", None)

    def __reduce__(self):
        base = super().__reduce__()
        return base[0], base[1], (base[2], self.view_shapes)

    def __setstate__(self, state):
        nd_state, self.view_shapes = state
        super().__setstate__(nd_state)


def flatten_views(views):
    """Put several views side by side in one 2-D array (a :class:`ViewArray`).

    Parameters
    ----------
    views : tuple, list or dict of array-like
        Each of shape ``(n_samples, ...)``, same ``n_samples``. A dict is
        taken in its insertion order.

    Returns
    -------
    X : ViewArray of shape (n_samples, n_columns), float32
        ``X.view_shapes`` holds each view's per-sample shape.
    """
    if isinstance(views, dict):
        views = list(views.values())
    arrays = [np.asarray(v, dtype=np.float32) for v in views]
    if not arrays or any(a.ndim < 2 for a in arrays):
        raise ValueError(
            "views must be arrays of shape (n_samples, ...) with at least 2 "
            f"dimensions. Received: shapes {[a.shape for a in arrays]}"
        )
    n = {a.shape[0] for a in arrays}
    if len(n) != 1:
        raise ValueError(
            "every view must have the same number of samples. "
            f"Received: shapes {[a.shape for a in arrays]}"
        )
    flat = np.concatenate([a.reshape(a.shape[0], -1) for a in arrays], axis=1)
    return ViewArray(flat, [a.shape[1:] for a in arrays])


class ViewStack(FeatureUnion):
    """Apply several feature pipelines and stack their outputs as views.

    Like :class:`sklearn.pipeline.FeatureUnion`, every transformer sees the
    same input ``X``; unlike it, outputs may have any number of dimensions
    (e.g. a ``(n, 9, 40, 40)`` window stack next to ``(n, 80)`` statistics):
    each is flattened and the columns are put side by side in a
    :class:`ViewArray` that records the per-sample shapes, which
    :class:`FusionClassifier` reads. This keeps ``X`` one 2-D array, so
    ``cross_val_score`` and ``GridSearchCV`` can index it by rows.

    Parameters
    ----------
    transformer_list : list of estimators or (str, estimator) tuples
        The view pipelines; bare estimators are named like
        :func:`sklearn.pipeline.make_pipeline` names them.
    n_jobs : int or None, default=None
        Parallel jobs over transformers.
    transformer_weights : dict or None, default=None
        Multiplies each view's output, as in ``FeatureUnion``.
    verbose : bool, default=False

    Attributes
    ----------
    view_shapes_ : list of tuple of int
        Per-sample output shape of every view, set by ``fit``/``transform``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from sklearn_ser.models import ViewStack
    >>> X = np.zeros((4, 6), dtype="float32")
    >>> vs = ViewStack([("a", FunctionTransformer(lambda X: X.reshape(-1, 2, 3))),
    ...                 ("b", FunctionTransformer(lambda X: X[:, :2]))])
    >>> Xt = vs.fit_transform(X)
    >>> Xt.shape, Xt.view_shapes
    ((4, 8), [(2, 3), (2,)])
    """

    def __init__(
        self, transformer_list, *, n_jobs=None, transformer_weights=None, verbose=False
    ):
        super().__init__(
            _name_steps(transformer_list),
            n_jobs=n_jobs,
            transformer_weights=transformer_weights,
            verbose=verbose,
        )

    def set_params(self, **params):
        if "transformer_list" in params:
            params["transformer_list"] = _name_steps(params["transformer_list"])
        return super().set_params(**params)

    def fit(self, X, y=None, **params):
        """Fit every view pipeline (and record the view shapes).

        Returns
        -------
        self : ViewStack
        """
        self.fit_transform(X, y, **params)
        return self

    def _hstack(self, Xs):
        stacked = flatten_views(Xs)
        self.view_shapes_ = stacked.view_shapes
        return stacked

    def get_feature_names_out(self, input_features=None):
        """``<view name>__<flat index>`` for every output column.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "view_shapes_")
        names = []
        for (name, _), shape in zip(self.transformer_list, self.view_shapes_):
            names.extend(f"{name}__{j}" for j in range(int(np.prod(shape))))
        return np.asarray(names, dtype=object)
