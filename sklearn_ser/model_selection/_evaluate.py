"""``evaluate``: fit and score a pipeline under a protocol, keep everything."""

import sys
import time
import warnings

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.pipeline import Pipeline as _SkPipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed

from ..metrics import score_all
from ..utils._groups import consumes_groups as _consumes_groups
from ..utils._groups import fit_groups_kw as _fit_groups_kw
from ..utils._groups import groups_kw as _groups_kw
from ._protocols import Protocol, get_protocol
from ._result import EvaluationResult

__all__ = ["EvaluationResult", "evaluate", "fit_with_validation", "predict_with_proba"]


def _final_step(estimator):
    if isinstance(estimator, _SkPipeline):
        return estimator.steps[-1][1]
    return estimator


def _predictor(estimator):
    """The estimator to predict with: a fitted search's ``best_estimator_`` when
    that one needs ``groups`` at prediction (searches' ``predict`` takes none)."""
    best = getattr(estimator, "best_estimator_", None)
    if best is not None and _consumes_groups(best, "predict"):
        return best
    return estimator


def _accepts_validation_data(estimator):
    try:
        return "validation_data" in _final_step(estimator).get_params(deep=False)
    except Exception:  # pragma: no cover - exotic estimators
        return False


def fit_with_validation(
    estimator, X_train, y_train, X_val=None, y_val=None, *, groups_val=None,
    **fit_params
):
    """Fit ``estimator``, giving its final step validation data when it can use it.

    When the final step (the estimator itself, or a Pipeline's last step)
    has a ``validation_data`` parameter — every network of
    :mod:`sklearn_ser.models` does — the preceding steps are fitted on the
    training data, the validation data is transformed by them, and the final
    step is fitted with ``validation_data=(X_val_transformed, y_val)``
    (so early stopping and ``val_*`` curves use it). The parameter is reset
    to ``None`` after fitting, so the saved model does not carry the data.
    Other estimators ignore the validation part (it is then simply unused).

    ``groups`` in ``fit_params`` (the training speakers) reach the steps that
    request them through metadata routing (e.g. a
    :class:`~sklearn_ser.preprocessing.SpeakerNormalizer`); ``groups_val``
    are the validation part's speakers, used when the validation data is
    transformed.

    Returns
    -------
    estimator : the fitted estimator
    used_validation : bool
    """
    if X_val is None or len(y_val) == 0 or not _accepts_validation_data(estimator):
        estimator.fit(X_train, y_train, **fit_params)
        return estimator, False
    groups = fit_params.pop("groups", None)
    final = _final_step(estimator)
    if isinstance(estimator, _SkPipeline) and len(estimator.steps) > 1:
        pre = estimator[:-1]
        pre_params = {
            k: v
            for k, v in fit_params.items()
            if not k.startswith(estimator.steps[-1][0] + "__")
        }
        last_params = {
            k.split("__", 1)[1]: v
            for k, v in fit_params.items()
            if k.startswith(estimator.steps[-1][0] + "__")
        }
        Xt = pre.fit_transform(
            X_train, y_train, **_groups_kw(pre, "fit", groups), **pre_params
        )
        Xv = pre.transform(X_val, **_groups_kw(pre, "transform", groups_val))
    else:
        Xt, Xv, last_params = X_train, X_val, fit_params
    last_params = {**_groups_kw(final, "fit", groups), **last_params}
    final.set_params(validation_data=(Xv, np.asarray(y_val)))
    try:
        final.fit(Xt, y_train, **last_params)
    finally:
        final.set_params(validation_data=None)
    return estimator, True


def predict_with_proba(estimator, X, groups=None):
    """``(predict(X), predict_proba(X) or None)``, transforming X only once.

    For a Pipeline the features are computed once and given to the final
    step's ``predict`` and ``predict_proba`` (which may disagree for
    calibrated models: the label always comes from ``predict``). ``groups``
    (the speakers of ``X``) go to the steps that request them through
    metadata routing; a fitted search predicts with its ``best_estimator_``
    when that one requests them.
    """
    estimator = _predictor(estimator)
    if isinstance(estimator, _SkPipeline) and len(estimator.steps) > 1:
        pre = estimator[:-1]
        Xt = pre.transform(X, **_groups_kw(pre, "transform", groups))
        final = estimator.steps[-1][1]
    else:
        Xt, final = X, estimator
    y_pred = np.asarray(final.predict(Xt, **_groups_kw(final, "predict", groups)))
    proba = None
    if hasattr(final, "predict_proba"):
        kw = _groups_kw(final, "predict_proba", groups)
        proba = np.asarray(final.predict_proba(Xt, **kw), dtype=float)
    return y_pred, proba


