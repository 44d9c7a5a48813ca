"""musicnn in Keras 3 (sklearn_ser.models._musicnn): the network, the
checkpoint reader, the transformer, and what its pre-trained tags say about
real MER music."""

import importlib.util
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_ser.io import OutOfRangeAudioWarning, load_audio
from sklearn_ser.models import (
    MSD_TAGS,
    MTT_TAGS,
    MusicnnFeatures,
    _musicnn,
    build_musicnn,
    build_musicnn_vgg,
    load_musicnn,
)

SR = 16000


@pytest.fixture(scope="module")
def weights(musicnn_weights):
    return musicnn_weights


@pytest.fixture(scope="module")
def quadrant_clips(mer_root):
    """The first 9 s (three patches) of 4 MER clips per quadrant, at 16 kHz."""
    paths = [p for q in "1234" for p in sorted((mer_root / f"Q{q}").glob("*.ogg"))[:4]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)  # loud masters
        waves = [load_audio(p, sr=SR, duration=9.0) for p in paths]
    return paths, waves


def test_network_shapes_without_weights():
    net = build_musicnn(n_frames=120)
    x = np.random.default_rng(0).normal(size=(3, 120, 96)).astype(np.float32)
    tags, penultimate, max_pool, mean_pool = [np.asarray(o) for o in net(x)]
    assert tags.shape == (3, 50) and penultimate.shape == (3, 200)
    assert max_pool.shape == mean_pool.shape == (3, 753)
    assert np.all((tags > 0) & (tags < 1))
    # the back end pools the same 753 channels: max >= mean, channel by channel
    assert np.all(max_pool >= mean_pool - 1e-5)


def test_vgg_network_shapes_without_weights():
    net = build_musicnn_vgg()
    x = np.random.default_rng(0).normal(size=(2, 187, 96)).astype(np.float32)
    tags, penultimate, max_pool, mean_pool = [np.asarray(o) for o in net(x)]
    assert tags.shape == (2, 50) and penultimate.shape == (2, 256)
    assert max_pool.shape == mean_pool.shape == (2, 128)
    assert np.all(max_pool >= mean_pool - 1e-5)


@pytest.mark.parametrize("model", ["MSD_musicnn", "MTT_vgg"])
def test_every_layer_is_read_from_the_checkpoint(weights, model):
    """Each layer with weights holds the checkpoint's tensors, and every
    non-optimizer tensor of the checkpoint lands in some layer."""
    net = load_musicnn(model)
    stored = _musicnn._read_checkpoint(_musicnn._default_weights(model))
    used = set()
    for layer in net.layers:
        for var, value in zip(layer.weights, layer.get_weights()):
            key = f"{layer.name}/{var.name}"
            want = stored[key]
            np.testing.assert_array_equal(value, want.reshape(value.shape))
            used.add(key)
    assert used == set(stored)


def test_vgg_takes_only_three_second_patches():
    with pytest.raises(ValueError, match="exactly 187 frames"):
        load_musicnn("MTT_vgg", n_frames=120)


def test_checkpoint_fills_every_layer(weights):
    """Every trainable layer takes its tensor from the checkpoint (the 1-D
    mid-end convolutions are stored as 2-D kernels of width 1)."""
    import tensorflow as tf

    reader = tf.compat.v1.train.NewCheckpointReader(str(weights) + os.sep)
    net = load_musicnn("MSD_musicnn")
    conv = net.get_layer("conv2d_6").get_weights()[0]
    np.testing.assert_array_equal(
        conv, reader.get_tensor("conv2d_6/kernel")[:, :, 0, :]
    )
    bn = net.get_layer("batch_normalization_9").get_weights()
    np.testing.assert_array_equal(
        bn[2], reader.get_tensor("batch_normalization_9/moving_mean")
    )
    fresh = build_musicnn()
    assert not np.allclose(
        fresh.get_layer("dense_1").get_weights()[0],
        net.get_layer("dense_1").get_weights()[0],
    )


@pytest.mark.parametrize("network", ["musicnn", "vgg"])
def test_tags_describe_real_music(weights, quadrant_clips, network):
    """The pre-trained tags separate MER's quadrants the way their names say:
    'metal' (Million Song Dataset tags) marks the aggressive quadrant Q2, and
    'loud' (MagnaTagATune tags) marks high arousal (Q2) against the sad and
    calm quadrants, for musicnn and for its VGG baseline alike. A mis-read
    checkpoint (a layer's weights in the wrong order) gives tags that do
    neither."""
    _, waves = quadrant_clips
    msd = MusicnnFeatures(
        model=f"MSD_{network}", outputs=("taggram",), pooling="mean"
    ).fit_transform(waves)
    mtt = MusicnnFeatures(
        model=f"MTT_{network}", outputs=("taggram",), pooling="mean"
    ).fit_transform(waves)
    metal = msd[:, MSD_TAGS.index("metal")].reshape(4, 4)  # (quadrant, clip)
    loud = mtt[:, MTT_TAGS.index("loud")].reshape(4, 4)
    q1, q2, q3, q4 = metal
    assert q2.min() > max(q1.max(), q4.max())
    assert q2.mean() > 3 * q3.mean()
    assert loud[1].min() > loud[2:].max()


