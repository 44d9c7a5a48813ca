"""evaluate(): out-of-fold predictions, per-fold scores, notes, validation routing."""

import json

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_ser import Pipeline
from sklearn_ser.metrics import score_all
from sklearn_ser.model_selection import EvaluationResult, evaluate

pytestmark = pytest.mark.data


def _svm():
    return Pipeline(
        [
            StandardScaler(),
            ("svc", CalibratedClassifierCV(SVC(random_state=0), ensemble=False)),
        ]
    )


@pytest.fixture(scope="module")
def speaker_result(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    return evaluate(_svm(), X, y, groups, protocol="speaker-kfold")


def test_out_of_fold_predictions_cover_every_sample_once(
    speaker_result, ravdess_small_features
):
    X, y, groups, _ = ravdess_small_features
    r = speaker_result
    assert isinstance(r, EvaluationResult)
    assert r.n_folds == 4  # 4 actors < 5 folds: leave-one-speaker-out
    assert any("leave-one-speaker-out" in n for n in r.notes)
    np.testing.assert_array_equal(np.sort(r.indices), np.arange(len(y)))
    np.testing.assert_array_equal(r.y_true, y[r.indices])
    assert list(r.labels) == sorted(set(y))
    np.testing.assert_allclose(r.y_proba.sum(axis=1), 1.0, atol=1e-6)
    for f in r.folds:
        assert f["n_shared_speakers"] == 0
        assert f["fit_time"] > 0 and f["predict_time"] > 0
        assert f["history"] is None


def test_fold_scores_match_a_recomputation(speaker_result):
    r = speaker_result
    for k, f in enumerate(r.folds):
        rows = r.fold_of == k
        expected = score_all(
            r.y_true[rows], r.y_pred[rows], r.y_proba[rows], labels=r.labels
        )
        assert f["scores"] == pytest.approx(expected, nan_ok=True)
    mean = np.mean([f["scores"]["accuracy"] for f in r.folds])
    assert r.mean_scores["accuracy"] == pytest.approx(mean)
    assert r.pooled_scores["accuracy"] == pytest.approx(np.mean(r.y_true == r.y_pred))
    # 4 actors, 8 classes: far above chance (1/8) with MFCC + SVM
    assert r.pooled_scores["accuracy"] > 0.25


def test_summary_report_and_json(speaker_result):
    r = speaker_result
    s = r.summary()
    assert "speaker-kfold" in s and "[speaker-independent]" in s
    assert "uar" in s and "roc_auc_ovr" in s
    rep = r.report(markdown=True)
    assert "| **macro avg** |" in rep
    d = json.loads(json.dumps(r.to_dict()))
    assert d["n_folds"] == 4
    assert sum(len(f["test_indices"]) for f in d["folds"]) == len(r.y_true)
    assert np.array(d["confusion_matrix"]).sum() == len(r.y_true)


def test_paper_protocol_reports_speaker_leak(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    r = evaluate(_svm(), X, y, groups, protocol="s0-random-67-33")
    assert r.n_folds == 1
    assert len(r.y_true) == round(0.33 * len(y))
    assert r.folds[0]["n_shared_speakers"] == 4
    assert any("shared between training and test: 4 of 4" in n for n in r.notes)
    assert "[speakers shared between training and test]" in r.summary()


def test_tess_result_explains_two_speakers(tess_small_features):
    X, y, groups, _ = tess_small_features
    with pytest.warns(UserWarning, match="only 2 speakers"):
        r = evaluate(_svm(), X, y, groups, protocol="speaker-kfold")
    assert r.n_folds == 2
    assert sorted(
        set(groups[r.indices[r.fold_of == 0]]) | set(groups[r.indices[r.fold_of == 1]])
    ) == ["OAF", "YAF"]
    assert any("training on one speaker and testing on the other" in n for n in r.notes)
    assert "only 2 speakers" in r.summary()


class _ValidationSpy(ClassifierMixin, BaseEstimator):
    """Nearest-centroid classifier that records the validation data it got."""

    seen = []

    def __init__(self, validation_data=None):
        self.validation_data = validation_data

    def fit(self, X, y):
        vd = self.validation_data
        type(self).seen.append(None if vd is None else (np.asarray(vd[0]), vd[1]))
        self.classes_ = np.unique(y)
        self.centroids_ = np.stack([X[y == c].mean(axis=0) for c in self.classes_])
        return self

    def predict(self, X):
        d = ((X[:, None, :] - self.centroids_[None]) ** 2).sum(-1)
        return self.classes_[d.argmin(axis=1)]


def test_validation_part_reaches_the_final_step_transformed(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    _ValidationSpy.seen = []
    pipe = Pipeline([StandardScaler(), _ValidationSpy()])
    r = evaluate(
        pipe, X, y, groups, protocol="s2-random-65-10-25", return_estimators=True
    )
    ((Xv, yv),) = _ValidationSpy.seen
    f = r.folds[0]
    assert len(yv) == len(f["validation"]) == round(0.10 * len(y))
    np.testing.assert_array_equal(yv, y[f["validation"]])
    scaler = r.estimators[0].steps[0][1]
    np.testing.assert_allclose(Xv, scaler.transform(X[f["validation"]]), rtol=1e-6)
    # the scaler was fitted on the training part only
    np.testing.assert_allclose(scaler.mean_, X[f["train"]].mean(axis=0), rtol=1e-6)
    assert r.estimators[0].steps[-1][1].validation_data is None
    assert f["used_validation"]
    assert any("validation_data" in n for n in r.notes)
    assert not set(f["validation"]) & set(f["test"])


def test_estimator_without_validation_param_leaves_part_unused(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    r = evaluate(_svm(), X, y, groups, protocol="speaker-holdout-65-10-25")
    f = r.folds[0]
    assert len(f["validation"]) > 0 and not f["used_validation"]
    assert any("held out unused" in n for n in r.notes)
    assert f["n_shared_speakers"] == 0


def test_int_and_sklearn_splitters_are_accepted(ravdess_small_features):
    from sklearn.model_selection import GroupKFold

    X, y, groups, _ = ravdess_small_features
    svc = Pipeline([StandardScaler(), SVC()])
    r = evaluate(svc, X, y, groups, protocol=GroupKFold(3))
    assert r.n_folds == 3
    assert all(f["n_shared_speakers"] == 0 for f in r.folds)
    assert r.y_proba is None and "roc_auc_ovr" not in r.mean_scores
    r = evaluate(svc, X, y, protocol=3)
    assert r.n_folds == 3


def test_length_errors(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    with pytest.raises(ValueError, match="same length"):
        evaluate(_svm(), X[:-1], y)
    with pytest.raises(ValueError, match="groups must have one entry"):
        evaluate(_svm(), X, y, groups[:-1])


@pytest.fixture
def routing():
    import sklearn

    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _speaker_norm_pipe(mode):
    from sklearn.linear_model import LogisticRegression

    from sklearn_ser.preprocessing import SpeakerNormalizer

    norm = (
        SpeakerNormalizer(mode=mode)
        .set_fit_request(groups=True)
        .set_transform_request(groups=True)
    )
    return Pipeline([norm, LogisticRegression(C=0.1, max_iter=2000)])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_groups_are_routed_to_a_speaker_normalizer(
    ravdess_small_features, routing, n_jobs
):
    """Each fold's speakers reach SpeakerNormalizer in fit and in predict."""
    from sklearn.base import clone

    from sklearn_ser.model_selection import get_protocol

    X, y, groups, _ = ravdess_small_features
    preds = {}
    for mode in ("strict", "transductive"):
        pipe = _speaker_norm_pipe(mode)
        r = evaluate(pipe, X, y, groups, protocol="speaker-kfold", n_jobs=n_jobs)
        # the same as fitting and predicting each fold by hand with its speakers
        splits = get_protocol("speaker-kfold").split(X, y, groups)
        for k, (tr, te) in enumerate(splits):
            est = clone(pipe).fit(X[tr], y[tr], groups=groups[tr])
            expected = est.predict(X[te], groups=groups[te])
            np.testing.assert_array_equal(r.y_pred[r.fold_of == k], expected)
            proba = est.predict_proba(X[te], groups=groups[te])
            np.testing.assert_allclose(r.y_proba[r.fold_of == k], proba, atol=1e-9)
        preds[mode] = r.y_pred
    # transductive normalisation used the test speaker's own statistics
    assert np.mean(preds["strict"] != preds["transductive"]) > 0.05


def test_groups_reach_a_speaker_grouped_search_and_its_best_estimator(
    ravdess_small_features, routing
):
    from sklearn.model_selection import GridSearchCV

    from sklearn_ser.model_selection import InnerSpeakerKFold

    X, y, groups, _ = ravdess_small_features
    search = GridSearchCV(
        _speaker_norm_pipe("transductive"),
        {"logisticregression__C": [0.01, 1.0]},
        cv=InnerSpeakerKFold(2),
    )
    r = evaluate(search, X, y, groups, protocol="speaker-kfold", return_estimators=True)
    k = 0
    test = r.folds[k]["test"]
    best = r.estimators[k].best_estimator_
    np.testing.assert_array_equal(
        r.y_pred[r.fold_of == k], best.predict(X[test], groups=groups[test])
    )


def test_groups_reach_the_validation_part(ravdess_small_features, routing):
    from sklearn_ser.preprocessing import SpeakerNormalizer

    X, y, groups, _ = ravdess_small_features
    _ValidationSpy.seen = []
    norm = (
        SpeakerNormalizer(mode="transductive")
        .set_fit_request(groups=True)
        .set_transform_request(groups=True)
    )
    r = evaluate(
        Pipeline([norm, _ValidationSpy()]),
        X,
        y,
        groups,
        protocol="s2-random-65-10-25",
        return_estimators=True,
    )
    ((Xv, _),) = _ValidationSpy.seen
    val = r.folds[0]["validation"]
    fitted = r.estimators[0].steps[0][1]
    np.testing.assert_allclose(
        Xv, fitted.transform(X[val], groups=groups[val]), rtol=1e-6
    )
    assert r.folds[0]["used_validation"]


def test_groups_in_fit_params_is_an_error(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    with pytest.raises(ValueError, match="evaluate\\(..., groups=g\\)"):
        evaluate(_svm(), X, y, groups, fit_params={"groups": groups})
