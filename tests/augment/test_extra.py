"""ExtraTrainingData: another corpus in every training fold, never predicted."""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from sklearn_ser.augment import ExtraTrainingData
from sklearn_ser.preprocessing import SpeakerNormalizer


class _Recorder(LogisticRegression):
    """LogisticRegression remembering the rows of its last fit."""

    def fit(self, X, y, sample_weight=None):
        self.seen_X_, self.seen_y_ = np.asarray(X), np.asarray(y)
        return super().fit(X, y, sample_weight=sample_weight)


def _data(rng, n=20, shift=0.0):
    X = np.r_[rng.normal(0, 1, (n, 2)), rng.normal(3, 1, (n, 2))] + shift
    return X, np.r_[["a"] * n, ["b"] * n]


def test_fit_sees_training_then_extra_rows_and_predict_only_x(rng):
    X, y = _data(rng)
    Xe, ye = _data(rng, n=5, shift=0.5)
    clf = ExtraTrainingData(_Recorder(), Xe, ye).fit(X, y)
    np.testing.assert_array_equal(clf.estimator_.seen_X_, np.r_[X, Xe])
    np.testing.assert_array_equal(clf.estimator_.seen_y_, np.r_[y, ye])
    assert clf.n_train_ == len(y) + len(ye)
    Xt, _ = _data(rng, n=3)
    np.testing.assert_array_equal(clf.predict(Xt), clf.estimator_.predict(Xt))
    np.testing.assert_array_equal(
        clf.predict_proba(Xt), clf.estimator_.predict_proba(Xt)
    )


def test_cross_validation_keeps_extra_rows_out_of_every_test_fold(rng):
    """The extra rows are in every training fold, and no prediction is of them."""
    X, y = _data(rng)
    Xe, ye = _data(rng, n=4, shift=10.0)
    clf = ExtraTrainingData(LogisticRegression(), Xe, ye)
    pred = cross_val_predict(clf, X, y, cv=4)
    assert pred.shape == y.shape
    fitted = clone(clf).fit(X[:30], y[:30])
    assert fitted.n_train_ == 30 + len(ye)


def test_list_inputs_concatenate_as_lists(rng):
    paths = [f"clip{i}.wav" for i in range(4)]
    extra = ["other0.wav", "other1.wav"]

    class _Keep(LogisticRegression):
        def fit(self, X, y):
            self.seen_ = list(X)
            self.classes_ = np.unique(y)
            return self

    clf = ExtraTrainingData(_Keep(), extra, ["a", "b"]).fit(paths, ["a", "b", "a", "b"])
    assert clf.estimator_.seen_ == paths + extra


def test_labels_and_lengths_are_checked(rng):
    X, y = _data(rng)
    Xe, _ = _data(rng, n=2)
    with pytest.raises(ValueError, match="unknown labels: \\['calm'\\]"):
        ExtraTrainingData(LogisticRegression(), Xe, ["a", "b", "calm", "b"]).fit(X, y)
    with pytest.raises(ValueError, match="one label per row of extra_X \\(4\\)"):
        ExtraTrainingData(LogisticRegression(), Xe, ["a", "b"]).fit(X, y)


def test_groups_are_concatenated_for_estimators_that_use_them(rng):
    X, y = _data(rng, n=30)
    g = np.tile(["s1", "s2", "s3"], 20)
    Xe, ye = _data(rng, n=6, shift=0.3)
    ge = np.array(["other/x"] * len(ye))
    with sklearn.config_context(enable_metadata_routing=True):
        norm = (
            SpeakerNormalizer(mode="transductive")
            .set_fit_request(groups=True)
            .set_transform_request(groups=True)
        )
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3))
        pipe = Pipeline([("norm", norm), ("clf", search)])
        with pytest.raises(ValueError, match="extra_groups"):
            ExtraTrainingData(pipe, Xe, ye).fit(X, y, groups=g)
        clf = ExtraTrainingData(pipe, Xe, ye, extra_groups=ge).fit(X, y, groups=g)
        # the extra speaker is standardised with its own statistics, like the others
        assert "other/x" in clf.estimator_.named_steps["norm"].speakers_
        Xt, _ = _data(rng, n=4)
        pred = clf.predict(Xt, groups=np.array(["new"] * len(Xt)))
        assert pred.shape == (len(Xt),)


def test_clone_keeps_parameters(rng):
    Xe, ye = _data(rng, n=2)
    clf = ExtraTrainingData(LogisticRegression(C=0.5), Xe, ye, extra_groups=None)
    params = clone(clf).get_params()
    np.testing.assert_array_equal(params["extra_X"], Xe)
    assert params["estimator__C"] == 0.5
