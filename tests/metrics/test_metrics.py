"""Metric values on cases small enough to check by hand."""

import numpy as np
import pytest

from sklearn_ser.metrics import (
    classification_table,
    matthews_corrcoef,
    roc_auc_ovr,
    score_all,
    unweighted_average_recall,
)

# 3 classes, 10 samples:
#   true a a a a b b b c c c
#   pred a a a b b b c c c a
Y_TRUE = np.array(list("aaaabbbccc"))
Y_PRED = np.array(list("aaabbbccca"))


def test_per_class_table_by_hand():
    t = classification_table(Y_TRUE, Y_PRED)
    assert t.labels == ["a", "b", "c"]
    # a: predicted a 4 times (3 right) -> P 3/4, R 3/4
    # b: predicted b 3 times (2 right) -> P 2/3, R 2/3
    # c: predicted c 3 times (2 right) -> P 2/3, R 2/3
    p = np.array([3 / 4, 2 / 3, 2 / 3])
    r = np.array([3 / 4, 2 / 3, 2 / 3])
    f = 2 * p * r / (p + r)
    np.testing.assert_allclose(t.precision, p)
    np.testing.assert_allclose(t.recall, r)
    np.testing.assert_allclose(t.f1, f)
    np.testing.assert_array_equal(t.support, [4, 3, 3])
    assert t.accuracy == pytest.approx(7 / 10)
    assert t.macro["precision"] == pytest.approx(p.mean())
    w = np.array([4, 3, 3]) / 10
    assert t.weighted["f1"] == pytest.approx((w * f).sum())


def test_table_text_markdown_dict():
    t = classification_table(Y_TRUE, Y_PRED, labels=["c", "b", "a"], title="Table I")
    text = t.to_text()
    lines = text.splitlines()
    assert lines[0] == "Table I"
    # class rows in the requested order, then accuracy and the two averages
    names = [ln.split()[0] for ln in lines[3:6]]
    assert names == ["c", "b", "a"]
    assert "macro avg" in text and "weighted avg" in text
    row_a = next(ln for ln in lines if ln.strip().startswith("a "))
    assert row_a.split()[1:] == ["0.750", "0.750", "0.750", "4"]
    md = t.to_markdown().splitlines()
    assert md[2] == "| class | precision | recall | F1 | support |"
    assert "| c | 0.667 | 0.667 | 0.667 | 3 |" in md
    assert any(ln.startswith("| **macro avg** |") for ln in md)
    d = t.to_dict()
    assert d["b"] == pytest.approx(
        {"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "support": 3}
    )
    assert d["accuracy"] == pytest.approx(0.7)


def test_absent_class_rows():
    # "z" is a label never predicted and never true: all zeros, support 0
    t = classification_table(["a", "b"], ["a", "a"], labels=["a", "b", "z"])
    np.testing.assert_allclose(t.precision, [0.5, 0.0, 0.0])
    np.testing.assert_allclose(t.recall, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(t.support, [1, 1, 0])


def test_uar_is_mean_recall_not_accuracy():
    # imbalanced: 8 x a (all right), 2 x b (all wrong) -> acc 0.8, UAR 0.5
    y = ["a"] * 8 + ["b"] * 2
    pred = ["a"] * 10
    s = score_all(y, pred)
    assert s["accuracy"] == pytest.approx(0.8)
    assert s["uar"] == pytest.approx(0.5)
    assert unweighted_average_recall(y, pred) == pytest.approx(0.5)
    # precision of a = 8/10, of b = 0 (never predicted) -> macro 0.4
    assert s["precision_macro"] == pytest.approx(0.4)
    assert s["mcc"] == pytest.approx(0.0)


def test_mcc_binary_by_hand():
    # TP=3 TN=4 FP=1 FN=2 -> (12-2)/sqrt(4*5*5*6)
    y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    p = [1, 1, 1, 0, 0, 0, 0, 0, 0, 1]
    expected = (3 * 4 - 1 * 2) / np.sqrt((3 + 1) * (3 + 2) * (4 + 1) * (4 + 2))
    assert matthews_corrcoef(y, p) == pytest.approx(expected)


def test_roc_auc_ovr_by_hand():
    y = np.array(["a", "a", "b", "b", "c", "c"])
    proba = np.array(
        [
            [0.8, 0.1, 0.1],
            [0.3, 0.6, 0.1],  # an "a" scored low for a
            [0.4, 0.5, 0.1],  # a "b" scored 0.4 for a
            [0.1, 0.8, 0.1],
            [0.1, 0.2, 0.7],
            [0.2, 0.2, 0.6],
        ]
    )
    # class a: positives {0.8, 0.3}, negatives {0.4, 0.1, 0.1, 0.2}:
    #   pairs won: 0.8 beats 4, 0.3 beats 3 of 4 -> 7/8
    # class b: positives {0.5, 0.8}, negatives {0.1, 0.6, 0.2, 0.2}:
    #   0.5 beats 3, 0.8 beats 4 -> 7/8
    # class c: positives {0.7, 0.6} beat all 4 negatives {0.1,0.1,0.1,0.1} -> 1
    expected = (7 / 8 + 7 / 8 + 1) / 3
    assert roc_auc_ovr(y, proba, ["a", "b", "c"]) == pytest.approx(expected)
    s = score_all(y, ["a", "b", "b", "b", "c", "c"], proba, labels=["a", "b", "c"])
    assert s["roc_auc_ovr"] == pytest.approx(expected)


def test_roc_auc_skips_class_absent_from_fold():
    y = np.array(["a", "a", "b", "b"])
    proba = np.array(
        [[0.9, 0.1, 0.0], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.4, 0.5, 0.1]]
    )
    # c has no positives: left out; a and b separate perfectly -> 1.0
    assert roc_auc_ovr(y, proba, ["a", "b", "c"]) == pytest.approx(1.0)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="same length"):
        classification_table([1, 2], [1])
    with pytest.raises(ValueError, match=r"y_proba\.shape=\(2, 2\)"):
        roc_auc_ovr([0, 1], [[0.1, 0.9], [0.2, 0.8]], [0, 1, 2])
    with pytest.raises(ValueError, match="labels"):
        score_all([0, 1], [0, 1], [[0.9, 0.1], [0.2, 0.8]])
