"""CappedPCA: PCA(k) when there are enough samples, fewer components otherwise."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from sklearn_ser.preprocessing import CappedPCA


def test_equal_to_pca_with_enough_samples(rng):
    X = rng.normal(size=(60, 30))
    ours = CappedPCA(n_components=10, random_state=0).fit(X[:40]).transform(X[40:])
    ref = PCA(10, svd_solver="randomized", random_state=0).fit(X[:40]).transform(X[40:])
    np.testing.assert_array_equal(ours, ref)


def test_caps_at_the_training_set(rng):
    X = rng.normal(size=(12, 30))
    pca = CappedPCA(n_components=300, random_state=0).fit(X)
    assert pca.pca_.n_components_ == 12
    assert pca.transform(rng.normal(size=(3, 30))).shape == (3, 12)
    with pytest.raises(ValueError):  # plain PCA refuses the same data
        PCA(300, svd_solver="randomized").fit(X)
    with pytest.raises(ValueError, match="n_components"):
        CappedPCA(n_components="all").fit(X)
