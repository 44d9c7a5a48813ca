"""S1: CNN + sequence heads, and two-view fusion inside Pipeline and CV."""

import pickle

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

keras = pytest.importorskip("keras")

from sklearn_ser import Pipeline  # noqa: E402
from sklearn_ser.features import MFCC, FrameStats, SlidingWindows  # noqa: E402
from sklearn_ser.models import (  # noqa: E402
    FusionClassifier,
    SequenceCNN,
    ViewArray,
    ViewStack,
    build_fusion,
    build_sequence_cnn,
    flatten_views,
)

HEADS = ["gru", "lstm", "transformer", "maxpool"]
SMALL = dict(
    conv_filters=8,
    linear_units=32,
    gru_units=32,
    lstm_units=32,
    embed_dim=32,
    ff_dim=32,
    dense_units=(32, 16),
)


# --------------------------------------------------------------- builders
@pytest.mark.parametrize("head", HEADS)
def test_sequence_cnn_s1_layout(head):
    m = build_sequence_cnn((9, 40, 40), 6, head=head)
    assert m.output_shape == (None, 6)
    convs = [la for la in m.layers if la.name.startswith("conv")]
    assert len(convs) == 3 and all(c.layer.filters == 32 for c in convs)
    # three 2x2 max-pools: 40 -> 5, flattened 5 * 5 * 32 per step
    assert tuple(m.get_layer("flatten").output.shape[1:]) == (9, 800)
    assert [la.units for la in m.layers if la.name.startswith("dense")] == [128, 64]
    expected_head = {
        "gru": "gru",
        "lstm": "lstm",
        "transformer": "transformer_mha",
        "maxpool": "time_maxpool",
    }
    assert m.get_layer(expected_head[head]) is not None
    if head in ("gru", "lstm"):
        assert m.get_layer(head).units == 128


def test_sequence_cnn_errors():
    with pytest.raises(ValueError, match="Received: head='rnn'"):
        build_sequence_cnn((9, 40, 40), 6, head="rnn")
    with pytest.raises(ValueError, match="divisible"):
        build_sequence_cnn((9, 40, 40), 6, head="transformer", num_heads=5)
    with pytest.raises(ValueError, match="too small"):
        build_sequence_cnn((9, 4, 4), 6, n_conv=3)


def test_fusion_builder_slices_views():
    shapes = [(5, 16, 16), (12,)]
    m = build_fusion((5 * 256 + 12,), 4, view_shapes=shapes, head="maxpool", **SMALL)
    assert m.output_shape == (None, 4)
    assert m.get_layer("view0_reshape").output.shape[1:] == (5, 16, 16)
    assert m.get_layer("fusion_linear").units == 128
    with pytest.raises(ValueError, match="total size"):
        build_fusion((10,), 4, view_shapes=shapes)


def test_view_array_survives_row_indexing_and_pickle():
    a, b = np.ones((6, 2, 3)), np.zeros((6, 4))
    X = flatten_views((a, b))
    assert isinstance(X, ViewArray) and X.shape == (6, 10)
    assert X.view_shapes == [(2, 3), (4,)]
    assert X[[0, 2]].view_shapes == [(2, 3), (4,)]
    assert pickle.loads(pickle.dumps(X)).view_shapes == [(2, 3), (4,)]
    np.testing.assert_array_equal(X[:, :6].reshape(6, 2, 3), a)


def test_fusion_requires_view_shapes():
    clf = FusionClassifier(epochs=1)
    assert is_classifier(clf)
    with pytest.raises(ValueError, match="view_shapes=None"):
        clf.fit(np.zeros((4, 10)), [0, 1, 0, 1])


# --------------------------------------------------------------- learning
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


def _mfcc(**kw):
    # TESS clips are ~2 s: 16 kHz, hop 256 -> 125 frames = 5 windows of 40
    return MFCC(sr=16000, n_mfcc=40, n_fft=512, hop_length=256, max_frames=120, **kw)


