"""BaseSERClassifier: scikit-learn contract, reproducibility, callbacks, transfer."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _netdata import log_mel, tess_label  # noqa: E402
from sklearn.base import clone, is_classifier  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)

from sklearn_ser import Pipeline  # noqa: E402
from sklearn_ser.models import (  # noqa: E402
    BaseSERClassifier,
    DenseClassifier,
    paper_callbacks,
    transfer_weights,
)


def tiny(**kw):
    params = dict(
        hidden_layer_sizes=(8,),
        dropout=0.0,
        epochs=3,
        batch_size=32,
        learning_rate=1e-2,
        random_state=0,
    )
    params.update(kw)
    return DenseClassifier(**params)


# --------------------------------------------------------------- contract
def test_import_sklearn_ser_does_not_import_tensorflow():
    code = (
        "import sys, sklearn_ser, sklearn_ser.io; "
        "assert 'tensorflow' not in sys.modules, 'tensorflow imported'; "
        "assert 'keras' not in sys.modules, 'keras imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_get_params_lists_hyper_and_common_parameters():
    params = tiny().get_params()
    for name in (
        "hidden_layer_sizes",
        "dropout",
        "activation",
        "learning_rate",
        "epochs",
        "batch_size",
        "random_state",
        "verbose",
        "callbacks",
        "validation_split",
        "validation_data",
        "class_weight",
        "optimizer",
        "loss",
        "metrics",
        "warm_start",
        "init_from",
        "freeze",
        "reduce_lr_patience",
        "early_stopping_patience",
    ):
        assert name in params, name
    assert "model" not in params and "build_fn" not in params
    c = clone(tiny(hidden_layer_sizes=(5, 3)))
    assert c.hidden_layer_sizes == (5, 3) and c.random_state == 0
    pipe = Pipeline([tiny()])
    pipe.set_params(denseclassifier__hidden_layer_sizes=(4,))
    assert pipe.get_params()["denseclassifier__hidden_layer_sizes"] == (4,)


def test_is_a_classifier_with_stratified_cv(blobs):
    clf = tiny()
    assert is_classifier(clf)
    assert is_classifier(Pipeline([tiny()]))
    tags = clf.__sklearn_tags__()
    assert tags.estimator_type == "classifier"
    assert tags.classifier_tags is not None
    _, y = blobs
    assert isinstance(check_cv(5, y, classifier=True), StratifiedKFold)


def test_cross_val_score_uses_stratified_folds(blobs):
    X, y = blobs
    order = np.argsort(y, kind="stable")  # sorted labels: plain KFold breaks
    X, y = X[order], y[order]
    seen = []

    def scorer(est, X_test, y_test):
        seen.append(np.unique(y_test, return_counts=True)[1].tolist())
        return est.score(X_test, y_test)

    scores = cross_val_score(tiny(epochs=1), X, y, cv=5, scoring=scorer)
    assert len(scores) == 5
    # stratified: every test fold holds 6 of each of the 3 classes
    assert seen == [[6, 6, 6]] * 5


@pytest.mark.parametrize("shape", [(60, 12), (60, 4, 3), (60, 2, 3, 2)])
def test_accepts_2d_3d_4d_and_string_labels(shape):
    rng = np.random.default_rng(1)
    X = rng.normal(size=shape).astype(np.float32)
    y = np.array(["sad", "angry", "happy"])[np.arange(60) % 3]
    X[y == "happy"] += 1.5
    clf = tiny().fit(X, y)
    assert clf.model_.input_shape[1:] == shape[1:]
    assert list(clf.classes_) == ["angry", "happy", "sad"]
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    # column order == classes_
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
    assert clf.predict_proba(X[:1]).shape == (1, 3)
    assert clf.predict(X).dtype.kind == "U"


def test_binary_predict_proba(blobs):
    X, y = blobs
    keep = y != "sad"
    clf = tiny().fit(X[keep], y[keep])
    assert clf.predict_proba(X[:5]).shape == (5, 2)
    assert clf.n_classes_ == 2


def test_learning_rate_reaches_optimizer(blobs):
    X, y = blobs
    clf = tiny(learning_rate=0.0123, epochs=1).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.Adam)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.0123)
    clf = tiny(optimizer="sgd", learning_rate=0.05, epochs=1).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.05)


def test_invalid_parameters_raise_naming_the_parameter(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="epochs=0"):
        tiny(epochs=0).fit(X, y)
    with pytest.raises(ValueError, match="learning_rate=-1"):
        tiny(learning_rate=-1).fit(X, y)
    with pytest.raises(ValueError, match="validation_split"):
        tiny(early_stopping_patience=3).fit(X, y)
    with pytest.raises(ValueError, match="freeze"):
        tiny(freeze=True).fit(X, y)


# -------------------------------------------------------- reproducibility
def test_random_state_makes_training_repeatable(blobs):
    X, y = blobs
    a = tiny(hidden_layer_sizes=(16,), dropout=0.2).fit(X, y).predict_proba(X)
    b = tiny(hidden_layer_sizes=(16,), dropout=0.2).fit(X, y).predict_proba(X)
    c = (
        tiny(hidden_layer_sizes=(16,), dropout=0.2, random_state=1)
        .fit(X, y)
        .predict_proba(X)
    )
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # clones of a fitted estimator retrain identically as well
    d = clone(tiny(hidden_layer_sizes=(16,), dropout=0.2)).fit(X, y)
    np.testing.assert_array_equal(a, d.predict_proba(X))


# ------------------------------------------------ history, verbose, callbacks
def test_history_is_per_epoch_dict(blobs):
    X, y = blobs
    clf = tiny(epochs=4, validation_split=0.2).fit(X, y)
    assert type(clf.history_) is dict
    assert set(clf.history_) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 4 for v in clf.history_.values())
    assert clf.n_epochs_ == 4
    assert clf.history_["loss"][-1] < clf.history_["loss"][0]


def test_validation_split_holds_out_every_class_of_sorted_data(blobs):
    X, y = blobs
    order = np.argsort(y, kind="stable")  # sorted by class, as the corpora are
    X, y = X[order], y[order]
    clf = tiny(epochs=15, validation_split=0.3).fit(X, y)
    # Keras' own split holds out the last 27 rows: all "sad", a class the
    # network then never trains on (validation accuracy 0). The stratified
    # split trains on every class and validates on 9 rows of each.
    assert clf.history_["val_accuracy"][-1] > 0.8
    # seeded by random_state: the same validation rows every time
    again = tiny(epochs=15, validation_split=0.3).fit(X, y)
    assert again.history_["val_loss"] == clf.history_["val_loss"]


def test_split_validation_is_stratified_seeded_and_checked():
    from sklearn_ser.models._training import _split_validation

    labels = np.repeat([0, 1, 2], [50, 30, 20])
    train, val = _split_validation(100, 0.2, labels=labels, random_state=0)
    assert np.bincount(labels[val]).tolist() == [10, 6, 4]
    np.testing.assert_array_equal(np.sort(np.r_[train, val]), np.arange(100))
    assert np.all(np.diff(train) > 0)  # training rows keep their order
    again = _split_validation(100, 0.2, labels=labels, random_state=0)[1]
    other = _split_validation(100, 0.2, labels=labels, random_state=1)[1]
    np.testing.assert_array_equal(val, again)
    assert not np.array_equal(val, other)
    # 2 held-out rows cannot hold 3 classes
    with pytest.raises(ValueError, match="Received: validation_split=0.02"):
        _split_validation(100, 0.02, labels=labels, random_state=0)


def test_validation_split_holds_out_the_stratified_rows_with_their_weights(blobs):
    from sklearn_ser.models._training import _split_validation

    X, y = blobs
    w = np.where(y == "sad", 3.0, 1.0)
    clf = tiny(epochs=1, validation_split=0.3).fit(X, y, sample_weight=w)
    _, val = _split_validation(len(y), 0.3, labels=y, random_state=0)
    # val_loss is the weighted loss of the final weights on exactly those rows
    expected = clf.model_.evaluate(
        X[val],
        clf.target_encoder_.transform(y[val]),
        sample_weight=w[val],
        batch_size=32,
        verbose=0,
        return_dict=True,
    )["loss"]
    assert clf.history_["val_loss"][-1] == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="validation_split=1.5"):
        tiny(validation_split=1.5).fit(X, y)


def test_verbose_shows_keras_progress(blobs, capsys):
    X, y = blobs
    tiny(epochs=2, verbose=2).fit(X, y)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    tiny(epochs=2, verbose=0).fit(X, y)
    assert "Epoch" not in capsys.readouterr().out


def test_paper_callbacks_halve_lr_and_stop_early(blobs):
    X, y = blobs
    # a vanishing learning rate: val_loss cannot improve
    clf = tiny(
        epochs=30,
        learning_rate=1e-12,
        validation_split=0.3,
        reduce_lr_patience=2,
        early_stopping_patience=6,
    ).fit(X, y)
    assert clf.n_epochs_ == 7  # best epoch 1, then 6 without improvement
    lr = clf.history_["learning_rate"]
    assert lr[0] == pytest.approx(1e-12)
    assert lr[-1] == pytest.approx(1e-12 * 0.5**2, rel=1e-3)
    cbs = paper_callbacks("emotionunet")
    assert [type(c).__name__ for c in cbs] == ["ReduceLROnPlateau", "EarlyStopping"]
    assert cbs[0].factor == 0.5 and cbs[0].patience == 2
    assert cbs[1].patience == 6 and cbs[1].restore_best_weights
    # the same as callbacks= parameter
    clf = tiny(
        epochs=30,
        learning_rate=1e-12,
        validation_split=0.3,
        callbacks=paper_callbacks(),
    ).fit(X, y)
    assert clf.n_epochs_ == 7
    with pytest.raises(ValueError, match="system"):
        paper_callbacks("alexnet")


def test_explicit_validation_data(blobs):
    X, y = blobs
    Xv, yv = X[:30], y[:30]
    clf = tiny(epochs=3, validation_data=(Xv, yv)).fit(X[30:], y[30:])
    assert len(clf.history_["val_accuracy"]) == 3
    # keras evaluates the final weights on exactly that data
    acc = np.mean(clf.predict(Xv) == yv)
    assert clf.history_["val_accuracy"][-1] == pytest.approx(acc, abs=1e-6)
    with pytest.raises(ValueError):
        tiny(validation_data=(X[:5, :3], y[:5])).fit(X, y)
    with pytest.raises(ValueError, match="validation_data"):
        tiny(validation_data=X).fit(X, y)


def test_class_weight_balanced_favours_minority():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5)).astype(np.float32)
    y = np.where(np.arange(200) < 180, "major", "minor")
    X[y == "minor"] += 0.5
    plain = tiny(epochs=10).fit(X, y)
    balanced = tiny(epochs=10, class_weight="balanced").fit(X, y)
    n_plain = np.sum(plain.predict(X) == "minor")
    n_bal = np.sum(balanced.predict(X) == "minor")
    assert n_bal > n_plain + 10


def test_grid_search_over_hyper_parameters(blobs):
    X, y = blobs
    search = GridSearchCV(
        Pipeline([tiny(epochs=2)]),
        {"denseclassifier__hidden_layer_sizes": [(2,), (6,)]},
        cv=2,
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    best = search.best_estimator_[-1]
    assert (
        best.model_.get_layer("dense_1").units
        == search.best_params_["denseclassifier__hidden_layer_sizes"][0]
    )


# ----------------------------------------------------------------- pickling
def test_pickle_fitted_classifier(blobs, tmp_path):
    import joblib

    X, y = blobs
    clf = tiny(validation_split=0.2, reduce_lr_patience=2).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clf.predict_proba(X), restored.predict_proba(X))
    assert restored.history_ == clf.history_
    joblib.dump(clf, tmp_path / "clf.joblib")
    again = joblib.load(tmp_path / "clf.joblib")
    np.testing.assert_array_equal(clf.predict(X), again.predict(X))
    # a restored classifier can continue training
    again.set_params(warm_start=True, epochs=1).fit(X, y)


def _feature_step():
    """The library's log-mel transformer if it exists, else a numpy stand-in."""
    try:
        from sklearn_ser.features import LMFB

        return LMFB()
    except ImportError:
        from sklearn.preprocessing import FunctionTransformer

        return FunctionTransformer(_log_mel_of_paths)


