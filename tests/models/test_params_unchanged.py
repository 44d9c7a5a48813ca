"""No estimator changes its own parameters: not in ``fit``, not in ``clone``."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from sklearn.base import clone  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from sklearn_ser.models import (  # noqa: E402
    DenseClassifier,
    FusionClassifier,
    flatten_views,
)

SMALL = dict(
    head="maxpool",
    conv_filters=4,
    n_conv=1,
    linear_units=8,
    fusion_units=8,
    dense_units=(8,),
    epochs=1,
    batch_size=16,
    random_state=0,
)


def _flatten(X):
    return X.reshape(len(X), -1)


def _same_params(before, after):
    assert before.keys() == after.keys()
    for name, value in before.items():
        # identity: the very object the user passed is kept, not a rewrite
        assert after[name] is value, name


@pytest.fixture(scope="module")
def views():
    rng = np.random.default_rng(0)
    y = np.repeat(["a", "b"], 20)
    seq = rng.normal(size=(40, 3, 4, 4)).astype("float32")
    seq[y == "b"] += 1.0
    flat = rng.normal(size=(40, 5)).astype("float32")
    return seq, flat, y


class _ParamsDuringFit(keras.callbacks.Callback):
    """Records the estimator's parameters while Keras trains."""

    def __init__(self, estimator):
        super().__init__()
        self.estimator = estimator
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(self.estimator.get_params(deep=False))


class _ParamsDuringClone(keras.callbacks.Callback):
    """A parameter value that records ``owner``'s init_from while cloned."""

    owner = None
    seen = []

    def __deepcopy__(self, memo):
        _ParamsDuringClone.seen.append(self.owner.init_from)
        return self


def test_fusion_fit_keeps_validation_data_parameter(views):
    seq, flat, y = views
    # validation X given as a tuple of views: fit flattens a local copy
    validation_data = ((seq[:8], flat[:8]), y[:8])
    spy = _ParamsDuringFit(None)
    clf = FusionClassifier(validation_data=validation_data, callbacks=[spy], **SMALL)
    spy.estimator = clf
    before = clf.get_params(deep=False)
    clf.fit((seq, flat), y)
    _same_params(before, clf.get_params(deep=False))
    assert spy.seen and all(p["validation_data"] is validation_data for p in spy.seen)
    assert clf.validation_data is validation_data
    assert isinstance(clf.validation_data[0], tuple)
    assert "val_loss" in clf.history_
    # and it is used: the same flattened validation data gives the same loss
    ref = FusionClassifier(
        validation_data=(flatten_views((seq[:8], flat[:8])), y[:8]), **SMALL
    ).fit((seq, flat), y)
    np.testing.assert_allclose(clf.history_["val_loss"], ref.history_["val_loss"])


def test_clone_keeps_init_from_by_reference_without_touching_the_original():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 6)).astype("float32")
    y = np.repeat(["a", "b", "c"], 10)
    source = DenseClassifier(
        hidden_layer_sizes=(4,), epochs=1, random_state=0
    ).fit(X, y)
    spy = _ParamsDuringClone()
    target = DenseClassifier(
        hidden_layer_sizes=(4,), epochs=1, init_from=source, callbacks=[spy]
    )
    spy.owner = target
    before = target.get_params(deep=False)
    twin = clone(target)
    _same_params(before, target.get_params(deep=False))
    # while the other parameters were being cloned, init_from stayed in place
    assert _ParamsDuringClone.seen == [source]
    assert twin.init_from is source and twin is not target
    assert twin.get_params(deep=False).keys() == before.keys()
    # the fitted source survives: its weights are still there to transfer
    twin.fit(X, y)
    assert twin.transferred_layers_ == ["dense_1", "output"]
    _same_params(before, target.get_params(deep=False))


