"""FrameStats: pooled statistics, padding, names, sklearn contract."""

import numpy as np
import pytest

from sklearn_ser.features import MFCC, FrameArray, FrameStats


@pytest.fixture
def ragged(rng):
    """Three samples of 7, 4 and 10 valid frames, zero-padded to 10."""
    lengths = (7, 4, 10)
    frames = [rng.normal(size=(n, 3)) + 5 for n in lengths]
    X = np.zeros((3, 10, 3))
    for i, f in enumerate(frames):
        X[i, : len(f)] = f
    return FrameArray(X, lengths=lengths), frames


def test_stats_ignore_padding(ragged):
    X, frames = ragged
    fs = FrameStats(stats=("mean", "std", "min", "max", "median"), percentiles=(10, 90))
    out = fs.fit_transform(X)
    assert out.shape == (3, 21)
    for i, f in enumerate(frames):
        expect = np.concatenate(
            [
                f.mean(0),
                f.std(0),
                f.min(0),
                f.max(0),
                np.median(f, 0),
                np.percentile(f, 10, 0),
                np.percentile(f, 90, 0),
            ]
        )
        np.testing.assert_allclose(out[i], expect, rtol=1e-12)
    biased = FrameStats(skip_padding=False).fit_transform(X)
    assert not np.allclose(biased[0, :3], frames[0].mean(0))


def test_zero_frames_are_real_unless_lengths_say_padding():
    X = np.zeros((2, 6, 2))
    X[0, :2] = 1.0  # frames 2..5 are zero
    # a plain array carries no lengths: every frame is real, zeros included
    out = FrameStats(stats=("mean", "std")).fit_transform(X)
    np.testing.assert_allclose(out[0, :2], [2 / 6, 2 / 6])
    # lengths say frames 4, 5 are padding: frames 2, 3 (silence) still count
    out = FrameStats(stats=("mean", "std")).fit_transform(
        FrameArray(X, lengths=[4, 0])
    )
    np.testing.assert_allclose(out[0, :2], [2 / 4, 2 / 4])
    assert np.all(out[1] == 0) and np.isfinite(out).all()  # 0 frames: all pooled


def test_frame_array_lengths_follow_sample_selection(ragged):
    from sklearn.utils import _safe_indexing

    X, _ = ragged
    assert X[[2, 0]].lengths.tolist() == [10, 7]
    assert X[1:].lengths.tolist() == [4, 10]
    assert _safe_indexing(X, [1, 2]).lengths.tolist() == [4, 10]
    assert X.take([0], axis=0).lengths.tolist() == [7]
    assert X[:, :5].lengths.tolist() == [5, 4, 5]
    assert type(X[:, 2:]) is np.ndarray and type(X * 2) is np.ndarray
    import pickle

    assert pickle.loads(pickle.dumps(X)).lengths.tolist() == [7, 4, 10]
    with pytest.raises(ValueError, match="lengths"):
        FrameArray(np.zeros((2, 3, 1)), lengths=[1, 4])


