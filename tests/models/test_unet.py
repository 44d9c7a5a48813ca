"""EmotionUnet (S2): architecture, search space, and learning on TESS."""

import time

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _netdata import log_stft, tess_label  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from sklearn_ser.models import (  # noqa: E402
    EMOTIONUNET_PAPER_PARAMS,
    EMOTIONUNET_SEARCH_SPACE,
    EmotionUnet,
    build_emotionunet,
    emotionunet_search_space,
)

TINY = dict(
    filters_1=8,
    filters_2=8,
    filters_3=8,
    filters_4=8,
    filters_5=8,
    filters_6=8,
    dense_units=16,
)


def test_builder_layout_matches_paper():
    model = build_emotionunet(
        (20, 12),
        4,
        filters_1=3,
        filters_2=4,
        filters_3=5,
        filters_4=6,
        filters_5=7,
        filters_6=9,
        dense_units=11,
    )
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv1D)]
    assert [c.filters for c in convs] == [3, 4, 5, 6, 7, 9]
    assert [c.kernel_size for c in convs] == [(7,)] * 3 + [(5,)] * 3
    assert all(c.activation.__name__ == "relu" and c.padding == "same" for c in convs)
    # every conv is followed by its BatchNormalization
    for c in convs:
        bn = model.get_layer(c.name.replace("_conv", "_bn"))
        assert isinstance(bn, keras.layers.BatchNormalization)
        assert bn.input is c.output
    # skip connections: expansive module k concatenated with its mirror
    for k, mirror in ((4, 3), (5, 2), (6, 1)):
        skip = model.get_layer(f"skip_{k}")
        sources = {t.name for t in skip.input}
        assert model.get_layer(f"expand_{k}_bn").output.name in sources
        assert model.get_layer(f"contract_{mirror}_bn").output.name in sources
    assert model.get_layer("skip_6").output.shape[-1] == 9 + 3
    dense = model.get_layer("dense")
    assert dense.units == 11 and dense.activation.__name__ == "relu"
    out = model.get_layer("output")
    assert out.units == 4 and out.activation.__name__ == "softmax"
    assert model.output.shape[1:] == (4,)


def test_builder_input_ranks_and_errors():
    assert build_emotionunet((30,), 2, **TINY).output.shape[1:] == (2,)
    assert build_emotionunet((10, 6, 3), 2, **TINY).output.shape[1:] == (2,)
    assert (
        build_emotionunet((10, 6), 2, head="global_average", **TINY).count_params()
        < build_emotionunet((10, 6), 2, **TINY).count_params()
    )
    with pytest.raises(ValueError, match="filters_3"):
        build_emotionunet((10, 6), 2, **{**TINY, "filters_3": 0})
    with pytest.raises(ValueError, match="head"):
        build_emotionunet((10, 6), 2, head="max")


def test_defaults_are_papers_tess_values():
    p = EmotionUnet().get_params()
    for k, v in EMOTIONUNET_PAPER_PARAMS["TESS"].items():
        assert p[k] == v, k
    assert set(EMOTIONUNET_PAPER_PARAMS) == {"TurEV-DB", "ANAD", "BanglaSER", "TESS"}
    # every paper parameter is a constructor parameter
    for params in EMOTIONUNET_PAPER_PARAMS.values():
        EmotionUnet(**params)


def test_search_space_is_papers():
    from skopt.space import Categorical, Integer, Real

    s = EMOTIONUNET_SEARCH_SPACE
    assert isinstance(s["learning_rate"], Real)
    assert (s["learning_rate"].low, s["learning_rate"].high) == (1e-4, 1e-1)
    assert s["learning_rate"].prior == "log-uniform"
    assert (s["epochs"].low, s["epochs"].high) == (5, 100)
    assert isinstance(s["batch_size"], Categorical)
    assert list(s["batch_size"].categories) == [1, 2, 4, 8, 16, 32, 64, 128]
    for i in range(1, 7):
        assert isinstance(s[f"filters_{i}"], Integer)
        assert (s[f"filters_{i}"].low, s[f"filters_{i}"].high) == (16, 256)
    assert (s["dense_units"].low, s["dense_units"].high) == (100, 1500)
    # every key is a parameter of the classifier, also through a pipeline
    assert set(s) <= set(EmotionUnet().get_params())
    pref = emotionunet_search_space("emotionunet__")
    assert set(pref) == {"emotionunet__" + k for k in s}
    # the paper's per-dataset values lie inside the space
    for params in EMOTIONUNET_PAPER_PARAMS.values():
        for k, v in params.items():
            assert v in s[k], (k, v)