def _log_mel_of_paths(X):
    from sklearn_ser.io import as_waveforms

    return log_mel(as_waveforms(X, 16000), n_samples=24000)


@pytest.mark.data
def test_joblib_roundtrip_of_real_pipeline(tess_files, tmp_path):
    import joblib

    files = np.array(tess_files[::40])  # 70 files, all 7 emotions
    y = np.array([tess_label(f) for f in files])
    pipe = Pipeline([_feature_step(), tiny(epochs=2)]).fit(files, y)
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    restored = joblib.load(path)
    np.testing.assert_array_equal(
        pipe.predict_proba(files[:20]), restored.predict_proba(files[:20])
    )
    np.testing.assert_array_equal(pipe.predict(files), restored.predict(files))


# ----------------------------------------------------------------- transfer
def test_transfer_copies_matching_layers_and_freezes(blobs):
    X, y = blobs
    source = tiny(hidden_layer_sizes=(8, 6), epochs=2).fit(X, y)
    keep = y != "sad"  # other task: 2 classes, so "output" shapes differ
    target = tiny(hidden_layer_sizes=(8, 6), epochs=3, init_from=source, freeze=True)
    # built but not trained: transferred weights are identical
    target.initialize(X[keep], y[keep])
    assert target.transferred_layers_ == ["dense_1", "dense_2"]
    for name in ("dense_1", "dense_2"):
        for a, b in zip(
            source.model_.get_layer(name).get_weights(),
            target.model_.get_layer(name).get_weights(),
        ):
            np.testing.assert_array_equal(a, b)
    out_before = [w.copy() for w in target.model_.get_layer("output").get_weights()]
    target.fit(X[keep], y[keep])
    assert target.transferred_layers_ == ["dense_1", "dense_2"]
    for name in ("dense_1", "dense_2"):  # frozen: unchanged by training
        assert not target.model_.get_layer(name).trainable
        for a, b in zip(
            source.model_.get_layer(name).get_weights(),
            target.model_.get_layer(name).get_weights(),
        ):
            np.testing.assert_array_equal(a, b)
    assert not np.allclose(
        out_before[0], target.model_.get_layer("output").get_weights()[0]
    )
    # clone keeps the (fitted) source by reference
    assert clone(target).init_from is source


