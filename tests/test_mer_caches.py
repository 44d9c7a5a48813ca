"""The MER benchmark's caches (benchmarks/mer_systems.py, _mer_musicnn.py):
out-of-fold results are reused only for the features they came from, and the
musicnn embedding cache hands each system the columns of its models."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
mer = pytest.importorskip("mer_systems")
mnn = pytest.importorskip("_mer_musicnn")


@pytest.fixture
def counted_fits(monkeypatch):
    """fit_predict replaced by a counter that predicts uniform probabilities;
    a system's features are feats["X"]."""
    fits = []

    def fake_fit_predict(system, X, y, groups, train, test, protocol, profile):
        fits.append(X.sum())
        return np.full((len(test), 4), 0.25), np.unique(y), None, {}

    monkeypatch.setattr(mer, "fit_predict", fake_fit_predict)
    monkeypatch.setattr(mer, "_features_for", lambda name, feats: feats["X"])
    return fits


def test_out_of_fold_cache_follows_the_features(tmp_path, counted_fits):
    system = mer.MerSystem("lr-test", "a test system", "sklearn")
    y = np.repeat(["Q1", "Q2", "Q3", "Q4"], 10)
    X = np.random.default_rng(0).normal(size=(40, 3))
    args = (y, None, "stratified-10fold", "quick", tmp_path, 0)
    mer.run_protocol(system, {"X": X}, *args)
    assert len(counted_fits) == 10
    mer.run_protocol(system, {"X": X.copy()}, *args)  # same features: cached
    assert len(counted_fits) == 10
    changed = X.copy()
    changed[0, 0] += 1.0
    mer.run_protocol(system, {"X": changed}, *args)  # refitted on the new ones
    assert len(counted_fits) == 20
    assert counted_fits[-1] == pytest.approx(changed.sum())


def test_ensemble_cache_follows_its_members_features(
    tmp_path, counted_fits, monkeypatch
):
    """An ensemble's cached result is reused only while its members' features
    are unchanged; otherwise the members are refitted and the mean retaken."""
    member = mer.MerSystem("lr-test", "a test member", "sklearn")
    ensemble = mer.MerSystem(
        "vote-test", "a test ensemble", "ensemble", members=("lr-test",)
    )
    monkeypatch.setitem(mer.SYSTEMS, "lr-test", member)
    y = np.repeat(["Q1", "Q2", "Q3", "Q4"], 10)
    X = np.random.default_rng(1).normal(size=(40, 3))
    args = (y, None, "stratified-10fold", "quick", tmp_path, 0)
    mer.run_protocol(ensemble, {"X": X}, *args)
    mer.run_protocol(ensemble, {"X": X.copy()}, *args)
    assert len(counted_fits) == 10
    mer.run_protocol(ensemble, {"X": X + 1.0}, *args)
    assert len(counted_fits) == 20


def test_musicnn_columns_per_model(tmp_path, monkeypatch):
    """Each chunk holds the four models' columns in MODELS order; a system
    asking for some models gets exactly theirs, in the order asked."""
    widths = [mnn.width(m) for m in mnn.MODELS]
    assert widths == [3512, 3512, 1124, 1124]  # 7024 musicnn, 2248 VGG columns
    code = np.concatenate([np.full(w, i) for i, w in enumerate(widths)])

    def fake_chunk(paths, version=None, n_jobs=1):
        return np.tile(code, (len(paths), 1)).astype(np.float32)

    monkeypatch.setattr(mnn, "chunk_musicnn", fake_chunk)
    paths = [f"clip{i}.ogg" for i in range(3)]
    got = mnn.musicnn_features(paths, tmp_path, models=("MTT_vgg", "MSD_musicnn"))
    assert got.shape == (3, widths[3] + widths[0])
    assert np.all(got[:, : widths[3]] == 3) and np.all(got[:, widths[3] :] == 0)
    every = mnn.musicnn_features(paths, tmp_path)
    np.testing.assert_array_equal(every[0], code)