def test_bayes_search_over_pipeline_parameters(blobs):
    from skopt import BayesSearchCV
    from skopt.space import Integer

    from sklearn_ser import Pipeline

    X, y = blobs
    pipe = Pipeline(
        [
            EmotionUnet(
                **{**TINY, "filters_1": 4}, epochs=2, batch_size=32, random_state=0
            )
        ]
    )
    search = BayesSearchCV(
        pipe,
        {"emotionunet__filters_1": Integer(2, 6)},
        n_iter=2,
        cv=2,
        random_state=0,
    )
    search.fit(X, y)
    tried = [p["emotionunet__filters_1"] for p in search.cv_results_["params"]]
    assert len(tried) == 2 and all(2 <= t <= 6 for t in tried)
    best = search.best_estimator_.steps[-1][1]
    assert (
        best.model_.get_layer("contract_1_conv").filters
        == search.best_params_["emotionunet__filters_1"]
    )


@pytest.mark.data
def test_emotionunet_learns_tess_subset(tess_stft_small):
    """Tiny EmotionUnet on 280 TESS log-STFTs: loss falls, held-out acc >> 1/7."""
    X, y = tess_stft_small
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = EmotionUnet(
        **TINY,
        head="global_average",
        epochs=12,
        batch_size=16,
        learning_rate=3e-3,
        bn_momentum=0.9,
        random_state=0,
    ).fit(Xtr, ytr)
    loss = clf.history_["loss"]
    assert loss[-1] < 0.6 * loss[0]
    acc = clf.score(Xte, yte)
    assert acc > 0.5, acc  # chance is 1/7


def _stft_step():
    """The library's STFT transformer when it exists, else a scipy stand-in."""
    try:
        from sklearn_ser.features import STFT  # noqa: F401
    except ImportError:
        STFT = None
    if STFT is not None:
        return STFT()
    from sklearn.preprocessing import FunctionTransformer

    return FunctionTransformer(_log_stft_of_paths)


def _log_stft_of_paths(X):
    from sklearn_ser.io import as_waveforms

    return log_stft(as_waveforms(X, 16000))


@pytest.mark.data
@pytest.mark.slow
def test_emotionunet_tess_paper_accuracy(tess_files):
    """S2 on TESS: log-STFT -> EmotionUnet with the paper's TESS protocol.

    Random 25% test split; of the rest 10/75 is validation (the paper's
    65/10/25), ReduceLROnPlateau(0.5, 2) and EarlyStopping(6, restore best)
    on val_loss, at most 29 epochs. The floor is 0.97 (paper: 0.989).
    A plain 8-epoch run without validation/callbacks on the scipy stand-in
    features reached 0.954 (its last epoch's training loss jumped back up).
    """
    from sklearn_ser import Pipeline

    X = np.array(tess_files)
    y = np.array([tess_label(f) for f in tess_files])
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
    pipe = Pipeline(
        [
            _stft_step(),
            EmotionUnet(
                validation_split=0.10 / 0.75,
                reduce_lr_patience=2,
                early_stopping_patience=6,
                random_state=0,
                verbose=2,
            ),
        ]
    )
    t0 = time.perf_counter()
    pipe.fit(Xtr, ytr)
    fit_s = time.perf_counter() - t0
    acc = pipe.score(Xte, yte)
    print(
        f"EmotionUnet TESS: test accuracy {acc:.4f}, fit {fit_s:.0f} s, "
        f"epochs {pipe[-1].n_epochs_}, history {pipe[-1].history_}"
    )
    assert acc >= 0.97


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.lean
def test_emotionunet_tess_lean(tess_stft_small):
    """CI-sized run: paper-width EmotionUnet, 280 TESS files, held-out >= 0.7.

    ``bn_momentum=0.9``: 8 epochs of 14 batches are too few steps for Keras'
    default 0.99 moving statistics.
    """
    X, y = tess_stft_small
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = EmotionUnet(epochs=8, bn_momentum=0.9, random_state=0).fit(Xtr, ytr)
    assert clf.history_["loss"][-1] < 0.5 * clf.history_["loss"][0]
    assert clf.score(Xte, yte) >= 0.7
