"""Scores for emotion classifiers: one function per metric and a summary.

Every function takes ``y_true`` and ``y_pred`` (labels, str or int) or, for
ROC AUC, class probabilities ``y_proba`` of shape ``(n_samples, n_classes)``
whose columns follow ``labels`` (the fitted estimator's ``classes_``).
The public names are listed once, in :mod:`sklearn_ser.metrics`' ``__all__``.
"""

import warnings

import numpy as np
from sklearn import metrics as _skm


def _check_pair(y_true, y_pred):
    """``y_true`` and ``y_pred`` as arrays of one length (ValueError otherwise)."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "y_true and y_pred must have the same length. Received: "
            f"{len(y_true)} and {len(y_pred)}"
        )
    return y_true, y_pred


def _labels(y_true, y_pred, labels):
    if labels is not None:
        return np.asarray(labels)
    return np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))


def accuracy(y_true, y_pred):
    """Fraction of correct predictions."""
    return float(_skm.accuracy_score(y_true, y_pred))


def unweighted_average_recall(y_true, y_pred):
    """Unweighted average recall (UAR): the mean of the per-class recalls.

    The same number as scikit-learn's ``balanced_accuracy_score``; only the
    classes present in ``y_true`` are averaged.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return float(_skm.balanced_accuracy_score(y_true, y_pred))


def _prf(kind, average):
    fn = {
        "precision": _skm.precision_score,
        "recall": _skm.recall_score,
        "f1": _skm.f1_score,
    }[kind]

    def score(y_true, y_pred, labels=None):
        return float(
            fn(
                y_true,
                y_pred,
                labels=_labels(y_true, y_pred, labels),
                average=average,
                zero_division=0,
            )
        )

    score.__name__ = f"{kind}_{average}"
    score.__doc__ = (
        f"{average.capitalize()}-averaged {kind} over ``labels`` (default: every "
        "label seen in ``y_true`` or ``y_pred``). A class never predicted has "
        "precision 0 (``zero_division=0``)."
    )
    return score


precision_macro = _prf("precision", "macro")
precision_weighted = _prf("precision", "weighted")
recall_macro = _prf("recall", "macro")
recall_weighted = _prf("recall", "weighted")
f1_macro = _prf("f1", "macro")
f1_weighted = _prf("f1", "weighted")


def matthews_corrcoef(y_true, y_pred):
    """Multi-class Matthews correlation coefficient (Gorodkin's R_K)."""
    return float(_skm.matthews_corrcoef(y_true, y_pred))


def roc_auc_ovr(y_true, y_proba, labels, *, average="macro"):
    """One-vs-rest ROC AUC from class probabilities.

    For each class ``labels[k]`` the AUC of ``y_proba[:, k]`` separating that
    class from all others is computed; the result is their unweighted
    (``average="macro"``) or support-weighted (``"weighted"``) mean. Classes
    absent from ``y_true`` (possible in a small test fold) have no AUC and
    are left out of the mean, unlike scikit-learn's ``roc_auc_score`` which
    raises. With two classes this equals the usual binary AUC.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples, n_classes)
        Column ``k`` is the probability of ``labels[k]``.
    labels : array-like of shape (n_classes,)
    average : {"macro", "weighted"}

    Returns
    -------
    auc : float
        ``nan`` when no class has both positives and negatives.
    """
    y_true = np.asarray(y_true)
    y_proba = np.asarray(y_proba, dtype=float)
    labels = np.asarray(labels)
    if y_proba.ndim != 2 or y_proba.shape != (len(y_true), len(labels)):
        raise ValueError(
            "y_proba must have shape (n_samples, n_classes) = "
            f"({len(y_true)}, {len(labels)}). Received: y_proba.shape={y_proba.shape}"
        )
    if average not in ("macro", "weighted"):
        raise ValueError(
            f"average must be 'macro' or 'weighted'. Received: average={average!r}"
        )
    aucs, weights = [], []
    for k, label in enumerate(labels):
        pos = y_true == label
        n_pos = int(pos.sum())
        if n_pos == 0 or n_pos == len(y_true):
            continue
        aucs.append(_skm.roc_auc_score(pos, y_proba[:, k]))
        weights.append(n_pos)
    if not aucs:
        return float("nan")
    if average == "macro":
        return float(np.mean(aucs))
    return float(np.average(aucs, weights=weights))


#: Metric name -> function of ``(y_true, y_pred)``. ``roc_auc_ovr`` is added
#: by :func:`score_all` when probabilities are available.
METRICS = {
    "accuracy": accuracy,
    "uar": unweighted_average_recall,
    "precision_macro": precision_macro,
    "recall_macro": recall_macro,
    "f1_macro": f1_macro,
    "precision_weighted": precision_weighted,
    "recall_weighted": recall_weighted,
    "f1_weighted": f1_weighted,
    "mcc": matthews_corrcoef,
}


def score_all(y_true, y_pred, y_proba=None, labels=None):
    """Every metric of :data:`METRICS`, plus ``roc_auc_ovr`` given probabilities.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples, n_classes) or None
    labels : array-like or None
        Class order of ``y_proba``'s columns (required with ``y_proba``);
        also the label set for the precision/recall/F1 averages.

    Returns
    -------
    scores : dict of str -> float

    Examples
    --------
    >>> s = score_all(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> s["accuracy"], s["uar"]
    (0.75, 0.75)
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    out = {}
    for name, fn in METRICS.items():
        if name in ("accuracy", "uar", "mcc"):
            out[name] = fn(y_true, y_pred)
        else:
            out[name] = fn(y_true, y_pred, labels=labels)
    if y_proba is not None:
        if labels is None:
            raise ValueError(
                "labels (the columns of y_proba) are required with y_proba"
            )
        out["roc_auc_ovr"] = roc_auc_ovr(y_true, y_proba, labels)
    return out
