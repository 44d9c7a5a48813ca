"""CRNN, SpecAugment, attention pooling and mixup: training-only by construction."""

import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier

from sklearn_ser.models import (
    CRNN,
    AttentionPooling,
    MixupBatches,
    SpecAugment,
    build_crnn,
    transfer_weights,
)


@pytest.fixture(scope="module")
def spectra():
    """(40, 48, 16) float32 'spectrograms' whose class sets a band's level."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.array(["a", "b", "c", "d"]), 10)
    X = rng.normal(size=(40, 48, 16)).astype(np.float32)
    for k, c in enumerate("abcd"):
        X[y == c, :, 4 * k : 4 * k + 4] += 1.5
    return X, y


def _tiny(**kw):
    params = dict(
        conv_filters=(4, 8), rnn_units=8, attention_units=8, dense_units=8,
        epochs=2, batch_size=16, random_state=0, run_eagerly=True,
    )
    params.update(kw)
    return CRNN(**params)


@pytest.fixture(scope="module")
def fitted(spectra):
    """Tiny CRNNs fitted on ``spectra``: without and with SpecAugment."""
    X, y = spectra
    return {"plain": _tiny().fit(X, y), "specaug": _tiny(spec_augment=True).fit(X, y)}


# ------------------------------------------------------------------ SpecAugment
def test_spec_augment_is_identity_outside_training():
    x = np.random.default_rng(0).normal(size=(3, 50, 20)).astype(np.float32)
    layer = SpecAugment(freq_mask_width=5, time_mask_width=10, seed=1)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)


def test_spec_augment_masks_bands_in_training():
    x = np.ones((64, 50, 20), dtype=np.float32)
    layer = SpecAugment(
        freq_mask_width=5, time_mask_width=10, n_freq_masks=1, n_time_masks=1,
        seed=1,
    )
    out = np.asarray(layer(x, training=True))
    zero = out == 0.0
    assert zero.any() and not zero.all()
    for m in zero:
        rows = np.flatnonzero(m.all(axis=1))  # masked frames (whole rows)
        cols = np.flatnonzero(m.all(axis=0))  # masked bands (whole columns)
        assert rows.size <= 10 and cols.size <= 5
        # every zero lies in a masked row or column, bands are contiguous
        assert np.array_equal(m, m.all(axis=1, keepdims=True) | m.all(axis=0, keepdims=True))
        for idx in (rows, cols):
            if idx.size:
                assert idx[-1] - idx[0] + 1 == idx.size
    # seeded: a new layer with the same seed draws the same masks
    again = SpecAugment(
        freq_mask_width=5, time_mask_width=10, n_freq_masks=1, n_time_masks=1,
        seed=1,
    )
    np.testing.assert_array_equal(np.asarray(again(x, training=True)), out)


def test_spec_augment_rejects_bad_widths():
    with pytest.raises(ValueError, match="Received: time_mask_width=-1"):
        SpecAugment(time_mask_width=-1)


# -------------------------------------------------------------- attention pool
def test_attention_pooling_is_a_convex_combination_over_time():
    x = np.random.default_rng(0).normal(size=(2, 7, 5)).astype(np.float32)
    const = np.repeat(x[:, :1], 7, axis=1)
    layer = AttentionPooling(4)
    np.testing.assert_allclose(np.asarray(layer(const)), x[:, 0], rtol=1e-5, atol=1e-6)
    out = np.asarray(layer(x))
    assert np.all(out <= x.max(axis=1) + 1e-6) and np.all(out >= x.min(axis=1) - 1e-6)


# --------------------------------------------------------------------- mixup
def test_mixup_batches_mix_inputs_targets_and_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6, 3)).astype(np.float32)
    y = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 20)]
    w = rng.uniform(0.5, 2.0, 20).astype(np.float32)
    data = MixupBatches(X, y, w, batch_size=8, alpha=0.4, seed=0)
    assert len(data) == 3
    xb, yb, wb = data[0]
    np.testing.assert_allclose(yb.sum(axis=1), 1.0, rtol=1e-6)
    assert not np.allclose(xb, X[data._order[:8]])  # inputs are mixed
    assert (yb.max(axis=1) < 1.0).any()  # soft targets
    # each mixed target is a mix of two of the batch's one-hot targets
    assert np.all((yb > 0).sum(axis=1) <= 2)
    assert wb.min() >= w.min() - 1e-6 and wb.max() <= w.max() + 1e-6
    # draws depend on (seed, epoch, batch): repeatable, and new each epoch
    again = MixupBatches(X, y, w, batch_size=8, alpha=0.4, seed=0)
    np.testing.assert_array_equal(again[0][0], xb)
    data.on_epoch_end()
    assert not np.array_equal(data[0][0], xb)


# ---------------------------------------------------------------------- CRNN
def test_build_crnn_layers_and_errors():
    model = build_crnn((48, 16), 4, conv_filters=(4, 8), rnn_units=8, spec_augment=True)
    names = {layer.name for layer in model.layers}
    assert {"utterance_norm", "spec_augment", "conv1", "conv2", "rnn",
            "attention_pool", "output"} <= names
    assert model.output_shape == (None, 4)
    cnn = build_crnn((48, 16, 1), 3, conv_filters=(4,), rnn_units=0)
    assert "rnn" not in {layer.name for layer in cnn.layers}
    with pytest.raises(ValueError, match="input_shape"):
        build_crnn((48,), 4)
    with pytest.raises(ValueError, match="leave nothing"):
        build_crnn((6, 16), 4, conv_filters=(4, 4, 4))


def test_utterance_norm_removes_a_per_utterance_offset():
    model = build_crnn((48, 16), 3, conv_filters=(4,), rnn_units=0)
    norm = keras.Model(model.input, model.get_layer("utterance_norm").output)
    x = np.random.default_rng(0).normal(size=(2, 48, 16)).astype(np.float32)
    shifted = x + np.float32(7.0)  # e.g. a louder recording, in dB
    np.testing.assert_allclose(
        np.asarray(norm(shifted)), np.asarray(norm(x)), atol=1e-4
    )


def test_crnn_is_a_classifier_with_explicit_params(spectra):
    clf = CRNN(rnn_units=32, spec_augment=True, mixup_alpha=0.2)
    assert is_classifier(clf)
    params = clone(clf).get_params()
    assert params["rnn_units"] == 32 and params["mixup_alpha"] == 0.2
    assert params["class_weight"] == "balanced"


def test_spec_augment_changes_training_not_prediction(spectra, fitted):
    """Same weights with and without the SpecAugment layer: bit-identical predictions."""
    X, _ = spectra
    clf = fitted["specaug"]
    plain = build_crnn(X.shape[1:], 4, conv_filters=(4, 8), rnn_units=8,
                       attention_units=8, dense_units=8, spec_augment=False)
    copied = transfer_weights(clf.model_, plain)
    assert len(copied) == len([lyr for lyr in plain.layers if lyr.weights])
    np.testing.assert_array_equal(
        np.asarray(clf.model_(X, training=False)),
        np.asarray(plain(X, training=False)),
    )
    np.testing.assert_allclose(
        clf.predict_proba(X), np.asarray(plain(X, training=False)), rtol=1e-5
    )
    # and training did see masked inputs: the losses differ from a run without
    assert clf.history_["loss"] != fitted["plain"].history_["loss"]


def test_mixup_training_is_seeded_and_leaves_validation_alone(spectra, fitted):
    X, y = spectra
    val = (X[:8], y[:8])
    a = _tiny(mixup_alpha=0.4, validation_data=val).fit(X, y)
    b = _tiny(mixup_alpha=0.4, validation_data=val).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.history_["loss"] == b.history_["loss"]
    # validation loss is the model's plain loss on the unmixed validation data
    y_val = a.target_encoder_.transform(val[1])
    p = np.clip(a.model_.predict(val[0], verbose=0), 1e-7, 1.0)
    ce = float(np.mean(-np.sum(y_val * np.log(p), axis=1)))
    assert a.history_["val_loss"][-1] == pytest.approx(ce, rel=1e-3)
    assert a.history_["loss"] != fitted["plain"].history_["loss"]
    # mixed batches cannot be split
    with pytest.raises(ValueError, match="validation_split"):
        _tiny(mixup_alpha=0.2, validation_split=0.2).fit(X, y)


def test_crnn_pickles_and_transfers(spectra, fitted):
    X, y = spectra
    clf = fitted["specaug"]
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    # pre-training on other classes: everything but the output layer transfers
    tuned = _tiny(init_from=clf, epochs=1).fit(X[:30], y[:30])
    assert "conv1" in tuned.transferred_layers_ and "rnn" in tuned.transferred_layers_
    assert "output" not in tuned.transferred_layers_


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.lean
def test_crnn_learns_on_unseen_ravdess_actors(ravdess_mel_small):
    """4 emotions, EmoBox fold 1's test actors held out: well above chance."""
    X, y, groups = ravdess_mel_small
    X = X[:, ::2]
    test = np.isin(groups, (1, 11, 20, 21))
    clf = CRNN(
        conv_filters=(8, 16), rnn_units=16, attention_units=16, dense_units=16,
        epochs=12, batch_size=32, learning_rate=3e-3, random_state=0,
    ).fit(X[~test], y[~test])
    assert clf.history_["loss"][-1] < 0.8 * clf.history_["loss"][0]
    from sklearn.metrics import balanced_accuracy_score

    assert balanced_accuracy_score(y[test], clf.predict(X[test])) > 0.45  # chance 0.25


def test_augmented_crnn_pipeline_on_the_shipped_sample():
    """Paths -> waveform augmentation (fit only) -> log-Mel -> CRNN, end to end."""
    from sklearn_ser import make_pipeline
    from sklearn_ser.augment import AugmentedClassifier, WaveformAugmenter
    from sklearn_ser.datasets import load_sample
    from sklearn_ser.features import LMFB

    bunch = load_sample()
    X, y, g = list(bunch.data[:32]), bunch.target[:32], bunch.groups[:32]
    pipe = make_pipeline(
        LMFB(n_mels=16, hop_length=640, win_length=640, n_fft=1024, window="hann",
             convention="librosa", duration=1.0),
        _tiny(epochs=1, conv_filters=(4,), spec_augment=True, mixup_alpha=0.2),
    )
    clf = AugmentedClassifier(pipe, WaveformAugmenter(pitch_semitones=None, random_state=0))
    clf.fit(X, y, groups=g)
    assert clf.n_train_ == 64
    proba = clf.predict_proba(X)
    assert proba.shape == (32, len(clf.classes_))
    np.testing.assert_array_equal(proba, clf.estimator_.predict_proba(X))
