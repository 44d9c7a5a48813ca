"""save_model / load_model: identical predictions, version header, refusals."""

import json

import numpy as np
import pytest

from sklearn_ser import __version__
from sklearn_ser._persistence import (
    IncompatibleModelError,
    load_model,
    read_model_header,
    save_model,
)
from sklearn_ser.datasets import load_sample
from sklearn_ser.pipelines import get_pipeline


@pytest.fixture(scope="module")
def sample():
    b = load_sample()
    return np.asarray(b.filenames, dtype=object), np.asarray(b.target)


@pytest.fixture(scope="module")
def fitted_svm(sample):
    X, y = sample
    return get_pipeline("mfcc-svm").fit(X[::2], y[::2])


def test_round_trip_predicts_identically(fitted_svm, sample, tmp_path):
    X, _ = sample
    path = tmp_path / "svm.joblib"
    header = save_model(fitted_svm, path, metadata={"corpus": "sample"})
    loaded, h2 = load_model(path, return_header=True)
    assert h2 == json.loads(json.dumps(header))
    test = X[1::2]
    np.testing.assert_array_equal(loaded.predict(test), fitted_svm.predict(test))
    np.testing.assert_array_equal(
        loaded.predict_proba(test), fitted_svm.predict_proba(test)
    )
    assert h2["classes"] == sorted(set(fitted_svm.classes_))
    assert h2["versions"]["sklearn_ser"] == __version__
    assert h2["versions"]["scikit-learn"] and h2["versions"]["numpy"]
    assert h2["versions"]["python"].count(".") == 2
    assert h2["uses_keras"] is False and h2["versions"]["keras"] is None
    assert h2["metadata"] == {"corpus": "sample"}


def _rewrite_header(path, **versions):
    raw = path.read_bytes()
    first, rest = raw.split(b"\n", 1)
    header = json.loads(first[len(b"SKLEARN_SER_MODEL ") :])
    header["versions"].update(versions)
    path.write_bytes(b"SKLEARN_SER_MODEL " + json.dumps(header).encode() + b"\n" + rest)


@pytest.mark.parametrize(
    "dist,version",
    [("scikit-learn", "0.24.2"), ("sklearn_ser", "7.0.0"), ("numpy", "1.26.4")],
)
def test_major_version_mismatch_is_refused(fitted_svm, tmp_path, dist, version):
    path = tmp_path / "old.joblib"
    save_model(fitted_svm, path)
    _rewrite_header(path, **{dist: version})
    with pytest.raises(IncompatibleModelError) as exc:
        load_model(path)
    msg = str(exc.value)
    assert str(path) in msg and f"{dist} {version}" in msg and "installed:" in msg
    # explicitly skipping the check still loads it
    assert load_model(path, check_versions=False).predict is not None


def test_minor_difference_only_warns(fitted_svm, tmp_path):
    import sklearn

    major = sklearn.__version__.split(".")[0]
    path = tmp_path / "minor.joblib"
    save_model(fitted_svm, path)
    _rewrite_header(path, **{"scikit-learn": f"{major}.0.0"})
    with pytest.warns(UserWarning, match="other minor versions"):
        load_model(path)


def test_not_a_model_file(tmp_path):
    import joblib

    p = tmp_path / "plain.joblib"
    joblib.dump({"a": 1}, p)
    with pytest.raises(ValueError, match="not a sklearn-ser model file"):
        read_model_header(p)
    with pytest.raises(OSError):
        load_model(tmp_path / "missing.joblib")


@pytest.mark.data
def test_keras_pipeline_round_trip(sample, tmp_path):
    """Features + a small Keras network: identical probabilities after reload."""
    pytest.importorskip("tensorflow")
    from sklearn.preprocessing import StandardScaler

    from sklearn_ser import Pipeline
    from sklearn_ser.features import MFCC, FrameStats
    from sklearn_ser.models import DenseClassifier

    X, y = sample
    pipe = Pipeline(
        [
            MFCC(sr=16000, n_mfcc=20),
            FrameStats(),
            StandardScaler(),
            DenseClassifier(
                hidden_layer_sizes=(16,), epochs=3, batch_size=32, random_state=0
            ),
        ]
    )
    pipe.fit(X[::2], y[::2])
    path = tmp_path / "dense.joblib"
    header = save_model(pipe, path)
    assert header["uses_keras"] and header["versions"]["keras"]
    loaded = load_model(path)
    np.testing.assert_allclose(
        loaded.predict_proba(X[1::2]), pipe.predict_proba(X[1::2]), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_array_equal(loaded.predict(X[1::2]), pipe.predict(X[1::2]))
    assert len(loaded.steps[-1][1].history_["loss"]) == 3


# Where sklearn-ser 0.1 defined the classes that have moved since: a model
# file records each class by that module, so these paths must keep resolving.
_MOVED_SINCE_0_1 = {
    "sklearn_ser.features._base.FrameFeatureTransformer": "features",
    "sklearn_ser.features._mfcc.MelSpectrogram": "features",
    "sklearn_ser.features._mfcc.STFT": "features",
    "sklearn_ser.model_selection._split.SpeakerHoldout": "model_selection",
    "sklearn_ser.model_selection._split.SpeakerKFold": "model_selection",
    "sklearn_ser.models._imagenets.AlexNet": "models",
    "sklearn_ser.models._imagenets.MobileNet": "models",
    "sklearn_ser.models._imagenets.ResNet50": "models",
    "sklearn_ser.models._imagenets.SqueezeNet": "models",
    "sklearn_ser.models._sequence.FusionClassifier": "models",
    "sklearn_ser.models._sequence.ViewArray": "models",
    "sklearn_ser.models._sequence.ViewStack": "models",
}


@pytest.mark.parametrize("old", sorted(_MOVED_SINCE_0_1))
def test_classes_resolve_from_their_0_1_modules(old):
    import importlib

    module, _, name = old.rpartition(".")
    public = importlib.import_module(f"sklearn_ser.{_MOVED_SINCE_0_1[old]}")
    assert getattr(importlib.import_module(module), name) is getattr(public, name)


def test_pickle_naming_a_0_1_module_loads():
    # the bytes pickle writes for STFT() under 0.1's layout (protocol 0 names
    # classes as text lines), found through sklearn_ser.features._mfcc's
    # module __getattr__
    import pickle

    from sklearn_ser.features import STFT, _mfcc

    blob = pickle.dumps(STFT(n_fft=256), protocol=0).replace(
        b"sklearn_ser.features._spectrogram", b"sklearn_ser.features._mfcc"
    )
    assert b"features._mfcc" in blob
    est = pickle.loads(blob)
    assert type(est) is STFT and est.n_fft == 256
    with pytest.raises(AttributeError, match="_mfcc.*'Nope'"):
        _mfcc.Nope
