"""Figures rendered from real evaluation results to PNG files."""

import struct

import numpy as np
import pytest

from sklearn_ser.datasets import load_sample
from sklearn_ser.model_selection import evaluate
from sklearn_ser.pipelines import get_pipeline
from sklearn_ser.plotting import (
    plot_confusion_matrix,
    plot_precision_recall,
    plot_roc,
    plot_training_curves,
    save_all_figures,
)

pytest.importorskip("matplotlib")


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert len(data) > 5_000, f"{path} is suspiciously small ({len(data)} bytes)"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def sample_result():
    b = load_sample()
    return evaluate(
        get_pipeline("mfcc-svm"),
        b.filenames,
        b.target,
        b.groups,
        protocol="speaker-kfold",
    )


def test_confusion_matrix_draws_the_counts(sample_result, tmp_path):
    r = sample_result
    path = tmp_path / "cm.png"
    fig = plot_confusion_matrix(r, path=path)
    w, h = _png_size(path)
    assert w >= 400 and h >= 350
    cm = r.confusion_matrix()
    drawn = [int(t.get_text()) for t in fig.axes[0].texts]
    assert drawn == cm.ravel().tolist()
    assert sum(drawn) == len(r.y_true) == 120
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == [str(c) for c in r.labels]


def test_normalised_confusion_matrix_rows_sum_to_one(sample_result, tmp_path):
    fig = plot_confusion_matrix(
        sample_result, normalize="true", path=tmp_path / "cmn.png"
    )
    vals = np.array([float(t.get_text()) for t in fig.axes[0].texts])
    n = len(sample_result.labels)
    np.testing.assert_allclose(vals.reshape(n, n).sum(axis=1), 1.0, atol=0.02)
    _png_size(tmp_path / "cmn.png")


def test_confusion_matrix_from_arrays(tmp_path):
    fig = plot_confusion_matrix(["a", "a", "b"], ["a", "b", "b"])
    assert [t.get_text() for t in fig.axes[0].texts] == ["1", "1", "0", "1"]


def test_pr_and_roc_curves_one_per_class(sample_result, tmp_path):
    r = sample_result
    fig = plot_precision_recall(r, path=tmp_path / "pr.png")
    assert len(fig.axes[0].lines) == len(r.labels)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert all(lab.startswith(str(c)) for lab, c in zip(legend, r.labels))
    _png_size(tmp_path / "pr.png")
    fig = plot_roc(r, path=tmp_path / "roc.png")
    assert len(fig.axes[0].lines) == len(r.labels) + 1  # + chance diagonal
    _png_size(tmp_path / "roc.png")


def test_curves_need_probabilities():
    with pytest.raises(ValueError, match="probabilities"):
        plot_roc(["a", "b"], None, labels=["a", "b"])


def test_training_curves_and_missing_history(sample_result, tmp_path):
    hist = {
        "loss": [1.5, 1.0, 0.7],
        "val_loss": [1.6, 1.2, 1.1],
        "accuracy": [0.3, 0.5, 0.7],
        "val_accuracy": [0.2, 0.4, 0.45],
    }
    fig = plot_training_curves([hist, hist], path=tmp_path / "tc.png")
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 4 and len(acc_ax.lines) == 4
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), hist["val_loss"])
    _png_size(tmp_path / "tc.png")
    with pytest.raises(ValueError, match="No training history"):
        plot_training_curves(sample_result)


def test_save_all_figures_for_a_non_keras_result(sample_result, tmp_path):
    written = save_all_figures(sample_result, tmp_path / "figs")
    assert set(written) == {
        "confusion_matrix",
        "confusion_matrix_normalized",
        "precision_recall",
        "roc",
    }
    for p in written.values():
        from pathlib import Path

        _png_size(Path(p))
