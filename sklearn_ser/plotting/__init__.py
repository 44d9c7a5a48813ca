"""Pictures of evaluation results (needs matplotlib: the ``plot`` extra).

matplotlib is imported only when a function is called; without it a clear
``ImportError`` names the extra to install.
"""

from ._plots import (
    plot_confusion_matrix,
    plot_precision_recall,
    plot_roc,
    plot_training_curves,
    save_all_figures,
)
from ._timeline import plot_timeline

__all__ = [
    "plot_confusion_matrix",
    "plot_precision_recall",
    "plot_roc",
    "plot_timeline",
    "plot_training_curves",
    "save_all_figures",
]