# ------------------------------------------- every estimator, after a real fit
def _cases():
    """(estimator factory, X, y) for every public estimator of sklearn_ser.models."""
    from sklearn_ser import models as m

    rng = np.random.default_rng(0)
    y = np.repeat(["a", "b", "c"], 8)

    def x(*shape):
        X = rng.normal(size=(24, *shape)).astype("float32")
        X[y == "b"] += 1.0
        return X

    fit = dict(epochs=1, batch_size=24, random_state=0)
    seq, flat = x(3, 4, 4), x(5)
    waves = [np.sin(np.linspace(0, 200, n)).astype("float32") for n in (800, 1600)]
    return {
        "DenseClassifier": (
            lambda: m.DenseClassifier(hidden_layer_sizes=[4], **fit),
            x(6),
            y,
        ),
        "LSTMClassifier": (
            lambda: m.LSTMClassifier(units=[4], dropout=[0.1], **fit),
            x(5, 3),
            y,
        ),
        "CNN20": (lambda: m.CNN20(filters=[2] * 4, dense_units=4, **fit), x(8, 3), y),
        "DilatedCNN": (
            lambda: m.DilatedCNN(filters=4, dilations=[1, 2], **fit),
            x(8, 3),
            y,
        ),
        "CRNN": (
            lambda: m.CRNN(
                conv_filters=[4],
                pool_size=[2, 2],
                rnn_units=4,
                attention_units=4,
                dense_units=4,
                spec_augment=True,
                mixup_alpha=0.2,
                validation_data=(x(16, 8)[:6], y[:6]),
                **fit,
            ),
            x(16, 8),
            y,
        ),
        "EmotionUnet": (
            lambda: m.EmotionUnet(
                **{f"filters_{i}": 2 for i in range(1, 7)},
                dense_units=4,
                reduce_lr_patience=1,
                validation_split=0.5,
                **fit,
            ),
            x(8, 5),
            y,
        ),
        "SequenceCNN": (
            lambda: m.SequenceCNN(
                head="transformer",
                conv_filters=2,
                n_conv=1,
                linear_units=4,
                embed_dim=4,
                ff_dim=4,
                num_heads=2,
                dense_units=[4],
                class_weight="balanced",
                **fit,
            ),
            seq,
            y,
        ),
        "FusionClassifier": (
            lambda: m.FusionClassifier(
                view_shapes=[[3, 4, 4], [5]],
                conv_filters=2,
                n_conv=1,
                linear_units=4,
                fusion_units=4,
                dense_units=[4],
                **fit,
            ),
            np.asarray(m.flatten_views((seq, flat))),
            y,
        ),
        "AlexNet": (
            lambda: m.AlexNet(
                filters=[2] * 5,
                dense_units=[4, 4],
                conv1_kernel=3,
                conv1_strides=1,
                **fit,
            ),
            x(32, 32),
            y,
        ),
        "SqueezeNet": (
            lambda: m.SqueezeNet(width_multiplier=0.05, **fit),
            x(32, 32),
            y,
        ),
        "MobileNet": (lambda: m.MobileNet(alpha=0.25, **fit), x(32, 32, 3), y),
        "ResNet50": (lambda: m.ResNet50(bn_momentum=0.9, **fit), x(32, 32, 3), y),
        "AutoencoderFeatures": (
            lambda: m.AutoencoderFeatures(
                encoding_dims=[4, 2], validation_split=0.25, epochs=1, random_state=0
            ),
            x(6),
            None,
        ),
        "HuBERTFeatures": (None, waves, None),  # needs a checkpoint, see below
        # fit only validates (the weights are read at transform)
        "MusicnnFeatures": (
            lambda: m.MusicnnFeatures(outputs=("taggram", "max_pool"), hop_seconds=1.5),
            waves,
            None,
        ),
        "CropAverageClassifier": (
            lambda: m.CropAverageClassifier(
                make_pipeline(
                    FunctionTransformer(_flatten), LogisticRegression(C=0.5)
                ),
                crop_frames=4,
                n_train_crops=2,
                n_test_crops=3,
                random_state=0,
            ),
            x(16, 8),
            y,
        ),
    }


_CASES = _cases()


@pytest.fixture(scope="module")
def toy_encoder_path(tmp_path_factory):
    inp = keras.Input(shape=(None,))
    hidden = keras.layers.Dense(4)(keras.layers.Reshape((-1, 80))(inp))
    path = tmp_path_factory.mktemp("enc") / "toy.keras"
    keras.Model(inp, hidden).save(path)
    return path


def test_every_public_estimator_is_checked():
    from sklearn.base import BaseEstimator

    from sklearn_ser import models

    public = {
        name
        for name in models.__all__
        if isinstance(getattr(models, name), type)
        and issubclass(getattr(models, name), BaseEstimator)
    }
    # the abstract base and the data plumbing (a FeatureUnion) are no networks
    assert public - {"BaseSERClassifier", "ViewStack"} == set(_CASES)


# keras.applications' MobileNet and ResNet50 take a minute each to build and
# train even at 32x32; they share the base class with the others
_SLOW = {"MobileNet", "ResNet50"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.slow) if n in _SLOW else n
        for n in sorted(_CASES)
    ],
)
def test_fit_and_clone_leave_parameters_unchanged(name, toy_encoder_path):
    """scikit-learn's check_estimators_overwrite_params, on each network's input."""
    import joblib

    make, X, y = _CASES[name]
    if name == "HuBERTFeatures":
        from sklearn_ser.models import HuBERTFeatures

        def make():
            return HuBERTFeatures(model_path=toy_encoder_path, pooling="mean_std")

    est = make()
    before = est.get_params(deep=False)
    hashes = {k: joblib.hash(v) for k, v in before.items()}
    clone(est)
    est.fit(X) if y is None else est.fit(X, y)
    clone(est)
    after = est.get_params(deep=False)
    _same_params(before, after)
    # nothing inside a parameter (a list, a tuple of arrays) was changed in place
    assert {k: joblib.hash(v) for k, v in after.items()} == hashes
