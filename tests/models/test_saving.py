"""save_model leaves the optimiser state out by default; predictions stay identical."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklearn_ser import Pipeline, load_model, save_model  # noqa: E402
from sklearn_ser.datasets import load_sample  # noqa: E402
from sklearn_ser.features import MFCC, FrameStats  # noqa: E402
from sklearn_ser.models import AutoencoderFeatures, DenseClassifier  # noqa: E402


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    b = load_sample()
    X, y = np.asarray(b.filenames, dtype=object), np.asarray(b.target)
    pipe = Pipeline(
        [
            MFCC(sr=16000, n_mfcc=20),
            FrameStats(),
            StandardScaler(),
            AutoencoderFeatures(encoding_dims=(16,), epochs=2, random_state=0),
            DenseClassifier(
                hidden_layer_sizes=(64,), epochs=3, batch_size=16, random_state=0
            ),
        ]
    ).fit(X[::2], y[::2])
    return pipe, X[1::2]


def test_default_file_has_no_optimizer_state_and_predicts_identically(
    fitted, tmp_path
):
    pipe, X_test = fitted
    slim, full = tmp_path / "slim.joblib", tmp_path / "full.joblib"
    h_slim = save_model(pipe, slim)
    h_full = save_model(pipe, full, include_optimizer=True)
    assert h_slim["include_optimizer"] is False and h_full["include_optimizer"]
    # Adam's two moments per weight are most of a trained network's file
    assert slim.stat().st_size < 0.75 * full.stat().st_size
    expected = pipe.predict_proba(X_test)
    for path in (slim, full):
        loaded = load_model(path)
        np.testing.assert_array_equal(loaded.predict_proba(X_test), expected)
        np.testing.assert_array_equal(loaded.predict(X_test), pipe.predict(X_test))
    # the fitted pipeline itself is untouched by saving
    np.testing.assert_array_equal(pipe.predict_proba(X_test), expected)


def test_optimizer_state_kept_only_on_request(fitted, tmp_path):
    pipe, _ = fitted
    steps = int(pipe.steps[-1][1].model_.optimizer.iterations.numpy())
    assert steps > 0
    save_model(pipe, tmp_path / "slim.joblib")
    save_model(pipe, tmp_path / "full.joblib", include_optimizer=True)
    slim = load_model(tmp_path / "slim.joblib").steps[-1][1].model_
    full = load_model(tmp_path / "full.joblib").steps[-1][1].model_
    assert int(full.optimizer.iterations.numpy()) == steps
    assert int(slim.optimizer.iterations.numpy()) == 0
    # the fresh optimiser has the saved settings (loss, learning rate)
    assert type(slim.optimizer) is type(full.optimizer)
    assert float(slim.optimizer.learning_rate) == pytest.approx(
        float(full.optimizer.learning_rate)
    )
