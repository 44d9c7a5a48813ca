"""Metrics and per-class reports for emotion classifiers."""

from ._report import ClassificationTable, classification_table
from ._scores import (
    METRICS,
    accuracy,
    f1_macro,
    f1_weighted,
    matthews_corrcoef,
    precision_macro,
    precision_weighted,
    recall_macro,
    recall_weighted,
    roc_auc_ovr,
    score_all,
    unweighted_average_recall,
)

__all__ = [
    "METRICS",
    "ClassificationTable",
    "accuracy",
    "classification_table",
    "f1_macro",
    "f1_weighted",
    "matthews_corrcoef",
    "precision_macro",
    "precision_weighted",
    "recall_macro",
    "recall_weighted",
    "roc_auc_ovr",
    "score_all",
    "unweighted_average_recall",
]
