"""S0 image networks: architecture facts and learning on real TESS spectrograms."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import train_test_split

keras = pytest.importorskip("keras")

from sklearn_ser.models import (  # noqa: E402
    AlexNet,
    MobileNet,
    ResNet50,
    SqueezeNet,
    build_alexnet,
    build_mobilenet,
    build_resnet50,
    build_squeezenet,
)

N_PER_CLASS = 40


def _trainable(model):
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


# --------------------------------------------------------------- structure
def test_alexnet_227_layout():
    m = build_alexnet((227, 227, 3), 8)
    convs = [layer for layer in m.layers if isinstance(layer, keras.layers.Conv2D)]
    dense = [layer for layer in m.layers if isinstance(layer, keras.layers.Dense)]
    drops = [layer for layer in m.layers if isinstance(layer, keras.layers.Dropout)]
    assert [c.filters for c in convs] == [96, 256, 384, 384, 256]
    assert [d.units for d in dense] == [4096, 4096, 8]
    assert len(drops) == 2
    assert tuple(m.get_layer("conv1").output.shape[1:]) == (55, 55, 96)
    assert tuple(m.get_layer("pool5").output.shape[1:]) == (6, 6, 256)
    assert m.output_shape == (None, 8)
    # 9216 * 4096 + 4096 * 4096 dominate: ~58M parameters
    assert 57e6 < m.count_params() < 60e6


def test_alexnet_width_multiplier_and_small_input_error():
    m = build_alexnet((64, 64), 7, conv1_strides=2, width_multiplier=0.125)
    assert m.input_shape == (None, 64, 64)
    assert [c.filters for c in m.layers if isinstance(c, keras.layers.Conv2D)] == [
        12,
        32,
        48,
        48,
        32,
    ]
    with pytest.raises(ValueError, match=r"too small.*Received: input_shape=\(64, 64"):
        build_alexnet((64, 64, 3), 7)


@pytest.mark.parametrize("version, n_params", [("1.0", 1_248_424), ("1.1", 1_235_496)])
def test_squeezenet_parameter_count_matches_paper(version, n_params):
    # Iandola et al.: 1.25M (1.0) and 1.24M (1.1) parameters for ImageNet.
    m = build_squeezenet((224, 224, 3), 1000, version=version)
    assert m.count_params() == n_params
    fires = {layer.name.split("_")[0] for layer in m.layers if "fire" in layer.name}
    assert fires == {f"fire{i}" for i in range(2, 10)}


def test_squeezenet_min_size():
    assert build_squeezenet((32, 32, 3), 5).output_shape == (None, 5)
    with pytest.raises(ValueError, match="too small"):
        build_squeezenet((32, 32, 3), 5, version="1.0")
    with pytest.raises(ValueError, match="Received: version='2.0'"):
        build_squeezenet((64, 64, 3), 5, version="2.0")


def test_resnet50_224_has_23_5M_trainable_parameters():
    m = build_resnet50((224, 224, 3), 8)
    assert m.output_shape == (None, 8)
    assert m.get_layer("rescale") is not None
    assert 23.4e6 < _trainable(m) < 23.6e6


def test_applications_min_size_and_bn_momentum():
    with pytest.raises(ValueError, match="at least 32x32"):
        build_mobilenet((16, 16, 3), 3)
    with pytest.raises(ValueError, match="at least 32x32"):
        build_resnet50((31, 40, 3), 3)
    m = build_mobilenet((32, 32), 3, alpha=0.25, bn_momentum=0.9)
    bns = [la for la in m.layers if isinstance(la, keras.layers.BatchNormalization)]
    assert bns and all(b.momentum == 0.9 for b in bns)


@pytest.mark.parametrize("cls", [AlexNet, SqueezeNet, MobileNet, ResNet50])
def test_classifier_params_are_searchable(cls):
    clf = cls(epochs=3)
    assert is_classifier(clf)
    params = clf.get_params()
    for name in cls._hyper_parameters:
        assert name in params
    assert clone(clf).get_params()["epochs"] == 3


# --------------------------------------------------------------- learning
# Chance is 1/7 = 0.14 on TESS. Every bound below sits well under the measured
# accuracy (given next to it) with fixed seeds; the configurations are the CPU
# profiles documented in the classes' docstrings.
def _tess_images(tess_files, per_class, kind):
    from sklearn_ser.features import SpectrogramImage

    files = np.asarray(tess_files)
    y_all = np.array([f.rsplit("_", 1)[-1][: -len(".flac")] for f in files])
    rng = np.random.default_rng(0)
    idx = np.concatenate(
        [
            rng.choice(np.flatnonzero(y_all == c), per_class, replace=False)
            for c in np.unique(y_all)
        ]
    )
    X = SpectrogramImage(
        size=(32, 32), kind=kind, sr=16000, n_fft=512, hop_length=160
    ).fit_transform(files[idx])
    return X, y_all[idx]


@pytest.fixture(scope="module")
def tess_images(tess_files):
    """280 TESS clips (40 per emotion) as 32x32x3 uint8 STFT images."""
    return _tess_images(tess_files, N_PER_CLASS, "stft")


@pytest.fixture(scope="module")
def tess_mel_images(tess_files):
    """840 TESS clips (120 per emotion) as 32x32x3 uint8 mel images.

    The GAP networks (SqueezeNet, MobileNet, ResNet50) memorise 210 training
    images instead of generalising; 630 training images let them learn.
    """
    return _tess_images(tess_files, 3 * N_PER_CLASS, "mel")


def _learns(clf, X, y, min_acc):
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    clf.fit(Xtr, ytr)
    loss = clf.history_["loss"]
    assert np.mean(loss[-3:]) < 0.8 * loss[0], loss
    acc = clf.score(Xte, yte)
    assert acc >= min_acc, (acc, loss)
    return acc


@pytest.mark.data
def test_alexnet_learns_tess_spectrograms(tess_images):
    X, y = tess_images
    assert X.dtype == np.uint8 and X.shape[1:] == (32, 32, 3)
    clf = AlexNet(
        conv1_kernel=3,
        conv1_strides=1,
        width_multiplier=0.125,
        bn_momentum=0.9,
        epochs=15,
        random_state=0,
    )
    # measured 0.84
    _learns(clf, X, y, min_acc=0.6)


@pytest.mark.data
def test_squeezenet_learns_tess_spectrograms(tess_mel_images):
    X, y = tess_mel_images
    assert X.dtype == np.uint8 and X.shape == (840, 32, 32, 3)
    # Linear conv10: with the original ReLU the class scores die on this
    # data (loss stays at ln 7). Measured 0.92 held-out, loss 1.96 -> 0.10
    # (seeds 1 and 2: 0.76 and 0.80; at 15 epochs seed 1 gave only 0.52).
    clf = SqueezeNet(conv10_activation=None, epochs=20, random_state=0)
    _learns(clf, X, y, min_acc=0.5)


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.lean
def test_mobilenet_learns_tess_spectrograms(tess_mel_images):
    X, y = tess_mel_images
    # Full width (alpha=1); BN momentum 0.9 for a few hundred steps.
    # Measured 0.81 held-out, loss 2.60 -> 0.16 (seed 1: 0.84).
    clf = MobileNet(
        bn_momentum=0.9, dropout=0.5, epochs=10, batch_size=16, random_state=0
    )
    _learns(clf, X, y, min_acc=0.5)


@pytest.mark.data
@pytest.mark.slow
def test_resnet50_learns_tess_spectrograms(tess_mel_images):
    X, y = tess_mel_images
    # Measured 0.85 held-out, loss 3.91 -> 0.45.
    clf = ResNet50(bn_momentum=0.9, epochs=5, batch_size=16, random_state=0)
    _learns(clf, X, y, min_acc=0.5)
