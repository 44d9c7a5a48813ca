"""DilatedCNN, the README's worked example of adding a network."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _netdata import log_mel  # noqa: E402
from sklearn.base import clone, is_classifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from sklearn_ser.models import DilatedCNN, build_dilated_cnn  # noqa: E402


def test_builder_layout_and_errors():
    m = build_dilated_cnn((50, 40), 7, filters=8, dilations=(1, 2))
    assert m.output_shape == (None, 7)
    assert [m.get_layer(f"block{i}_conv").dilation_rate for i in (1, 2)] == [
        (1,),
        (2,),
    ]
    assert m.get_layer("project").filters == 8
    flat = build_dilated_cnn((50, 8, 5), 3, filters=8)
    assert flat.get_layer("as_frames").output.shape[1:] == (50, 40)
    with pytest.raises(ValueError, match=r"Received: dilations\[1\]=0"):
        build_dilated_cnn((50, 40), 7, dilations=(1, 0))
    with pytest.raises(ValueError, match="Received: dropout=1.0"):
        build_dilated_cnn((50, 40), 7, dropout=1.0)
    with pytest.raises(ValueError, match="Received: input_shape=\\(40,\\)"):
        build_dilated_cnn((40,), 7)


def test_hyper_parameters_are_estimator_parameters():
    clf = DilatedCNN(filters=16, dilations=(1, 3), epochs=2)
    assert is_classifier(clf)
    params = clone(clf).get_params()
    assert params["filters"] == 16 and params["dilations"] == (1, 3)
    assert params["epochs"] == 2


@pytest.fixture(scope="module")
def tess_mel(tess_subset):
    """Log-mel frames (280, 94, 40) of 40 TESS files per emotion."""
    _, waves, y = tess_subset
    return log_mel(waves)[:, ::2], y


@pytest.mark.data
def test_learns_tess_log_mel(tess_mel):
    """Held-out accuracy far above chance (1/7) on real TESS speech."""
    X, y = tess_mel
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = DilatedCNN(filters=16, epochs=15, random_state=0).fit(Xtr, ytr)
    loss = clf.history_["loss"]
    assert loss[-1] < 0.5 * loss[0]
    assert clf.score(Xte, yte) > 0.6