def test_path_equals_waveform(weights, quadrant_clips):
    paths, _ = quadrant_clips
    feats = MusicnnFeatures(outputs=("taggram", "penultimate"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)
        from_path = feats.fit_transform([str(paths[0])])
        wave = load_audio(paths[0], sr=SR)
    np.testing.assert_allclose(from_path, feats.transform([wave]), rtol=1e-5, atol=1e-5)
    names = feats.get_feature_names_out()
    assert from_path.shape == (1, len(names)) == (1, 2 * (50 + 200))
    assert names[0] == "musicnn_rock_mean" and names[-1] == "musicnn_penultimate199_std"


def test_patches_and_pooling(weights, quadrant_clips):
    """Mean / std over the clip's 187-frame patches, hop_seconds sets the
    step, and a clip shorter than one patch is zero-padded to one."""
    _, waves = quadrant_clips
    wave = waves[4]
    net = load_musicnn("MSD_musicnn")
    S = _musicnn.musicnn_logmel(wave)
    step = int(round(1.0 * SR / 256))
    starts = list(range(0, S.shape[0] - 187 + 1, step))
    assert starts[-1] + 187 < S.shape[0]  # 9 s: the 1-s grid stops short
    starts.append(S.shape[0] - 187)  # so one more patch ends at the clip's end
    patches = np.stack([S[s : s + 187] for s in starts])
    tags = np.asarray(net.predict(patches, verbose=0)[0])
    got = MusicnnFeatures(outputs=("taggram",), hop_seconds=1.0).fit_transform([wave])[
        0
    ]
    np.testing.assert_allclose(got[:50], tags.mean(0), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got[50:], tags.std(0), rtol=1e-3, atol=1e-6)
    short = MusicnnFeatures(outputs=("taggram",)).fit_transform([wave[: SR // 2]])[0]
    assert np.all(np.isfinite(short)) and np.all(
        short[50:] == 0
    )  # one patch: no spread


@pytest.mark.parametrize(
    "params, match",
    [
        ({"sr": 22050}, "sr must be 16000"),
        ({"outputs": ("taggram", "logits")}, "outputs must be distinct names"),
        ({"outputs": ("taggram", "taggram")}, "outputs must be distinct names"),
        ({"outputs": ()}, "outputs must be distinct names"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        MusicnnFeatures(**params).fit([np.zeros(SR, np.float32)])


def test_patches_cover_every_frame():
    """Patches on the hop grid, plus one aligned to the end when the grid
    stops short; none added when it already ends there."""
    S = np.arange(1879 * 96, dtype=np.float32).reshape(1879, 96)  # a 30.06-s clip
    P = _musicnn._patches(S, 187)
    assert P.shape == (11, 187, 96)
    np.testing.assert_array_equal(P[9], S[9 * 187 : 10 * 187])
    np.testing.assert_array_equal(P[-1], S[-187:])
    assert _musicnn._patches(S[:1870], 187).shape == (10, 187, 96)
    short = _musicnn._patches(S[:100], 187)
    assert short.shape == (1, 187, 96) and np.all(short[0, 100:] == 0)


def test_clips_are_embedded_in_bounded_passes(weights, quadrant_clips, monkeypatch):
    """Clips go through the network a few at a time; the result does not
    depend on how many share a pass."""
    _, waves = quadrant_clips
    clips = [w[: 4 * SR] for w in waves[:5]]
    feats = MusicnnFeatures(model="MTT_vgg", outputs=("taggram", "mean_pool"))
    whole = feats.fit_transform(clips)
    monkeypatch.setattr(_musicnn, "_CLIPS_PER_PASS", 2)
    np.testing.assert_allclose(feats.transform(clips), whole, rtol=1e-5, atol=1e-6)


def test_vgg_feature_names(weights, quadrant_clips):
    _, waves = quadrant_clips
    feats = MusicnnFeatures(model="MSD_vgg", outputs=("penultimate", "max_pool"))
    X = feats.fit_transform(waves[:1])
    names = feats.get_feature_names_out()
    assert X.shape == (1, len(names)) == (1, 2 * (256 + 128))
    assert names[0] == "musicnn_vgg_penultimate0_mean"
    assert names[-1] == "musicnn_vgg_max_pool127_std"


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="model"):
        clone(MusicnnFeatures(model="MSD_musicnn_big")).fit([np.zeros(SR, np.float32)])
    with pytest.raises(ValueError, match="MSD_vgg"):
        load_musicnn("MSD_musicnn_big")


def test_missing_weights_name_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_musicnn("MSD_musicnn", weights_path=tmp_path)
    feats = MusicnnFeatures(weights_path=tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="nowhere"):
        feats.fit_transform([np.zeros(SR, np.float32)])


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="pip install --no-deps musicnn"):
        _musicnn._default_weights("MSD_musicnn")


def test_wrong_checkpoint_is_named(weights, tmp_path):
    """A TensorFlow checkpoint of another network, stored the way musicnn's
    are (empty file prefix), is refused as not being a musicnn checkpoint."""
    import tensorflow as tf

    v = tf.Variable(np.zeros((3,), np.float32), name="dense_1/bias")
    ckpt = tf.train.Checkpoint(v=v)
    ckpt.write(str(tmp_path / "x"))
    for f in Path(tmp_path).glob("x*"):
        f.rename(tmp_path / f.name[1:])
    with pytest.raises(ValueError, match="not a MSD_musicnn checkpoint"):
        load_musicnn("MSD_musicnn", weights_path=tmp_path)
