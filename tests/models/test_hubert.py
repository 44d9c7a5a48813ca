"""Optional HuBERT features: clear errors without a checkpoint, local loading."""

import importlib.util
import pickle

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from sklearn_ser.models import HuBERTFeatures, load_speech_encoder  # noqa: E402

WAVES = [np.sin(np.linspace(0, 200, n)).astype(np.float32) for n in (1600, 2400)]


def test_no_path_is_a_clear_error():
    with pytest.raises(ValueError, match="never downloads.*Received: model_path=None"):
        HuBERTFeatures().fit(WAVES)


def test_missing_checkpoint_names_the_path(tmp_path):
    path = tmp_path / "hubert-large-ls960-ft"
    with pytest.raises(FileNotFoundError, match="hubert-large-ls960-ft"):
        HuBERTFeatures(model_path=path).fit(WAVES)


def test_unknown_folder_is_rejected(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"0")
    with pytest.raises(FileNotFoundError, match="not a checkpoint"):
        load_speech_encoder(tmp_path)


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is not None,
    reason="transformers is installed",
)
def test_transformers_checkpoint_without_transformers(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ImportError, match="transformers"):
        load_speech_encoder(tmp_path)


@pytest.fixture(scope="module")
def toy_encoder(tmp_path_factory):
    """A stand-in encoder saved as .keras: waveform -> (frames, 4) hidden states."""
    inp = keras.Input(shape=(None,))
    frames = keras.layers.Reshape((-1, 80))(inp)  # 5 ms frames at 16 kHz
    hidden = keras.layers.Dense(4, name="hidden")(frames)
    model = keras.Model(inp, hidden)
    path = tmp_path_factory.mktemp("enc") / "toy.keras"
    model.save(path)
    return path, model


@pytest.mark.parametrize("pooling, dim", [("mean", 4), ("max", 4), ("mean_std", 8)])
def test_local_keras_encoder_pools_hidden_states(toy_encoder, pooling, dim):
    path, model = toy_encoder
    feats = HuBERTFeatures(model_path=path, pooling=pooling).fit(WAVES)
    E = feats.transform(WAVES)
    assert E.shape == (2, dim) and E.dtype == np.float32
    h = np.asarray(model(WAVES[1][None, :]))[0]
    ref = {"mean": h.mean(0), "max": h.max(0), "mean_std": np.r_[h.mean(0), h.std(0)]}[
        pooling
    ]
    np.testing.assert_allclose(E[1], ref, rtol=1e-5, atol=1e-6)
    assert list(feats.get_feature_names_out()) == [f"hubert{i}" for i in range(dim)]
    again = pickle.loads(pickle.dumps(feats))
    np.testing.assert_allclose(again.transform(WAVES), E, rtol=1e-6)


def test_bad_layer_and_pooling(toy_encoder):
    path, _ = toy_encoder
    with pytest.raises(ValueError, match="Received: layer=3"):
        HuBERTFeatures(model_path=path, layer=3).fit(WAVES)
    with pytest.raises(ValueError, match="Received: pooling='median'"):
        HuBERTFeatures(model_path=path, pooling="median").fit(WAVES)
