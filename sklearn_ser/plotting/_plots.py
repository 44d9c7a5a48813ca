"""Figures for evaluation results (matplotlib, imported lazily, Agg backend).

Every function takes an :class:`~sklearn_ser.model_selection.EvaluationResult`
or plain arrays, returns a :class:`matplotlib.figure.Figure` and, given
``path=``, saves it as PNG. Figures are created with
:class:`matplotlib.figure.Figure` directly (not ``pyplot``), so no window or
global state is involved and any backend works.
"""

import numpy as np

__all__ = [
    "plot_confusion_matrix",
    "plot_precision_recall",
    "plot_roc",
    "plot_training_curves",
    "save_all_figures",
]


def _mpl():
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "sklearn_ser.plotting needs matplotlib; install the 'plot' extra: "
            "pip install 'sklearn-ser[plot]'"
        ) from exc
    return matplotlib, Figure


def _figure(figsize):
    _, Figure = _mpl()
    return Figure(figsize=figsize, layout="constrained")


def _save(fig, path, dpi=100):
    if path is not None:
        fig.savefig(path, format="png", dpi=dpi)
    return fig


def _arrays(result, y_true, y_pred=None, y_proba=None, labels=None):
    if result is not None:
        return result.y_true, result.y_pred, result.y_proba, result.labels
    if y_true is None:
        raise ValueError("Give an EvaluationResult or y_true. Received: neither")
    y_true = np.asarray(y_true)
    if labels is None:
        parts = [y_true] + ([np.asarray(y_pred)] if y_pred is not None else [])
        labels = np.unique(np.concatenate(parts))
    return (
        y_true,
        None if y_pred is None else np.asarray(y_pred),
        None if y_proba is None else np.asarray(y_proba, dtype=float),
        np.asarray(labels),
    )


def _is_result(obj):
    return hasattr(obj, "y_true") and hasattr(obj, "labels") and hasattr(obj, "folds")


def plot_confusion_matrix(
    result=None,
    y_pred=None,
    *,
    y_true=None,
    labels=None,
    normalize=None,
    title=None,
    cmap="Blues",
    path=None,
    figsize=None,
):
    """Confusion matrix with every cell's value written in it.

    Parameters
    ----------
    result : EvaluationResult or array-like or None
        An evaluation result, or ``y_true`` given positionally.
    y_pred : array-like or None
        Predictions when ``result`` is ``y_true``.
    y_true : array-like or None
    labels : array-like or None
        Row/column order (default: sorted labels seen).
    normalize : {None, "true", "pred", "all"}
        ``None`` draws counts; ``"true"`` draws per-row fractions (recall on
        the diagonal).
    title : str or None
    cmap : str
    path : str or path-like or None
        Save as PNG there.
    figsize : tuple or None

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds the matrix; its text artists are the cell
        values, row-major.
    """
    from sklearn.metrics import confusion_matrix

    if result is not None and not _is_result(result):
        y_true, result = result, None
    yt, yp, _, labels = _arrays(result, y_true, y_pred, labels=labels)
    if yp is None:
        raise ValueError(
            "plot_confusion_matrix needs predictions. Received: y_pred=None"
        )
    cm = confusion_matrix(yt, yp, labels=labels, normalize=normalize)
    n = len(labels)
    size = figsize or (max(4.5, 0.7 * n + 2.5), max(4.0, 0.7 * n + 2.0))
    fig = _figure(size)
    ax = fig.add_subplot()
    im = ax.imshow(cm, cmap=cmap, vmin=0)
    fig.colorbar(im, ax=ax, shrink=0.8)
    thresh = cm.max() / 2 if cm.size else 0
    for i in range(n):
        for j in range(n):
            text = f"{cm[i, j]:.2f}" if normalize else f"{int(cm[i, j])}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                color="white" if cm[i, j] > thresh else "black",
                fontsize=9,
            )
    names = [str(lab) for lab in labels]
    ax.set_xticks(range(n), names, rotation=45, ha="right")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    default = "confusion matrix" + (
        f" (normalised over {normalize})" if normalize else ""
    )
    ax.set_title(title or default)
    return _save(fig, path)


def _one_vs_rest(result, y_true, y_proba, labels, figsize):
    """Arrays and an empty axes of a per-class curve plot (needs probabilities).

    ``result`` may be ``y_true`` given positionally. Returns
    ``(y_true, y_proba, labels, fig, ax)``.
    """
    if result is not None and not _is_result(result):
        y_true, result = result, None
    yt, _, proba, labels = _arrays(result, y_true, None, y_proba, labels)
    if proba is None:
        raise ValueError(
            "This plot needs class probabilities; the estimator had no "
            "predict_proba (wrap an SVC in CalibratedClassifierCV(SVC(), "
            "ensemble=False)). Received: y_proba=None"
        )
    fig = _figure(figsize)
    return yt, proba, labels, fig, fig.add_subplot()


