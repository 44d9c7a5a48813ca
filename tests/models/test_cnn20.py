"""CNN20 (S4's 20-layer CNN)."""

import pytest

keras = pytest.importorskip("keras")

from sklearn.model_selection import train_test_split  # noqa: E402

from sklearn_ser.models import CNN20, build_cnn20  # noqa: E402


@pytest.mark.parametrize("shape", [(30,), (16, 8), (16, 16, 3)])
def test_exactly_twenty_layers(shape):
    model = build_cnn20(shape, 3, filters=(2, 3, 4, 5), dense_units=6)
    counted = [
        la
        for la in model.layers
        if not isinstance(la, keras.layers.InputLayer) and la.name != "as_sequence"
    ]
    assert len(counted) == 20
    convs = [la for la in counted if "conv" in la.name]
    assert len(convs) == 8
    assert [c.filters for c in convs] == [2, 2, 3, 3, 4, 4, 5, 5]
    dims = 2 if len(shape) == 3 else 1
    assert all(len(c.kernel_size) == dims for c in convs)
    assert sum(isinstance(la, keras.layers.Dense) for la in counted) == 2
    assert model.output_shape == (None, 3)


def test_builder_errors():
    with pytest.raises(ValueError, match="filters"):
        build_cnn20((16, 8), 2, filters=(2, 3))
    with pytest.raises(ValueError, match="input_shape"):
        build_cnn20((2, 2, 2, 2), 2)
    with pytest.raises(ValueError, match="dropout"):
        build_cnn20((16, 8), 2, dropout=1.0)


@pytest.mark.data
def test_cnn20_learns_tess_log_stft(tess_stft_small):
    X, y = tess_stft_small
    X = X[:, :, :128]  # frames x 0-4 kHz bins
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    # bn_momentum=0.9: with ~100 training steps the default 0.99 moving
    # statistics lag far behind and inference accuracy collapses
    clf = CNN20(
        filters=(8, 8, 16, 16),
        dense_units=32,
        dropout=0.2,
        epochs=15,
        bn_momentum=0.9,
        learning_rate=3e-3,
        random_state=0,
    ).fit(Xtr, ytr)
    assert clf.history_["loss"][-1] < 0.5 * clf.history_["loss"][0]
    assert clf.score(Xte, yte) > 0.6  # chance 1/7