@pytest.fixture(scope="module")
def tess_windows(tess_files):
    files, y = _tess_subset(tess_files, 30)
    X = Pipeline([_mfcc(), SlidingWindows()]).fit_transform(files)
    return np.asarray(X, dtype=np.float32), y, files


@pytest.mark.data
@pytest.mark.parametrize(
    "head",
    ["gru", pytest.param("transformer", marks=[pytest.mark.slow, pytest.mark.lean])],
)
def test_sequence_cnn_learns_tess(tess_windows, head):
    X, y, _ = tess_windows
    assert X.shape[1:] == (5, 40, 40)
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    clf = SequenceCNN(head=head, learning_rate=1e-3, epochs=12, random_state=0, **SMALL)
    clf.fit(Xtr, ytr)
    loss = clf.history_["loss"]
    assert np.mean(loss[-3:]) < 0.7 * loss[0], loss
    assert clf.score(Xte, yte) > 0.5  # chance 1/7


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize("head", ["lstm", "maxpool"])
def test_sequence_cnn_learns_tess_other_heads(tess_windows, head):
    X, y, _ = tess_windows
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    clf = SequenceCNN(
        head=head, learning_rate=1e-3, epochs=12, random_state=0, **SMALL
    ).fit(Xtr, ytr)
    assert clf.history_["loss"][-1] < 0.7 * clf.history_["loss"][0]
    assert clf.score(Xte, yte) > 0.5


@pytest.mark.data
def test_fusion_cross_validates_view_array(tess_windows):
    X, y, _ = tess_windows
    stats = np.concatenate([X.mean(axis=(1, 2)), X.std(axis=(1, 2))], axis=1)
    Xv = flatten_views((X, stats))
    clf = FusionClassifier(
        head="maxpool", learning_rate=1e-3, epochs=8, random_state=0, **SMALL
    )
    # cross_val_score indexes the ViewArray by rows; the shapes travel along
    scores = cross_val_score(
        clf, Xv, y, cv=StratifiedKFold(3, shuffle=True, random_state=0)
    )
    assert scores.min() > 0.4, scores  # chance 1/7


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.lean
def test_fusion_pipeline_cross_validates_on_raw_files(tess_windows):
    _, y, files = tess_windows
    pipe = Pipeline(
        [
            ViewStack(
                [
                    Pipeline([_mfcc(), SlidingWindows()]),  # (5, 40, 40) sequence view
                    Pipeline([_mfcc(), FrameStats()]),  # (80,) statistics view
                ]
            ),
            FusionClassifier(
                head="maxpool", learning_rate=1e-3, epochs=10, random_state=0, **SMALL
            ),
        ]
    )
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(pipe, files, y, cv=cv)
    assert scores.min() > 0.4, scores  # chance 1/7

    pipe.fit(files[:150], y[:150])
    fusion = pipe.steps[-1][1]
    assert fusion.view_shapes_ == [(5, 40, 40), (80,)]
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(
        restored.predict(files[150:]), pipe.predict(files[150:])
    )


@pytest.mark.data
def test_fusion_accepts_tuple_and_explicit_shapes(tess_windows):
    X, y, _ = tess_windows
    stats = X.mean(axis=2).reshape(len(X), -1)  # a second, flat view
    X, stats, y = X[:42], stats[:42], y[:42]
    a = FusionClassifier(head="maxpool", epochs=1, random_state=0, **SMALL)
    a.fit((X, stats), y)
    flat = np.asarray(flatten_views((X, stats)))
    b = FusionClassifier(
        view_shapes=[X.shape[1:], stats.shape[1:]],
        head="maxpool",
        epochs=1,
        random_state=0,
        **SMALL,
    ).fit(flat, y)
    np.testing.assert_allclose(
        a.predict_proba((X, stats)), b.predict_proba(flat), rtol=1e-5, atol=1e-6
    )
    assert a.predict_proba(flat).shape == (len(X), len(np.unique(y)))
