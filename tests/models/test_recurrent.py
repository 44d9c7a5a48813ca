"""LSTMClassifier (S3/S4 presets) and DenseClassifier (S3)."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from sklearn.model_selection import train_test_split  # noqa: E402

from sklearn_ser.models import (  # noqa: E402
    LSTM_PRESETS,
    DenseClassifier,
    LSTMClassifier,
    build_dense,
    build_lstm,
)


def _layers(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


@pytest.mark.parametrize(
    "preset, units, dropout",
    [
        ("baseline", [128], []),
        ("1280", [1280], []),
        ("2x1024", [1024, 1024], [0.5, 0.5]),
        ("128-64-64-128", [128, 64, 64, 128], [0.5, 0.8, 0.8, 0.5]),
    ],
)
def test_presets_build_the_papers_stacks(preset, units, dropout):
    X = np.zeros((4, 5, 3), np.float32)
    clf = LSTMClassifier(preset=preset).initialize(X, ["a", "b", "c", "a"])
    lstms = _layers(clf.model_, keras.layers.LSTM)
    assert [layer.units for layer in lstms] == units
    assert [
        layer.rate for layer in _layers(clf.model_, keras.layers.Dropout)
    ] == dropout
    # all but the last LSTM return sequences
    assert [layer.return_sequences for layer in lstms] == [True] * (len(units) - 1) + [
        False
    ]
    assert clf.model_.output_shape == (None, 3)
    assert set(LSTM_PRESETS) == {"baseline", "1280", "2x1024", "128-64-64-128"}


def test_explicit_units_override_preset_and_errors():
    X = np.zeros((4, 5, 3), np.float32)
    clf = LSTMClassifier(preset="2x1024", units=(6, 4), dropout=0.25)
    clf.initialize(X, [0, 1, 0, 1])
    assert [la.units for la in _layers(clf.model_, keras.layers.LSTM)] == [6, 4]
    assert [la.rate for la in _layers(clf.model_, keras.layers.Dropout)] == [0.25] * 2
    with pytest.raises(ValueError, match="preset"):
        LSTMClassifier(preset="huge").initialize(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="dropout"):
        build_lstm((5, 3), 2, units=(4, 4), dropout=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="dropout"):
        build_lstm((5, 3), 2, units=(4,), dropout=1.5)
    with pytest.raises(ValueError, match="units"):
        LSTMClassifier(preset=None).initialize(X, [0, 1, 0, 1])


def test_vector_input_as_step_or_sequence():
    assert build_lstm((12,), 3, units=(4,)).get_layer("lstm_1").input.shape[1:] == (
        1,
        12,
    )
    assert build_lstm((12,), 3, units=(4,), vector_as="sequence").get_layer(
        "lstm_1"
    ).input.shape[1:] == (12, 1)
    assert build_lstm((6, 4, 2), 3, units=(4,)).get_layer("lstm_1").input.shape[1:] == (
        6,
        8,
    )


def test_dense_builder_flattens_any_rank():
    m = build_dense((6, 4, 2), 3, hidden_layer_sizes=(7, 5), dropout=(0.1, 0.0))
    assert [la.units for la in _layers(m, keras.layers.Dense)] == [7, 5, 3]
    assert [la.rate for la in _layers(m, keras.layers.Dropout)] == [0.1]
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        build_dense((4,), 2, hidden_layer_sizes=(0,))


@pytest.mark.data
def test_lstm_learns_ravdess_log_mel(ravdess_mel_small):
    """LSTM on RAVDESS log-mel frames (4 emotions): above chance on held-out."""
    X, y, _ = ravdess_mel_small
    X = X[:, ::2]  # 94 frames of 40 log-mels
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = LSTMClassifier(
        units=(32,), epochs=25, batch_size=32, learning_rate=3e-3, random_state=0
    ).fit(Xtr, ytr)
    loss = clf.history_["loss"]
    assert loss[-1] < 0.8 * loss[0]
    assert clf.score(Xte, yte) > 0.45  # chance 0.25


@pytest.mark.data
def test_dense_learns_tess_frame_stats(tess_stft_small):
    """Dense net on mean/std-pooled log-STFT of 280 TESS files."""
    X, y = tess_stft_small
    feats = np.concatenate([X.mean(axis=1), X.std(axis=1)], axis=1)
    Xtr, Xte, ytr, yte = train_test_split(
        feats, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = DenseClassifier(
        hidden_layer_sizes=(64,), dropout=0.2, epochs=30, random_state=0
    ).fit(Xtr, ytr)
    assert clf.history_["loss"][-1] < 0.5 * clf.history_["loss"][0]
    assert clf.score(Xte, yte) > 0.6  # chance 1/7