def test_transfer_without_freeze_fine_tunes_and_freeze_by_name(blobs):
    X, y = blobs
    source = tiny(hidden_layer_sizes=(8, 6), epochs=2).fit(X, y)
    ft = tiny(hidden_layer_sizes=(8, 6), epochs=2, init_from=source.model_).fit(X, y)
    assert ft.transferred_layers_ == ["dense_1", "dense_2", "output"]
    assert not np.allclose(
        source.model_.get_layer("dense_1").get_weights()[0],
        ft.model_.get_layer("dense_1").get_weights()[0],
    )
    part = tiny(
        hidden_layer_sizes=(8, 6), epochs=2, init_from=source, freeze=["dense_1"]
    ).fit(X, y)
    np.testing.assert_array_equal(
        source.model_.get_layer("dense_1").get_weights()[0],
        part.model_.get_layer("dense_1").get_weights()[0],
    )
    assert not np.allclose(
        source.model_.get_layer("dense_2").get_weights()[0],
        part.model_.get_layer("dense_2").get_weights()[0],
    )
    with pytest.raises(ValueError, match="no_such_layer"):
        tiny(init_from=source, freeze=["no_such_layer"]).fit(X, y)
    with pytest.raises(ValueError, match="init_from"):
        tiny(init_from="not a model").fit(X, y)


