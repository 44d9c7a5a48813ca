"""S0's deep autoencoder as a Transformer, on real MFCC statistics."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

pytest.importorskip("keras")

from sklearn_ser import Pipeline  # noqa: E402
from sklearn_ser.features import MFCC, FrameStats  # noqa: E402
from sklearn_ser.models import AutoencoderFeatures, build_autoencoder  # noqa: E402


def _tess_subset(tess_files, n_per_class, seed=0):
    files = np.asarray(tess_files)
    y = np.array([f.rsplit("_", 1)[-1][: -len(".flac")] for f in files])
    rng = np.random.default_rng(seed)
    idx = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == c), n_per_class, replace=False)
            for c in np.unique(y)
        ]
    )
    return files[idx], y[idx]


@pytest.fixture(scope="module")
def tess_subset(tess_files):
    return _tess_subset(tess_files, 30)


@pytest.fixture(scope="module")
def mfcc_stats(tess_subset):
    files, y = tess_subset
    X = Pipeline(
        [MFCC(sr=16000, n_mfcc=40, n_fft=512, hop_length=256), FrameStats()]
    ).fit_transform(files)
    return np.asarray(X, dtype=np.float64), y


def test_builder_mirrors_encoder():
    ae, enc = build_autoencoder(20, encoding_dims=(12, 6))
    dense = [la.units for la in ae.layers if hasattr(la, "units")]
    assert dense == [12, 6, 12, 20]
    assert enc.output_shape == (None, 6)
    assert ae.get_layer("feature_II").output.shape[-1] == 6


def test_validation_split_holds_out_seeded_random_rows():
    from sklearn_ser.models._training import _split_validation

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 6))
    X[40:] += 4.0  # the last rows differ, like the last class of a sorted corpus
    ae = AutoencoderFeatures(
        encoding_dims=(4, 2), epochs=2, validation_split=0.25, random_state=0
    ).fit(X)
    seed = int(np.random.RandomState(0).randint(2**31 - 1))
    _, val = _split_validation(60, 0.25, random_state=seed)
    assert 0 < np.sum(val >= 40) < len(val)  # not just the last rows
    # val_loss is the loss of the final weights on exactly those rows
    Xs = ae._standardise(X[val])
    expected = ae.model_.evaluate(Xs, Xs, batch_size=32, verbose=0)
    assert ae.history_["val_loss"][-1] == pytest.approx(expected, rel=1e-5)


def test_params_validation():
    X = np.random.default_rng(0).normal(size=(10, 4))
    with pytest.raises(ValueError, match="Received: encoding_dims=\\(4, 0\\)"):
        AutoencoderFeatures(encoding_dims=(4, 0)).fit(X)
    with pytest.raises(ValueError, match="Received: epochs=0"):
        AutoencoderFeatures(epochs=0).fit(X)
    with pytest.raises(ValueError, match="4 features"):
        AutoencoderFeatures(encoding_dims=(3, 2), epochs=1).fit(X).transform(
            np.zeros((2, 5))
        )


@pytest.mark.data
def test_reconstruction_improves_and_pickles(mfcc_stats):
    X, _ = mfcc_stats
    short = AutoencoderFeatures(encoding_dims=(32, 16), epochs=1, random_state=0)
    long = clone(short).set_params(epochs=60)
    r2_short = short.fit(X).score(X)
    r2_long = long.fit(X).score(X)
    assert r2_long > r2_short + 0.2, (r2_short, r2_long)
    assert r2_long > 0.6
    assert long.history_["loss"][-1] < 0.5 * long.history_["loss"][0]
    assert long.reconstruction_score(X) == pytest.approx(r2_long)

    Z = long.transform(X)
    assert Z.shape == (len(X), 16) and Z.dtype == np.float32
    assert list(long.get_feature_names_out()[:2]) == ["autoencoder0", "autoencoder1"]
    # decode(encode(x)) == reconstruct(x)
    np.testing.assert_allclose(
        long.inverse_transform(Z), long.reconstruct(X), rtol=1e-4, atol=1e-4
    )

    again = pickle.loads(pickle.dumps(long))
    np.testing.assert_array_equal(again.transform(X), Z)
    assert again.score(X) == pytest.approx(r2_long)


@pytest.mark.data
def test_same_seed_same_features(mfcc_stats):
    X, _ = mfcc_stats
    a = AutoencoderFeatures(encoding_dims=(16, 8), epochs=3, random_state=1).fit(X)
    b = AutoencoderFeatures(encoding_dims=(16, 8), epochs=3, random_state=1).fit(X)
    np.testing.assert_allclose(a.transform(X), b.transform(X), rtol=1e-5, atol=1e-6)


@pytest.mark.data
def test_pipeline_to_svc_beats_chance(tess_subset):
    files, y = tess_subset
    Xtr, Xte, ytr, yte = train_test_split(
        files, y, test_size=0.33, random_state=0, stratify=y
    )
    pipe = Pipeline(
        [
            MFCC(sr=16000, n_mfcc=40, n_fft=512, hop_length=256),
            FrameStats(),
            AutoencoderFeatures(epochs=60, random_state=0),
            SVC(),
        ]
    )
    pipe.fit(Xtr, ytr)
    assert [name for name, _ in pipe.steps] == [
        "mfcc",
        "framestats",
        "autoencoderfeatures",
        "svc",
    ]
    acc = pipe.score(Xte, yte)
    # 7 emotions (chance 0.14), random split over TESS files as in S0
    assert acc > 0.5, acc
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(Xte), pipe.predict(Xte))
