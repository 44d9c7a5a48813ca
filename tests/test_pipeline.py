"""sklearn_ser.Pipeline: bare estimators, cloning, search, pickling."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_ser import Pipeline, make_pipeline


def _data(rng):
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)
    return X, y


def test_bare_estimators_are_named_like_make_pipeline():
    pipe = Pipeline([StandardScaler(), PCA(), SVC()])
    assert [n for n, _ in pipe.steps] == ["standardscaler", "pca", "svc"]
    assert isinstance(pipe, SkPipeline)


def test_duplicate_classes_get_numbered_and_explicit_names_kept():
    pipe = Pipeline([StandardScaler(), ("model", SVC()), StandardScaler()])
    assert [n for n, _ in pipe.steps] == [
        "standardscaler-1",
        "model",
        "standardscaler-2",
    ]
    pipe = Pipeline([("svc", StandardScaler()), SVC()])
    assert [n for n, _ in pipe.steps] == ["svc", "svc-2"]


def test_pairs_behave_as_in_sklearn():
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    assert [n for n, _ in pipe.steps] == ["scale", "clf"]


def test_clone_and_params_round_trip(rng):
    pipe = Pipeline([StandardScaler(), SVC(C=3.0)])
    params = pipe.get_params()
    assert params["svc__C"] == 3.0
    twin = clone(pipe)
    assert type(twin) is Pipeline
    assert [n for n, _ in twin.steps] == ["standardscaler", "svc"]
    assert twin.get_params()["svc__C"] == 3.0
    twin.set_params(svc__C=0.5)
    assert pipe.get_params()["svc__C"] == 3.0
    twin.set_params(steps=[PCA(n_components=2), SVC()])
    assert [n for n, _ in twin.steps] == ["pca", "svc"]


def test_grid_search_with_groups(rng):
    X, y = _data(rng)
    groups = np.repeat(np.arange(6), 10)
    search = GridSearchCV(
        Pipeline([StandardScaler(), SVC()]),
        {"svc__C": [0.01, 10.0], "standardscaler__with_mean": [True, False]},
        cv=GroupKFold(n_splits=3),
    )
    search.fit(X, y, groups=groups)
    assert set(search.best_params_) == {"svc__C", "standardscaler__with_mean"}
    assert search.best_params_["svc__C"] == 10.0
    assert search.score(X, y) > 0.8


def test_pickle_round_trip_predicts_identically(rng):
    X, y = _data(rng)
    svc = CalibratedClassifierCV(SVC(random_state=0), ensemble=False)
    pipe = make_pipeline(StandardScaler(), svc)
    pipe.fit(X, y)
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(pipe.predict(X), again.predict(X))
    np.testing.assert_allclose(pipe.predict_proba(X), again.predict_proba(X))


def test_importing_the_toolkit_does_not_import_tensorflow():
    code = (
        "import sys, sklearn_ser, sklearn_ser.io, sklearn_ser.features, "
        "sklearn_ser.datasets; "
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("bad", [["not an estimator"], [("a", "b", "c")]])
def test_bad_steps_raise(bad):
    with pytest.raises((TypeError, ValueError)):
        Pipeline(bad).fit(np.zeros((2, 2)), [0, 1])


@pytest.mark.data
def test_frame_lengths_survive_pipeline_memory(ravdess_files, tmp_path):
    # Pipeline(memory=) stores each transformer's output with joblib: the
    # FrameArray's real-frame lengths must come back from the cache, or
    # FrameStats would pool the padding of short clips as if it were speech.
    from sklearn.linear_model import LogisticRegression

    from sklearn_ser.features import MFCC, FrameStats

    files = list(ravdess_files[:12])
    y = np.arange(12) % 2

    def build(memory):
        return SkPipeline(
            [("mfcc", MFCC(max_frames=500)), ("stats", FrameStats()),
             ("clf", LogisticRegression(max_iter=1000))],
            memory=memory,
        )

    frames = MFCC(max_frames=500).fit_transform(files)
    assert (frames.lengths < 500).all()  # every clip is padded
    plain = build(None).fit(files, y).predict_proba(files)
    first = build(str(tmp_path)).fit(files, y)
    again = build(str(tmp_path)).fit(files, y)  # transformer output from the cache
    assert any(tmp_path.rglob("output.pkl"))
    np.testing.assert_array_equal(first.predict_proba(files), plain)
    np.testing.assert_array_equal(again.predict_proba(files), plain)
    pooled = again[:-1].transform(files)
    np.testing.assert_array_equal(pooled, FrameStats().fit_transform(frames))