def test_transfer_weights_function():
    a = DenseClassifier._builder((4,), 3, hidden_layer_sizes=(5,))
    b = DenseClassifier._builder((4,), 2, hidden_layer_sizes=(5,))
    assert transfer_weights(a, b) == ["dense_1"]


def test_subclass_contract():
    class NoBuilder(BaseSERClassifier):
        pass

    with pytest.raises(TypeError, match="_builder"):
        NoBuilder(epochs=1).fit(np.zeros((4, 2)), [0, 1, 0, 1])


def _build_probe(input_shape, n_classes, *, width=3, scale=1.0):
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Dense(width, name="hidden")(inputs)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="out")(x)
    return keras.Model(inputs, outputs)


class _Probe(BaseSERClassifier):
    """``width`` is a builder argument; ``note`` is not, ``scale`` not exposed."""

    _builder = staticmethod(_build_probe)

    def __init__(self, *, width=3, note="x", epochs=1, **common):
        self.width = width
        self.note = note
        super().__init__(epochs=epochs, **common)


def test_hyper_parameters_are_the_builder_keywords_the_constructor_takes():
    assert _Probe._hyper_parameters == ("width",)
    clf = _Probe(width=5, random_state=0).fit(np.zeros((6, 2)), [0, 1, 2] * 2)
    assert clf.model_.get_layer("hidden").units == 5
    assert "note" in clf.get_params()

    class Declared(_Probe):
        _hyper_parameters = ()  # declared explicitly: the builder's defaults

    clf = Declared(width=5, random_state=0).fit(np.zeros((6, 2)), [0, 1, 2] * 2)
    assert clf.model_.get_layer("hidden").units == 3


