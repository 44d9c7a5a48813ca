"""What :func:`~sklearn_ser.model_selection.evaluate` returns: per-fold
predictions, scores, histories and timings, ready for reports and plots."""

import json
import platform

import numpy as np

from ..metrics import classification_table, score_all
from ..utils._validation import to_builtin

__all__ = ["EvaluationResult"]


class EvaluationResult:
    """Everything :func:`evaluate` measured, ready for reports and plots.

    Attributes
    ----------
    protocol : dict
        Name, description, paper, speaker independence, splitter.
    notes : list of str
        What the protocol means for these speakers (e.g. TESS's two voices),
        and whether validation data reached the estimator.
    labels : ndarray of shape (n_classes,)
        Class order of ``y_proba``'s columns.
    folds : list of dict
        Per fold: ``fold``, ``train``/``validation``/``test`` indices,
        ``scores`` (dict), ``fit_time``, ``predict_time`` (seconds),
        ``history`` (per-epoch dict from the estimator's ``history_``, or
        ``None``), ``used_validation``, and speaker counts
        (``n_train_speakers``, ``n_test_speakers``, ``n_shared_speakers``)
        when groups were given.
    y_true, y_pred : ndarray of shape (n_predictions,)
        Test labels and predictions of all folds, concatenated in fold order
        (out-of-fold predictions for k-fold protocols).
    y_proba : ndarray of shape (n_predictions, n_classes) or None
    indices : ndarray of int
        Sample index (into the evaluated X) of each prediction.
    fold_of : ndarray of int
        Fold number of each prediction.
    estimators : list or None
        Fitted estimators per fold when ``return_estimators=True``.
    estimator_repr : str
    """

    def __init__(
        self,
        *,
        protocol,
        notes,
        labels,
        folds,
        y_true,
        y_pred,
        y_proba,
        indices,
        fold_of,
        estimators=None,
        estimator_repr="",
    ):
        self.protocol = protocol
        self.notes = notes
        self.labels = labels
        self.folds = folds
        self.y_true = y_true
        self.y_pred = y_pred
        self.y_proba = y_proba
        self.indices = indices
        self.fold_of = fold_of
        self.estimators = estimators
        self.estimator_repr = estimator_repr

    @property
    def n_folds(self):
        return len(self.folds)

    @property
    def fold_scores(self):
        """List of per-fold score dicts."""
        return [f["scores"] for f in self.folds]

    def _agg(self, fn):
        names = self.fold_scores[0].keys()
        return {k: float(fn([s[k] for s in self.fold_scores])) for k in names}

    @property
    def mean_scores(self):
        """Mean over folds of each metric (nan-aware)."""
        return self._agg(np.nanmean)

    @property
    def std_scores(self):
        return self._agg(np.nanstd)

    @property
    def pooled_scores(self):
        """Metrics on all test predictions pooled together."""
        return score_all(self.y_true, self.y_pred, self.y_proba, labels=self.labels)

    @property
    def histories(self):
        """Per-fold training histories (``None`` entries for non-Keras steps)."""
        return [f["history"] for f in self.folds]

    def table(self, digits=3):
        """:class:`~sklearn_ser.metrics.ClassificationTable` of the pooled predictions."""
        return classification_table(
            self.y_true,
            self.y_pred,
            labels=self.labels,
            digits=digits,
            title=f"{self.protocol['name']}: {len(self.y_true)} test predictions",
        )

    def confusion_matrix(self, normalize=None):
        """Confusion matrix of the pooled predictions (rows true, columns predicted).

        ``normalize`` is ``None``, ``"true"``, ``"pred"`` or ``"all"`` as in
        scikit-learn.
        """
        from sklearn.metrics import confusion_matrix

        return confusion_matrix(
            self.y_true, self.y_pred, labels=self.labels, normalize=normalize
        )

    def summary(self):
        """A few lines: protocol, notes, mean ± std per metric, times."""
        p = self.protocol
        lines = [
            f"protocol: {p['name']} ({p['description']})"
            + (
                " [speaker-independent]"
                if p["speaker_independent"]
                else " [speakers shared between training and test]"
            ),
        ]
        lines += [f"note: {n}" for n in self.notes]
        mean, std, pooled = self.mean_scores, self.std_scores, self.pooled_scores
        lines.append(f"{self.n_folds} fold(s); metric: mean ± std over folds (pooled)")
        for k in mean:
            lines.append(f"  {k:<20} {mean[k]:.4f} ± {std[k]:.4f}  ({pooled[k]:.4f})")
        fit = sum(f["fit_time"] for f in self.folds)
        pred = sum(f["predict_time"] for f in self.folds)
        lines.append(f"time: fit {fit:.1f}s, predict {pred:.1f}s (all folds)")
        return "\n".join(lines)

    def report(self, markdown=False):
        """Summary followed by the per-class table (text or Markdown)."""
        table = self.table()
        body = table.to_markdown() if markdown else table.to_text()
        return self.summary() + "\n\n" + body

    def to_dict(self):
        """JSON-ready dict (scores, per-fold details, table, confusion matrix)."""
        folds = []
        for f in self.folds:
            d = {k: v for k, v in f.items() if k not in ("train", "validation", "test")}
            d["n_train"] = len(f["train"])
            d["n_validation"] = len(f["validation"])
            d["n_test"] = len(f["test"])
            d["test_indices"] = [int(i) for i in f["test"]]
            folds.append(d)
        out = {
            "protocol": self.protocol,
            "notes": self.notes,
            "labels": [to_builtin(v) for v in self.labels],
            "n_folds": self.n_folds,
            "mean_scores": self.mean_scores,
            "std_scores": self.std_scores,
            "pooled_scores": self.pooled_scores,
            "folds": folds,
            "table": self.table().to_dict(),
            "confusion_matrix": self.confusion_matrix().tolist(),
            "estimator": self.estimator_repr,
            "python": platform.python_version(),
        }
        return json.loads(json.dumps(out, default=_json_default))

    def __repr__(self):
        m = self.mean_scores
        return (
            f"EvaluationResult(protocol={self.protocol['name']!r}, "
            f"n_folds={self.n_folds}, accuracy={m['accuracy']:.4f}, "
            f"uar={m['uar']:.4f})"
        )


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return repr(o)
