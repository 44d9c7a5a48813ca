"""Per-class report: the shape of S1's Table I (precision, recall, F1, support)."""

import json

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from ..utils._validation import to_builtin
from ._scores import _check_pair, _labels

__all__ = ["ClassificationTable", "classification_table"]


class ClassificationTable:
    """Per-class precision, recall, F1 and support with macro/weighted averages.

    Build it with :func:`classification_table`. Rows are the classes in
    ``labels`` order, then ``"macro avg"`` and ``"weighted avg"``;
    ``accuracy`` and the total support are kept separately.

    Attributes
    ----------
    labels : list
    precision, recall, f1 : ndarray of shape (n_classes,)
    support : ndarray of int, shape (n_classes,)
    macro, weighted : dict with keys "precision", "recall", "f1"
    accuracy : float
    digits : int
    title : str or None
    """

    _COLUMNS = ("precision", "recall", "f1", "support")

    def __init__(
        self, labels, precision, recall, f1, support, accuracy, *, digits=3, title=None
    ):
        self.labels = [to_builtin(lab) for lab in labels]
        self.precision = np.asarray(precision, dtype=float)
        self.recall = np.asarray(recall, dtype=float)
        self.f1 = np.asarray(f1, dtype=float)
        self.support = np.asarray(support, dtype=int)
        self.accuracy = float(accuracy)
        self.digits = int(digits)
        self.title = title
        total = self.support.sum()
        w = self.support / total if total else np.zeros_like(self.precision)
        self.macro = {
            "precision": float(self.precision.mean()),
            "recall": float(self.recall.mean()),
            "f1": float(self.f1.mean()),
        }
        self.weighted = {
            "precision": float(np.sum(w * self.precision)),
            "recall": float(np.sum(w * self.recall)),
            "f1": float(np.sum(w * self.f1)),
        }

    def rows(self):
        """List of ``(name, precision, recall, f1, support)`` tuples, averages last."""
        out = [
            (str(lab), p, r, f, int(s))
            for lab, p, r, f, s in zip(
                self.labels, self.precision, self.recall, self.f1, self.support
            )
        ]
        total = int(self.support.sum())
        for name, avg in (("macro avg", self.macro), ("weighted avg", self.weighted)):
            out.append((name, avg["precision"], avg["recall"], avg["f1"], total))
        return out

    def to_dict(self):
        """JSON-ready dict: ``{label: {precision, recall, f1, support}, ...}``."""
        d = {
            name: {"precision": p, "recall": r, "f1": f, "support": s}
            for name, p, r, f, s in self.rows()
        }
        d["accuracy"] = self.accuracy
        return json.loads(json.dumps(d, default=float))

    def _fmt(self, v):
        return f"{v:.{self.digits}f}"

    def to_text(self):
        """Fixed-width text table, like ``sklearn.metrics.classification_report``."""
        rows = self.rows()
        width = max(len("weighted avg"), *(len(r[0]) for r in rows))
        colw = max(self.digits + 3, 9)
        head = f"{'':>{width}} " + " ".join(f"{c:>{colw}}" for c in self._COLUMNS)
        lines = [self.title] if self.title else []
        lines += [head, ""]
        n = len(self.labels)
        for i, (name, p, r, f, s) in enumerate(rows):
            if i == n:
                lines.append("")
                lines.append(
                    f"{'accuracy':>{width}} {'':>{colw}} {'':>{colw}} "
                    f"{self._fmt(self.accuracy):>{colw}} {int(self.support.sum()):>{colw}}"
                )
            lines.append(
                f"{name:>{width}} {self._fmt(p):>{colw}} {self._fmt(r):>{colw}} "
                f"{self._fmt(f):>{colw}} {s:>{colw}}"
            )
        return "\n".join(lines)

    def to_markdown(self):
        """GitHub Markdown table, averages in bold after the class rows."""
        lines = [f"**{self.title}**", ""] if self.title else []
        lines.append("| class | precision | recall | F1 | support |")
        lines.append("|---|---:|---:|---:|---:|")
        n = len(self.labels)
        for i, (name, p, r, f, s) in enumerate(self.rows()):
            cell = f"**{name}**" if i >= n else name
            lines.append(
                f"| {cell} | {self._fmt(p)} | {self._fmt(r)} | {self._fmt(f)} | {s} |"
            )
        lines.append(
            f"| **accuracy** | | | {self._fmt(self.accuracy)} | {int(self.support.sum())} |"
        )
        return "\n".join(lines)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return (
            f"ClassificationTable(n_classes={len(self.labels)}, "
            f"accuracy={self.accuracy:.{self.digits}f}, "
            f"macro_f1={self.macro['f1']:.{self.digits}f})"
        )


def classification_table(y_true, y_pred, *, labels=None, digits=3, title=None):
    """Per-class precision, recall, F1 and support, plus macro/weighted averages.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like or None
        Row order; default: sorted union of the labels in ``y_true`` and
        ``y_pred``. A class with no prediction gets precision 0; a class with
        no true sample gets recall 0 and support 0.
    digits : int, default=3
    title : str or None
        Printed above the table.

    Returns
    -------
    ClassificationTable
        ``.to_text()``, ``.to_markdown()``, ``.to_dict()``.

    Examples
    --------
    >>> t = classification_table(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> round(float(t.precision[1]), 3), float(t.recall[1]), int(t.support[0])
    (0.667, 1.0, 2)
    >>> t.macro["recall"]
    0.75
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = _labels(y_true, y_pred, labels)
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    acc = float(np.mean(y_true == y_pred)) if len(y_true) else float("nan")
    return ClassificationTable(labels, p, r, f, s, acc, digits=digits, title=title)