# ------------------------------------------------------ scikit-learn checks
_EXPECTED_FAILED_CHECKS = {
    "check_estimator_tags_renamed": "scikeras' BaseWrapper defines _more_tags (our class defines "
    "__sklearn_tags__, the check looks at every class in the MRO)",
    "check_mixin_order": "scikeras' KerasClassifier inherits (BaseWrapper, ClassifierMixin); "
    "no consistent MRO puts ClassifierMixin first (tags are fixed instead)",
    "check_sample_weight_equivalence_on_dense_data": "mini-batch SGD: weighting is not equivalent to repeating samples",
    "check_sample_weight_equivalence_on_sparse_data": "mini-batch SGD: weighting is not equivalent to repeating samples",
    "check_classifiers_train": "a tiny network trained for a few epochs misses the check's accuracy",
    "check_class_weight_classifiers": "a tiny network trained for a few epochs misses the check's accuracy",
}


@pytest.mark.slow
def test_scikit_learn_estimator_checks():
    """scikit-learn's estimator checks (slow: ~60 small fits)."""
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(
        tiny(epochs=2, batch_size=64),
        on_fail=None,
        expected_failed_checks=_EXPECTED_FAILED_CHECKS,
    )
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == []


class _ArrayLike:
    """An array-like that is not an ndarray (only ``__array__``)."""

    def __init__(self, a):
        self._a = np.asarray(a)

    def __array__(self, dtype=None, copy=None):
        return self._a if dtype is None else self._a.astype(dtype)

    def __array_function__(self, func, types, args, kwargs):
        # like scikit-learn's _NotAnArray: numpy functions must not see it
        raise TypeError(f"Don't want to call array_function {func.__name__}!")

    def __len__(self):
        return len(self._a)


def test_sparse_and_array_like_inputs_give_the_dense_result():
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6)).astype(np.float32)
    X[X < 0.3] = 0.0
    y = (X[:, 0] > 0).astype(int)
    dense = tiny().fit(X, y).predict_proba(X)
    wide = sp.csr_array(X)
    wide.indices = wide.indices.astype(np.int64)
    wide.indptr = wide.indptr.astype(np.int64)
    for variant in (
        wide,
        sp.csr_matrix(X),
        sp.csr_array(X),
        sp.coo_array(X),
        sp.dok_matrix(X),
        _ArrayLike(X),
    ):
        clf = tiny().fit(variant, y)
        np.testing.assert_allclose(clf.predict_proba(variant), dense, atol=1e-6)