def plot_precision_recall(
    result=None,
    y_proba=None,
    *,
    y_true=None,
    labels=None,
    title=None,
    path=None,
    figsize=(6, 5),
):
    """One-vs-rest precision-recall curve per class (S2), with average precision.

    Parameters
    ----------
    result : EvaluationResult or array-like (``y_true``) or None
    y_proba : array-like of shape (n_samples, n_classes) or None
        Columns in ``labels`` order.
    y_true, labels : array-like or None
    title : str or None
    path : path-like or None
    figsize : tuple

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    yt, proba, labels, fig, ax = _one_vs_rest(result, y_true, y_proba, labels, figsize)
    for k, lab in enumerate(labels):
        pos = yt == lab
        if not pos.any():
            continue
        prec, rec, _ = precision_recall_curve(pos, proba[:, k])
        ap = average_precision_score(pos, proba[:, k])
        ax.plot(rec, prec, label=f"{lab} (AP {ap:.2f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    ax.set_title(title or "precision-recall per class")
    ax.legend(fontsize=8, loc="lower left")
    return _save(fig, path)


def plot_roc(
    result=None,
    y_proba=None,
    *,
    y_true=None,
    labels=None,
    title=None,
    path=None,
    figsize=(6, 5),
):
    """One-vs-rest ROC curve per class with its AUC, and the chance diagonal.

    Same arguments as :func:`plot_precision_recall`.
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    yt, proba, labels, fig, ax = _one_vs_rest(result, y_true, y_proba, labels, figsize)
    for k, lab in enumerate(labels):
        pos = yt == lab
        if not pos.any() or pos.all():
            continue
        fpr, tpr, _ = roc_curve(pos, proba[:, k])
        auc = roc_auc_score(pos, proba[:, k])
        ax.plot(fpr, tpr, label=f"{lab} (AUC {auc:.2f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(title or "ROC per class (one-vs-rest)")
    ax.legend(fontsize=8, loc="lower right")
    return _save(fig, path)


def plot_training_curves(history, *, title=None, path=None, figsize=(10, 4)):
    """Loss and accuracy per epoch (S4), training and validation, every fold.

    Parameters
    ----------
    history : EvaluationResult, dict, list of dict, or fitted estimator
        A Keras-style history (``{"loss": [...], "val_loss": [...],
        "accuracy": [...], ...}``), a list of them (one per fold), an
        evaluation result (its per-fold histories) or an estimator with
        ``history_`` (a Pipeline's last step is used).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: loss and accuracy.

    Raises
    ------
    ValueError
        No history is available (e.g. an SVC pipeline).
    """
    histories = _histories(history)
    if not histories:
        raise ValueError(
            "No training history to plot: the estimator has no history_ (only "
            "Keras networks record one). Received: " + type(history).__name__
        )
    fig = _figure(figsize)
    axes = fig.subplots(1, 2)
    for ax, metric in zip(axes, ("loss", "accuracy")):
        for k, h in enumerate(histories):
            suffix = f" fold {k + 1}" if len(histories) > 1 else ""
            for key, style in ((metric, "-"), (f"val_{metric}", "--")):
                if key in h:
                    epochs = np.arange(1, len(h[key]) + 1)
                    ax.plot(
                        epochs,
                        h[key],
                        style,
                        color=f"C{k % 10}",
                        label=("validation" if key.startswith("val_") else "training")
                        + suffix,
                    )
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(metric)
        if ax.lines:
            ax.legend(fontsize=7)
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def _histories(obj):
    if _is_result(obj):
        return [h for h in obj.histories if h]
    if isinstance(obj, dict):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [dict(h) for h in obj if h]
    steps = getattr(obj, "steps", None)
    est = steps[-1][1] if steps else obj
    h = getattr(est, "history_", None)
    return [dict(h)] if h else []


def save_all_figures(result, out_dir, *, prefix=""):
    """Write every figure that applies to ``result`` into ``out_dir``.

    ``confusion_matrix.png``, ``confusion_matrix_normalized.png`` always;
    ``precision_recall.png`` and ``roc.png`` when probabilities exist;
    ``training_curves.png`` when a fold has a history.

    Returns
    -------
    written : dict of str -> str
        Figure name to file path.
    """
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}

    def go(name, fn, *args, **kwargs):
        p = out / f"{prefix}{name}.png"
        fn(*args, path=p, **kwargs)
        written[name] = str(p)

    go("confusion_matrix", plot_confusion_matrix, result)
    go("confusion_matrix_normalized", plot_confusion_matrix, result, normalize="true")
    if result.y_proba is not None:
        go("precision_recall", plot_precision_recall, result)
        go("roc", plot_roc, result)
    if any(result.histories):
        go("training_curves", plot_training_curves, result)
    return written
