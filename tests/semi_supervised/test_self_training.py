"""TransductiveSelfTraining: pseudo-labels from the batch being predicted."""

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklearn_ser.preprocessing import SpeakerNormalizer
from sklearn_ser.semi_supervised import TransductiveSelfTraining


class _Recorder(ClassifierMixin, BaseEstimator):
    """LogisticRegression that keeps what every fit of every clone received."""

    calls = []

    def fit(self, X, y, groups=None):
        type(self).calls.append((np.array(X, dtype=object), np.asarray(y), groups))
        self.lr_ = LogisticRegression().fit(np.asarray(X, dtype=float), y)
        self.classes_ = self.lr_.classes_
        return self

    def predict_proba(self, X):
        return self.lr_.predict_proba(np.asarray(X, dtype=float))

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(1)]


def _blobs(rng, n=40, shift=0.0):
    X = np.r_[rng.normal(0, 1, (n, 2)), rng.normal(2.5, 1, (n, 2))] + shift
    return X, np.r_[["a"] * n, ["b"] * n]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_check_estimator_fails_only_subset_invariance():
    """Its predictions depend on the batch by design; every other check passes."""
    from sklearn.naive_bayes import GaussianNB
    from sklearn.utils.estimator_checks import check_estimator

    # GaussianNB: every prediction refits, and it refits in milliseconds
    results = check_estimator(TransductiveSelfTraining(GaussianNB()), on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == ["check_methods_subset_invariance"]


def test_refit_adds_the_most_confident_fraction_with_predicted_labels(rng):
    X, y = _blobs(rng)
    Xt, _ = _blobs(rng, n=15, shift=0.5)
    _Recorder.calls = []
    clf = TransductiveSelfTraining(_Recorder(), fraction=0.4).fit(X, y)
    first = clf.estimator_.predict_proba(Xt)
    clf.predict(Xt)
    assert len(_Recorder.calls) == 2
    X2, y2, _ = _Recorder.calls[1]
    n_pick = int(np.ceil(0.4 * len(Xt)))
    assert len(y2) == len(y) + n_pick
    picked = np.argsort(-first.max(1), kind="stable")[:n_pick]
    np.testing.assert_array_equal(X2[len(y):].astype(float), Xt[picked])
    np.testing.assert_array_equal(y2[len(y):], clf.classes_[first[picked].argmax(1)])
    # the confident rows are those the first model is surest about
    rest = np.setdiff1d(np.arange(len(Xt)), picked)
    assert first[picked].max(1).min() >= first[rest].max(1).max()


def test_pseudo_labelled_rows_keep_their_speaker(rng):
    X, y = _blobs(rng)
    g = np.repeat(["s1", "s2"], len(y) // 2)
    Xt, _ = _blobs(rng, n=6, shift=0.5)
    gt = np.repeat(["new1", "new2"], len(Xt) // 2)
    _Recorder.calls = []
    with sklearn.config_context(enable_metadata_routing=True):
        inner = _Recorder().set_fit_request(groups=True)
        clf = TransductiveSelfTraining(inner, fraction=0.5).fit(X, y, groups=g)
        first = clf.estimator_.predict_proba(Xt)
        clf.predict(Xt, groups=gt)
    picked = np.argsort(-first.max(1), kind="stable")[: len(Xt) // 2]
    np.testing.assert_array_equal(_Recorder.calls[0][2], g)
    np.testing.assert_array_equal(_Recorder.calls[1][2], np.r_[g, gt[picked]])


def test_predict_leaves_the_fitted_estimator_alone_and_repeats(rng):
    X, y = _blobs(rng)
    Xt, _ = _blobs(rng, n=20, shift=0.8)
    clf = TransductiveSelfTraining(LogisticRegression(), n_rounds=2).fit(X, y)
    coef = clf.estimator_.coef_.copy()
    p1 = clf.predict_proba(Xt)
    np.testing.assert_array_equal(clf.estimator_.coef_, coef)
    np.testing.assert_array_equal(clf.predict_proba(Xt), p1)
    # and self-training changed the model used for the batch
    assert not np.allclose(p1, clf.estimator_.predict_proba(Xt))


def test_zero_rounds_is_the_inner_estimator(rng):
    X, y = _blobs(rng)
    Xt, _ = _blobs(rng, n=10, shift=1.0)
    clf = TransductiveSelfTraining(LogisticRegression(), n_rounds=0).fit(X, y)
    ref = LogisticRegression().fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(Xt), ref.predict_proba(Xt))


@pytest.mark.parametrize(
    "bad", [{"fraction": 0.0}, {"fraction": 1.5}, {"n_rounds": -1}]
)
def test_invalid_parameters_are_named(rng, bad):
    X, y = _blobs(rng)
    with pytest.raises(ValueError, match=next(iter(bad))):
        TransductiveSelfTraining(LogisticRegression(), **bad).fit(X, y)


def test_estimator_without_predict_proba_is_refused(rng):
    from sklearn.svm import LinearSVC

    X, y = _blobs(rng)
    with pytest.raises(ValueError, match="predict_proba"):
        TransductiveSelfTraining(LinearSVC()).fit(X, y)


def test_groups_route_to_a_grouped_search_and_through_a_pipeline(rng):
    X, y = _blobs(rng, n=30)
    g = np.tile(["s1", "s2", "s3"], 20)
    Xt, _ = _blobs(rng, n=8, shift=0.3)
    gt = np.array(["new"] * len(Xt))
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(
            LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3)
        )
        clf = TransductiveSelfTraining(search).fit(X, y, groups=g)
        with pytest.raises(ValueError, match="groups"):
            clf.predict(Xt)
        pred = clf.predict(Xt, groups=gt)
        assert pred.shape == (len(Xt),)
        # a pipeline routes the speakers to the normaliser and to the self-training
        pipe = Pipeline(
            [
                (
                    "norm",
                    SpeakerNormalizer(mode="transductive")
                    .set_fit_request(groups=True)
                    .set_transform_request(groups=True),
                ),
                ("adapt", TransductiveSelfTraining(clone(search))),
            ]
        ).fit(X, y, groups=g)
        assert set(pipe.predict(Xt, groups=gt)) <= {"a", "b"}


def test_lists_of_waveforms_of_different_lengths(rng):
    """X as audio: the refit stacks the training list and the picked waveforms."""
    lengths = rng.integers(50, 200, size=60)
    y = np.r_[["a"] * 30, ["b"] * 30]
    X = [rng.normal(loc=float(lab == "b"), size=n) for lab, n in zip(y, lengths)]
    stats = FunctionTransformer(lambda W: np.array([[w.mean(), w.std()] for w in W]))
    pipe = make_pipeline(stats, StandardScaler(), LogisticRegression())
    clf = TransductiveSelfTraining(pipe).fit(X, y)
    Xt = [rng.normal(loc=0.8, size=n) for n in (60, 90, 120)]
    assert list(clf.predict(Xt)) == ["b", "b", "b"]


# The effect on real, unseen voices: tests/test_readme.py runs the README's
# TESS example and asserts the gain on each voice.