def _history(estimator):
    hist = getattr(_final_step(estimator), "history_", None)
    if not hist:
        return None
    try:
        return {str(k): [float(v) for v in vals] for k, vals in dict(hist).items()}
    except (TypeError, ValueError):
        return None


def _fit_fold(
    estimator,
    X,
    y,
    groups,
    train,
    val,
    test,
    fit_params,
    use_validation,
    fold,
    verbose,
    keep_estimator,
):
    est = clone(estimator)
    Xtr, ytr = _safe_indexing(X, train), y[train]
    Xv = _safe_indexing(X, val) if (use_validation and len(val)) else None
    yv = y[val] if Xv is not None else None
    if verbose:
        print(
            f"[evaluate] fold {fold + 1}: fitting on {len(train)} samples"
            + (f" ({len(val)} validation)" if len(val) else "")
            + f", testing on {len(test)}",
            file=sys.stderr,
            flush=True,
        )
    fit_params = dict(fit_params)
    gv = None
    if groups is not None:
        fit_params.update(_fit_groups_kw(est, groups[train]))
        gv = groups[val] if Xv is not None else None
    t0 = time.perf_counter()
    est, used_val = fit_with_validation(
        est, Xtr, ytr, Xv, yv, groups_val=gv, **fit_params
    )
    fit_time = time.perf_counter() - t0
    Xte = _safe_indexing(X, test)
    t0 = time.perf_counter()
    y_pred, proba = predict_with_proba(
        est, Xte, groups=None if groups is None else groups[test]
    )
    predict_time = time.perf_counter() - t0
    classes = np.asarray(getattr(est, "classes_", np.unique(ytr)))
    out = {
        "fold": fold,
        "train": np.asarray(train),
        "validation": np.asarray(val),
        "test": np.asarray(test),
        "y_pred": y_pred,
        "proba": None if proba is None else np.asarray(proba, dtype=float),
        "classes": classes,
        "fit_time": fit_time,
        "predict_time": predict_time,
        "history": _history(est),
        "used_validation": used_val,
        "estimator": est if keep_estimator else None,
    }
    if groups is not None:
        tr_s, te_s = set(groups[train]), set(groups[test])
        out["n_train_speakers"] = len(tr_s)
        out["n_test_speakers"] = len(te_s)
        out["n_shared_speakers"] = len(tr_s & te_s)
    if verbose:
        acc = float(np.mean(y_pred == y[test]))
        print(
            f"[evaluate] fold {fold + 1}: accuracy {acc:.3f} "
            f"(fit {fit_time:.1f}s, predict {predict_time:.1f}s)",
            file=sys.stderr,
            flush=True,
        )
    return out


class _CVProtocol:
    """Adapter giving any scikit-learn splitter the protocol interface."""

    def __init__(self, cv):
        self.cv = cv

    def split_with_validation(self, X, y, groups):
        empty = np.array([], dtype=int)
        for train, test in self.cv.split(X, y, groups):
            yield train, empty, test


def _resolve(protocol, estimator, y, random_state):
    if isinstance(protocol, str):
        protocol = get_protocol(protocol, random_state=random_state)
    if isinstance(protocol, Protocol):
        return protocol, protocol.to_dict()
    if hasattr(protocol, "split_with_validation"):
        info = {
            "name": type(protocol).__name__,
            "description": repr(protocol),
            "paper": "",
            "speaker_independent": None,
            "splitter": repr(protocol),
            "counterpart": None,
        }
        return protocol, info
    cv = check_cv(protocol, y, classifier=is_classifier(estimator))
    info = {
        "name": type(cv).__name__,
        "description": repr(cv),
        "paper": "",
        "speaker_independent": None,
        "splitter": repr(cv),
        "counterpart": None,
    }
    return _CVProtocol(cv), info


