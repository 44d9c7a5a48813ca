"""The MER benchmark's svm-select-melody wiring (benchmarks/mer_systems.py)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
mer = pytest.importorskip("mer_systems")


@pytest.mark.parametrize("k", [1, 5])
def test_melody_columns_bypass_the_selection(k):
    """The last 41 columns (MelodyStats) reach the SVM whatever k the search
    picks for the others; the other systems select from every column."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 100 + 41))
    y = np.repeat(["Q1", "Q2", "Q3", "Q4"], 10)
    search = mer._select_search("svm-select-melody", 3, X.shape[1])
    pipe = clone(search.estimator).set_params(features__selected__select__k=k)
    pipe.fit(X, y)
    assert pipe.named_steps["clf"].n_features_in_ == k + 41
    kept = pipe.named_steps["features"].transform(X)[:, k:]
    np.testing.assert_allclose(
        kept, (X[:, 100:] - X[:, 100:].mean(0)) / X[:, 100:].std(0)
    )
    plain = clone(mer._select_search("svm-select-tonal", 3).estimator)
    plain.set_params(select__k=k).fit(X, y)
    assert plain.named_steps["clf"].n_features_in_ == k
