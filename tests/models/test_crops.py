"""CropAverageClassifier: random training crops, averaged test crops."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_ser.models._crops import CropAverageClassifier


def _flatten(X):
    return X.reshape(len(X), -1)


class _Recorder(ClassifierMixin, BaseEstimator):
    """Keeps what it was fitted and asked on; probabilities from the crop's
    first value (so averaging is checkable by hand)."""

    def fit(self, X, y):
        self.X_fit_, self.y_fit_ = X.copy(), y.copy()
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = 1.0 / (1.0 + np.exp(-X[:, 0, 0]))
        return np.column_stack([1 - p, p])


def _data(n=12, t=40, f=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, t, f)).astype(np.float32)
    y = np.repeat(["a", "b"], n // 2)
    return X, y


def _find_window(sample, crop):
    """Start frame s with sample[s : s + len(crop)] == crop, or None."""
    for s in range(len(sample) - len(crop) + 1):
        if np.array_equal(sample[s : s + len(crop)], crop):
            return s
    return None


def test_training_crops_are_windows_of_their_own_sample():
    X, y = _data()
    clf = CropAverageClassifier(
        _Recorder(), crop_frames=10, n_train_crops=3, random_state=0
    ).fit(X, y)
    Xc, yc = clf.estimator_.X_fit_, clf.estimator_.y_fit_
    assert Xc.shape == (len(X) * 3, 10, 3)
    np.testing.assert_array_equal(yc, np.repeat(y, 3))
    starts = []
    for row in range(len(Xc)):
        s = _find_window(X[row // 3], Xc[row])
        assert s is not None, f"crop {row} is not a window of sample {row // 3}"
        starts.append(s)
    # random starts, not all the same window
    assert len(set(starts)) > 3
    assert clf.n_frames_in_ == 40
    np.testing.assert_array_equal(clf.classes_, ["a", "b"])


def test_random_state_fixes_the_crops():
    X, y = _data()
    fit = lambda rs: CropAverageClassifier(  # noqa: E731
        _Recorder(), crop_frames=10, random_state=rs
    ).fit(X, y).estimator_.X_fit_
    np.testing.assert_array_equal(fit(1), fit(1))
    assert not np.array_equal(fit(1), fit(2))


def test_predict_proba_is_mean_over_evenly_spaced_crops():
    X, y = _data(t=41)
    clf = CropAverageClassifier(_Recorder(), crop_frames=11, n_test_crops=4).fit(X, y)
    # reference: a per-sample loop over starts 0, 10, 20, 30 (linspace(0, 30, 4))
    expected = np.array(
        [
            np.mean([1 / (1 + np.exp(-x[s, 0])) for s in (0, 10, 20, 30)])
            for x in X
        ]
    )
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba[:, 1], expected, rtol=1e-6)
    np.testing.assert_array_equal(
        clf.predict(X), np.where(expected > 0.5, "b", "a")
    )


def test_one_full_length_crop_equals_the_plain_estimator():
    X, y = _data(n=40, t=8, f=2, seed=3)
    X[y == "b"] += 0.5
    base = make_pipeline(FunctionTransformer(_flatten), LogisticRegression())
    wrapped = CropAverageClassifier(
        base, crop_frames=8, n_train_crops=1, n_test_crops=1
    ).fit(X, y)
    plain = clone(base).fit(X, y)
    np.testing.assert_allclose(wrapped.predict_proba(X), plain.predict_proba(X))


def test_learns_a_class_cue_anywhere_in_the_sequence():
    # class "b" has a loud 10-frame burst at a random place; the crop model
    # must find it from crops alone (some of b's training crops miss it) and
    # generalise to new sequences.
    rng = np.random.default_rng(0)

    def make(n):
        X = rng.normal(size=(n, 60, 2)).astype(np.float32)
        y = np.repeat(["a", "b"], n // 2)
        for i in np.flatnonzero(y == "b"):
            s = rng.integers(0, 50)
            X[i, s : s + 10] += 3.0
        return X, y

    X, y = make(200)
    Xt, yt = make(100)
    pool = FunctionTransformer(lambda Z: np.abs(Z).max(axis=1))
    clf = CropAverageClassifier(
        make_pipeline(pool, LogisticRegression()),
        crop_frames=30,
        n_train_crops=4,
        n_test_crops=6,
        random_state=0,
    ).fit(X, y)
    assert (clf.predict(Xt) == yt).mean() > 0.9


@pytest.mark.parametrize(
    "params, X_shape, match",
    [
        ({"crop_frames": 50}, (6, 40, 2), "crop_frames must be at most"),
        ({"crop_frames": 0}, (6, 40, 2), "crop_frames must be"),
        ({"n_train_crops": 0}, (6, 40, 2), "n_train_crops must be"),
        ({}, (6,), "frame sequences"),
    ],
)
def test_bad_parameters_and_input_are_named(params, X_shape, match):
    X = np.zeros(X_shape)
    y = np.repeat(["a", "b"], 3)
    with pytest.raises(ValueError, match=match):
        CropAverageClassifier(_Recorder(), **params).fit(X, y)


def test_estimator_without_predict_proba_is_refused():
    from sklearn.svm import LinearSVC

    X, y = _data()
    with pytest.raises(ValueError, match="estimator"):
        CropAverageClassifier(LinearSVC(), crop_frames=5).fit(X, y)


def test_clone_and_params_roundtrip():
    clf = CropAverageClassifier(_Recorder(), crop_frames=7, n_test_crops=3)
    c = clone(clf)
    assert c.get_params()["crop_frames"] == 7
    assert c.get_params()["n_test_crops"] == 3
    c.set_params(crop_frames=9)
    assert c.crop_frames == 9 and clf.crop_frames == 7