def evaluate(
    estimator,
    X,
    y,
    groups=None,
    *,
    protocol="speaker-kfold",
    n_jobs=None,
    verbose=0,
    fit_params=None,
    use_validation=True,
    return_estimators=False,
    random_state=0,
):
    """Fit and test ``estimator`` on every split of a protocol.

    Parameters
    ----------
    estimator : estimator or Pipeline
        Cloned for every fold.
    X : array-like of shape (n_samples,) or (n_samples, ...)
        Audio paths/waveforms (the toolkit's data contract) or features.
    y : array-like of shape (n_samples,)
    groups : array-like of shape (n_samples,) or None
        Speaker ids. Required by speaker-independent protocols; with paper
        protocols they are used only to count speakers shared between
        training and test.
    protocol : str, Protocol, splitter, int or iterable, default="speaker-kfold"
        A name from :func:`~sklearn_ser.model_selection.list_protocols`, a
        :class:`Protocol`, any object with ``split_with_validation``, or
        anything scikit-learn's ``check_cv`` accepts (an int means stratified
        k-fold for classifiers).
    n_jobs : int or None
        Folds run in parallel with joblib.
    verbose : int, default=0
        > 0 prints one line per fold on stderr.
    fit_params : dict or None
        Passed to ``fit`` (``"step__param"`` keys for Pipelines). Not
        ``groups``: with metadata routing enabled, every step that requests
        ``groups`` (e.g. ``SpeakerNormalizer().set_fit_request(groups=True)
        .set_transform_request(groups=True)``, or a search whose ``cv``
        splits by speaker) receives each fold's part of ``groups``, in
        ``fit`` and in ``predict`` / ``transform``. An estimator whose own
        ``fit`` takes ``groups`` (e.g. ``AugmentedClassifier``, as in the
        ``compare-vote-speed`` pipeline) gets the training part in ``fit``
        with routing off too.
    use_validation : bool, default=True
        Give validation parts (e.g. S2's 10%) to estimators that accept them
        (see :func:`fit_with_validation`). Validation samples are never
        trained on as ordinary training data and never tested.
    return_estimators : bool, default=False
        Keep the fitted estimator of every fold in ``result.estimators``.
    random_state : int or None, default=0
        Seed of named protocols.

    Returns
    -------
    EvaluationResult
    """
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(
            f"X and y must have the same length. Received: {len(X)} and {len(y)}"
        )
    if groups is not None:
        groups = np.asarray(groups)
        if len(groups) != len(y):
            raise ValueError(
                f"groups must have one entry per sample ({len(y)}). "
                f"Received: {len(groups)}"
            )
    splitter, info = _resolve(protocol, estimator, y, random_state)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        splits = list(splitter.split_with_validation(X, y, groups))
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    notes = list(splitter.explain(groups)) if hasattr(splitter, "explain") else []
    fit_params = dict(fit_params or {})
    if "groups" in fit_params:
        raise ValueError(
            "pass the speakers as evaluate(..., groups=g), not in fit_params: "
            "each fold's part is routed to the steps that request it. "
            "Received: fit_params with a 'groups' key"
        )
    jobs = (
        delayed(_fit_fold)(
            estimator,
            X,
            y,
            groups,
            tr,
            va,
            te,
            fit_params,
            use_validation,
            k,
            verbose,
            return_estimators,
        )
        for k, (tr, va, te) in enumerate(splits)
    )
    folds = Parallel(n_jobs=n_jobs)(jobs)
    labels = np.unique(np.concatenate([y] + [f["classes"] for f in folds]))
    y_true, y_pred, probas, idx, fold_of = [], [], [], [], []
    have_proba = all(f["proba"] is not None for f in folds)
    for f in folds:
        yt = y[f["test"]]
        aligned = None
        if have_proba:
            aligned = np.zeros((len(yt), len(labels)))
            cols = np.searchsorted(labels, f["classes"])
            aligned[:, cols] = f["proba"]
        f["scores"] = score_all(
            yt, f["y_pred"], aligned, labels=labels if have_proba else None
        )
        y_true.append(yt)
        y_pred.append(f["y_pred"])
        probas.append(aligned)
        idx.append(f["test"])
        fold_of.append(np.full(len(yt), f["fold"]))
    if any(len(f["validation"]) for f in folds):
        used = sum(f["used_validation"] for f in folds)
        notes.append(
            "validation parts were given to the estimator as validation_data"
            if used
            else "validation parts were held out unused: the final estimator has no "
            "validation_data parameter"
        )
    if groups is not None and not info.get("speaker_independent", False):
        shared = [f.get("n_shared_speakers", 0) for f in folds]
        if any(shared):
            notes.append(
                f"speakers shared between training and test: {max(shared)} of "
                f"{len(np.unique(groups))} (not speaker-independent)"
            )
    estimators = [f.pop("estimator") for f in folds]
    for f in folds:
        for key in ("y_pred", "proba", "classes"):
            f.pop(key)
    return EvaluationResult(
        protocol=info,
        notes=notes,
        labels=labels,
        folds=folds,
        y_true=np.concatenate(y_true),
        y_pred=np.concatenate(y_pred),
        y_proba=np.concatenate(probas) if have_proba else None,
        indices=np.concatenate(idx),
        fold_of=np.concatenate(fold_of),
        estimators=estimators if return_estimators else None,
        estimator_repr=repr(estimator),
    )
