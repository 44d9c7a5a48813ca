"""EmotionUnet (S2): architecture, search space, and learning on TESS."""

import time

import numpy as np
import pytest

keras = pytest.importorskip("keras")

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
    # the input is standardised per bin before the first module
    norm = model.get_layer("input_norm")
    assert isinstance(norm, keras.layers.Normalization)
    assert model.get_layer("contract_1_conv").input is norm.output
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
    with pytest.raises(ValueError, match="input_norm='minmax'"):
        build_emotionunet((10, 6), 2, input_norm="minmax")
    raw = build_emotionunet((10, 6), 2, input_norm=None, **TINY)
    assert "input_norm" not in {layer.name for layer in raw.layers}
    bn = build_emotionunet((10, 6), 2, input_norm="batch", **TINY)
    assert isinstance(bn.get_layer("input_norm"), keras.layers.BatchNormalization)


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
                **{**TINY, "filters_1": 4},
                epochs=1,
                batch_size=64,
                random_state=0,
                run_eagerly=True,  # no graph tracing: 4x faster for 5 tiny fits
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


def test_input_standardised_with_training_statistics():
    """dB-like input: the input_norm layer holds the training set's per-bin
    mean/variance, maps training X to zero mean / unit variance per bin, and
    survives pickling."""
    import pickle

    from sklearn_ser.models._unet import _channel_stats

    rng = np.random.default_rng(0)
    y = np.repeat(["angry", "sad"], 20)
    offsets = np.array([-70.0, -40.0, -20.0, 0.0, 10.0, 30.0])
    scales = np.array([1.0, 3.0, 5.0, 10.0, 20.0, 0.5])
    X = (offsets + scales * rng.normal(size=(40, 12, 6))).astype(np.float32)
    X[y == "angry", :, 2] += 8.0
    X[:, :, 5] = -80.0  # a constant bin (a dB floor) must not divide by 0
    clf = EmotionUnet(
        **TINY, epochs=1, batch_size=64, random_state=0, run_eagerly=True
    ).fit(X, y)
    norm = clf.model_.get_layer("input_norm")
    cfg = norm.get_config()
    np.testing.assert_allclose(cfg["mean"], X.mean(axis=(0, 1)), rtol=1e-5)
    expected_var = X.var(axis=(0, 1), dtype=np.float64)
    expected_var[5] = 1.0
    np.testing.assert_allclose(cfg["variance"], expected_var, rtol=1e-4)
    Z = np.asarray(norm(X))
    np.testing.assert_allclose(Z[..., :5].mean(axis=(0, 1)), 0.0, atol=1e-4)
    np.testing.assert_allclose(Z[..., :5].std(axis=(0, 1)), 1.0, atol=1e-4)
    np.testing.assert_allclose(Z[..., 5], 0.0, atol=1e-5)
    # the statistics are part of the model, not recomputed at predict time
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(
        restored.predict_proba(X[:5] + 3.0), clf.predict_proba(X[:5] + 3.0), atol=1e-6
    )
    # the statistics follow the model's reading of 2-D and 4-D input
    mean2, var2 = _channel_stats(np.arange(12.0).reshape(3, 4))
    assert mean2.shape == var2.shape == (1,) and mean2[0] == 5.5
    mean4, _ = _channel_stats(np.ones((2, 5, 3, 2)))
    assert mean4.shape == (6,)
    with pytest.raises(ValueError, match="input_norm"):
        EmotionUnet(**TINY, input_norm="max", epochs=1).fit(X, y)


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


def _train_registry_pipeline(tess_root, out, *extra):
    """``sklearn-ser train --corpus tess --pipeline stft-emotionunet --protocol
    paper`` in-process; returns (test scores, seconds, model file MB)."""
    from sklearn_ser._persistence import read_model_header
    from sklearn_ser.cli import main

    args = [
        "train",
        "--corpus",
        "tess",
        "--data-home",
        str(tess_root),
        "--pipeline",
        "stft-emotionunet",
        "--protocol",
        "paper",
        "--out",
        str(out),
        *extra,
    ]
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    assert main(args) == 0
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    meta = read_model_header(out)["metadata"]
    mb = out.stat().st_size / 2**20
    print(
        f"stft-emotionunet {' '.join(extra) or '(full corpus)'}: "
        f"test scores {meta['test_scores']}, "
        f"{meta['n_files']} files, wall {wall:.0f} s, CPU {cpu:.0f} s, "
        f"model {mb:.0f} MB"
    )
    return meta["test_scores"], mb


@pytest.mark.data
@pytest.mark.slow
def test_registry_pipeline_reaches_paper_floor_on_tess(tess_root, tmp_path):
    """S2 on all of TESS with exactly what the CLI trains (registry entry
    ``stft-emotionunet``, protocol ``s2-random-65-10-25``: random 65% train,
    10% validation for ReduceLROnPlateau(2)/EarlyStopping(6), 25% test), the
    paper's TESS hyper-parameters, at most 29 epochs. Floor 0.97 (paper:
    0.989). Measured: see the closing note of issue 5."""
    scores, mb = _train_registry_pipeline(tess_root, tmp_path / "unet.joblib")
    assert scores["accuracy"] >= 0.97, scores
    # Flatten -> Dense(864) over 63 frames: ~13M weights (+ Adam state);
    # the former 3 s / 10 ms configuration saved 651 MB.
    assert mb < 250, mb


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.lean
def test_registry_pipeline_learns_tess_subset(tess_root, tmp_path):
    """CI-sized run of the same registry pipeline and protocol: 700 TESS files
    (100 per emotion; 455 train, 70 validation, 175 test), 10 epochs."""
    scores, _ = _train_registry_pipeline(
        tess_root, tmp_path / "unet.joblib", "--limit", "700", "--epochs", "10", "-q"
    )
    assert scores["accuracy"] >= 0.9, scores  # chance is 1/7
