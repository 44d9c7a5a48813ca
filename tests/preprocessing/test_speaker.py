"""SpeakerNormalizer (strict / transductive, metadata routing) and UtteranceCMVN."""

import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ser.preprocessing import SpeakerNormalizer, UtteranceCMVN


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _norm(**kw):
    return (
        SpeakerNormalizer(**kw)
        .set_fit_request(groups=True)
        .set_transform_request(groups=True)
    )


def _speaker_data(rng, n_speakers=6, per=20, shift=5.0):
    g = np.repeat([f"spk{i}" for i in range(n_speakers)], per)
    y = np.tile(np.arange(2), n_speakers * per // 2)
    X = rng.normal(size=(len(g), 3)) + y[:, None]
    offsets = rng.normal(scale=shift, size=(n_speakers, 3))
    scales = rng.uniform(0.5, 3.0, size=(n_speakers, 1))
    idx = np.repeat(np.arange(n_speakers), per)
    return X * scales[idx] + offsets[idx], y, g


def test_fit_transform_standardises_each_training_speaker(rng, routing):
    X, _, g = _speaker_data(rng)
    for mode in ("strict", "transductive"):
        Z = _norm(mode=mode).fit_transform(X, groups=g)
        for s in np.unique(g):
            np.testing.assert_allclose(Z[g == s].mean(0), 0, atol=1e-12)
            np.testing.assert_allclose(Z[g == s].std(0), 1, atol=1e-12)


def test_strict_uses_nothing_from_the_transformed_speakers(rng, routing):
    X, _, g = _speaker_data(rng)
    train = ~np.isin(g, ["spk4", "spk5"])
    norm = _norm(mode="strict").fit(X[train], groups=g[train])
    Xt, gt = X[~train], g[~train]
    out = norm.transform(Xt, groups=gt)
    # unseen speakers get the typical training-speaker statistics ...
    np.testing.assert_allclose(out, (Xt - norm.mean_) / norm.std_)
    # ... so each test sample's output depends on nothing else in the batch
    np.testing.assert_allclose(norm.transform(Xt[:1], groups=gt[:1]), out[:1])
    np.testing.assert_allclose(norm.transform(Xt[::-1] * 1, groups=gt[::-1])[::-1], out)


def test_transductive_uses_each_test_speakers_own_statistics(rng, routing):
    X, _, g = _speaker_data(rng)
    train = ~np.isin(g, ["spk4", "spk5"])
    norm = _norm(mode="transductive").fit(X[train], groups=g[train])
    out = norm.transform(X[~train], groups=g[~train])
    for s in ("spk4", "spk5"):
        np.testing.assert_allclose(out[g[~train] == s].mean(0), 0, atol=1e-12)
    # a speaker with fewer than min_samples samples falls back to the typical one
    one = norm.transform(X[~train][:1], groups=g[~train][:1])
    np.testing.assert_allclose(one, (X[~train][:1] - norm.mean_) / norm.std_)


def test_routing_in_pipeline_cross_val_score_and_grid_search(rng, routing):
    X, y, g = _speaker_data(rng, shift=8.0)
    pipe = make_pipeline(_norm(mode="transductive"), LogisticRegression())
    scores = cross_val_score(pipe, X, y, cv=GroupKFold(3), params={"groups": g})
    plain = cross_val_score(
        make_pipeline(StandardScaler(), LogisticRegression()),
        X,
        y,
        cv=GroupKFold(3),
        params={"groups": g},
    )
    # speaker offsets 8x the class separation: normalising them away must help
    assert scores.mean() > plain.mean() + 0.1
    search = GridSearchCV(
        pipe, {"logisticregression__C": [0.01, 1.0]}, cv=GroupKFold(3)
    ).fit(X, y, groups=g)
    pred = search.best_estimator_.predict(X, groups=g)
    assert pred.shape == y.shape


def test_clear_errors(rng, routing):
    X, _, g = _speaker_data(rng)
    with pytest.raises(ValueError, match="Received: groups=None"):
        _norm().fit(X)
    with pytest.raises(ValueError, match="groups with shape"):
        _norm().fit(X, groups=g[:-1])
    with pytest.raises(ValueError, match="mode"):
        _norm(mode="oracle").fit(X, groups=g)
    fitted = _norm().fit(X, groups=g)
    with pytest.raises(ValueError, match="features"):
        fitted.transform(X[:, :2], groups=g)


def test_estimator_contract(rng, routing):
    X, _, g = _speaker_data(rng)
    est = _norm(mode="transductive")
    c = clone(est)
    assert c.get_params() == est.get_params() and not hasattr(c, "speakers_")
    out = c.fit_transform(X.astype(np.float32), groups=g)
    assert out.dtype == np.float32
    again = pickle.loads(pickle.dumps(c)).transform(X.astype(np.float32), groups=g)
    np.testing.assert_allclose(again, out, rtol=1e-6)


def test_utterance_cmvn_ignores_and_keeps_padding(rng):
    from sklearn_ser.features import FrameArray

    X = rng.normal(loc=3.0, scale=2.0, size=(4, 10, 5)).astype(np.float32)
    X[1, 6:] = 0.0  # trailing padding of a shorter utterance
    X = FrameArray(X, lengths=[10, 6, 10, 10])
    out = UtteranceCMVN().fit_transform(X)
    assert out.lengths.tolist() == [10, 6, 10, 10]
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[1, 6:], 0.0)
    np.testing.assert_allclose(out[1, :6].mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(out[1, :6].std(0), 1, atol=1e-4)
    np.testing.assert_allclose(out[0].mean(0), 0, atol=1e-5)
    # per utterance: the same as normalising each alone
    np.testing.assert_allclose(UtteranceCMVN().fit_transform(X[2:3]), out[2:3])
    with pytest.raises(ValueError, match="n_frames, n_bins"):
        UtteranceCMVN().fit(X[:, :, 0])


@pytest.mark.data
def test_transductive_speaker_normalisation_raises_uar_on_an_emobox_fold(
    ravdess_root, routing
):
    """First EmoBox RAVDESS fold (test actors 1, 11, 20, 21), MFCC mean+std.

    With 240 test files in 8 classes the standard error of a UAR near 0.45 is
    about sqrt(0.45 * 0.55 / 240) = 0.032; a gain above 0.05 (over 1.5
    standard errors, on the same test files) is a real effect, not noise.
    """
    from sklearn_ser.datasets import load_ravdess
    from sklearn_ser.features import MFCC, FrameStats
    from sklearn_ser.metrics import unweighted_average_recall
    from sklearn_ser.model_selection import get_protocol

    b = load_ravdess(ravdess_root)
    X = make_pipeline(MFCC(sr=16000, n_mfcc=40), FrameStats(stats=("mean", "std")))
    X = X.fit_transform(b.data)
    y, g = b.target, b.groups
    train, test = next(get_protocol("emobox-ravdess").split(X, y, g))
    clf = LogisticRegression(C=0.1, max_iter=2000)
    plain = make_pipeline(StandardScaler(), clone(clf)).fit(X[train], y[train])
    uar_plain = unweighted_average_recall(y[test], plain.predict(X[test]))
    spk = make_pipeline(_norm(mode="transductive"), clone(clf))
    spk.fit(X[train], y[train], groups=g[train])
    uar_spk = unweighted_average_recall(y[test], spk.predict(X[test], groups=g[test]))
    assert uar_spk > uar_plain + 0.05, (uar_plain, uar_spk)
