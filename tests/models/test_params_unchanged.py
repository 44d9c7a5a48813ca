"""No estimator changes its own parameters: not in ``fit``, not in ``clone``."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from sklearn.base import clone  # noqa: E402

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