@pytest.mark.data
def test_trailing_silence_of_real_audio_is_not_dropped_as_padding(ravdess_files):
    """Chroma of digital silence is exactly 0: real frames, not padding (issue 10)."""
    from sklearn_ser.features import MusicFeatures
    from sklearn_ser.io import load_audio

    speech = load_audio(ravdess_files[0], sr=22050)
    y = np.concatenate([speech, np.zeros(2 * 22050, np.float32)])  # 2 s of silence
    chroma = MusicFeatures(features=("chroma",), pooling=None).fit([y, speech])
    X = chroma.transform([y, speech])
    n_y = 1 + len(y) // 512
    assert X.lengths.tolist() == [n_y, 1 + len(speech) // 512]
    assert not X[0, n_y - 20 :].any()  # the silent tail is exactly 0
    pooled = FrameStats(stats=("mean",)).fit_transform(X)
    # the mean over every real frame, silence included (not only the speech)
    np.testing.assert_allclose(pooled[0], X[0, :n_y].mean(0), rtol=1e-6)
    assert pooled[0].sum() < FrameStats(stats=("mean",)).fit_transform(
        X[:, : n_y - 2 * 22050 // 512]
    )[0].sum()
    # and MusicFeatures' own statistics agree with FrameStats'
    direct = MusicFeatures(features=("chroma",), stats=("mean",)).fit_transform([y])
    np.testing.assert_allclose(direct[0], pooled[0], rtol=1e-5)


def test_pooling_real_transformer_output_matches_unpadded(rng):
    waves = [rng.normal(size=n).astype(np.float32) * 0.1 for n in (4000, 16000)]
    padded = MFCC(sr=16000, n_fft=512, hop_length=160, max_frames=200).fit_transform(
        waves
    )
    exact = MFCC(sr=16000, n_fft=512, hop_length=160).fit_transform([waves[0]])[0]
    pooled = FrameStats(stats=("mean", "min")).fit_transform(padded)
    np.testing.assert_allclose(pooled[0, :40], exact.mean(0), rtol=1e-5)
    np.testing.assert_allclose(pooled[0, 40:], exact.min(0), rtol=1e-6)


def test_deltas_use_valid_frames_only(ragged):
    import python_speech_features as psf

    X, frames = ragged
    out = FrameStats(stats=("mean",), deltas=2).fit_transform(X)
    assert out.shape == (3, 9)
    d1 = psf.delta(frames[1], 2)
    np.testing.assert_allclose(out[1, 3:6], d1.mean(0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        out[1, 6:9], psf.delta(d1, 2).mean(0), rtol=1e-10, atol=1e-12
    )


def test_feature_names_and_pandas_output(ragged):
    pd = pytest.importorskip("pandas")
    X, _ = ragged
    fs = FrameStats(stats=("mean", "std"), deltas=1, prefix="mfcc").fit(X)
    names = list(fs.get_feature_names_out())
    assert names[:4] == ["mfcc_mean_0", "mfcc_mean_1", "mfcc_mean_2", "mfcc_std_0"]
    assert names[6] == "mfcc_delta_mean_0" and len(names) == 12
    df = fs.set_output(transform="pandas").transform(X)
    assert isinstance(df, pd.DataFrame) and list(df.columns) == names
    named = FrameStats(stats=("max",), prefix=["a", "b", "c"]).fit(X)
    assert list(named.get_feature_names_out()) == ["a_max", "b_max", "c_max"]
    assert (
        list(FrameStats(stats=("max",)).fit(X).get_feature_names_out())[0] == "x_max_0"
    )
    mf = MFCC(n_mfcc=3, append_energy=True)
    fs = FrameStats(stats=("mean",), prefix=mf.feature_prefixes()).fit(X)
    assert list(fs.get_feature_names_out()) == [
        "log_energy_mean",
        "mfcc1_mean",
        "mfcc2_mean",
    ]


def test_dtype_is_preserved(ragged):
    X, _ = ragged
    assert FrameStats().fit_transform(X.astype(np.float32)).dtype == np.float32
    assert FrameStats().fit_transform(X).dtype == np.float64


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(stats=("mean", "mode")), "stats="),
        (dict(percentiles=(120,)), "percentiles="),
        (dict(stats=(), percentiles=()), "At least one"),
        (dict(deltas=3), "deltas=3"),
        (dict(prefix=["a"]), "prefix has 1 names"),
    ],
)
def test_errors(kw, match, ragged):
    with pytest.raises(ValueError, match=match):
        FrameStats(**kw).fit(ragged[0])


def test_input_errors(ragged):
    with pytest.raises(ValueError, match="shape \\(3, 10\\)"):
        FrameStats().fit(np.zeros((3, 10)))
    fs = FrameStats().fit(ragged[0])
    with pytest.raises(ValueError, match="fitted with 3"):
        fs.transform(np.zeros((3, 10, 4)))


@pytest.mark.parametrize(
    "est", [FrameStats(), FrameStats(stats=("min", "max"), deltas=1)]
)
def test_estimator_contract(est, rng):
    """The properties sklearn's checks protect, tested directly.

    ``parametrize_with_checks`` skips every check for estimators whose input
    is 3-D only (scikit-learn cannot generate such data), so they are here:
    clone/get_params, no attributes set in ``__init__``, pickling, fit
    idempotence, sample-order and subset invariance, n_features_in_.
    """
    import pickle

    from sklearn.base import clone

    X = rng.normal(size=(5, 6, 3))
    c = clone(est)
    assert c.get_params() == est.get_params() and not hasattr(c, "n_features_in_")
    out = c.fit_transform(X)
    assert c.n_features_in_ == 3
    np.testing.assert_array_equal(c.fit(X).transform(X), out)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(c)).transform(X), out)
    np.testing.assert_allclose(c.transform(X[::-1])[::-1], out)
    np.testing.assert_allclose(c.transform(X[2:]), out[2:])
    c.fit(rng.normal(size=(5, 6, 3)))  # refit on other data: same output
    np.testing.assert_allclose(c.transform(X), out)
