"""S4's music feature set: numerics against librosa, arithmetic checks, transformers.

Tolerances (librosa 0.11 with the same parameters; our STFT is float32 like
librosa's, the reductions differ only in summation order):

- centroid, bandwidth: 0.05 Hz absolute (measured max on RAVDESS/TESS:
  5e-4 Hz and 2.2e-3 Hz);
- flatness: 1e-5 absolute (measured 8e-7);
- roll-off: the result is a bin frequency, and where the cumulative sum meets
  the 85 % threshold within float32 rounding the two implementations can pick
  neighbouring bins: at most 1 % of all frames may differ, by exactly one bin
  (measured: 1 frame of 686 on these six clips, 0 of ~2500 on 25 others);
- zero-crossing rate: exact (measured 0);
- RMS: 1e-5 relative to the clip's peak RMS (measured 4e-7);
- chroma: 1e-4 absolute on values in [0, 1] (measured 6e-7);
- MFCC: 1e-5 relative + 1e-3 absolute (values up to ~960; measured max
  1.2e-3 absolute = 1.2e-6 relative, float32 rounding);
- onset strength: 1e-4 absolute (measured 9e-6); tempo: identical BPM.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_ser import Pipeline
from sklearn_ser import features as fm
from sklearn_ser.features import Chroma, MusicFeatures, SpectralDescriptors, Tempo
from sklearn_ser.features._music_estimators import MUSIC_FEATURES, SPECTRAL_FEATURES
from sklearn_ser.io import load_audio

SR = 22050


def _sine(freq, seconds=1.0, sr=SR, amp=0.5):
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.fixture(scope="module")
def real_clips(ravdess_files, tess_files):
    """Six real clips at 22050 Hz (3 RAVDESS actors/emotions, 3 TESS)."""
    paths = [ravdess_files[i] for i in (0, 517, 1301)] + [
        tess_files[i] for i in (5, 1400, 2790)
    ]
    return [load_audio(p, sr=SR) for p in paths]


# --------------------------------------------------------------- librosa
@pytest.mark.data
def test_descriptors_match_librosa(real_clips):
    librosa = pytest.importorskip("librosa")
    rolloff_diff, n_frames = 0, 0
    for y in real_clips:
        S = np.abs(librosa.stft(y, n_fft=2048, hop_length=512))
        cen = fm.spectral_centroid(y=y, sr=SR)
        ref = librosa.feature.spectral_centroid(S=S, sr=SR)[0]
        assert cen.shape == ref.shape
        np.testing.assert_allclose(cen, ref, atol=0.05, rtol=0)
        bw = fm.spectral_bandwidth(y=y, sr=SR)
        ref = librosa.feature.spectral_bandwidth(S=S, sr=SR)[0]
        np.testing.assert_allclose(bw, ref, atol=0.05, rtol=0)
        bw1 = fm.spectral_bandwidth(S=S.T, sr=SR, p=1)  # the general-p path
        ref = librosa.feature.spectral_bandwidth(S=S, sr=SR, p=1)[0]
        np.testing.assert_allclose(bw1, ref, atol=0.05, rtol=0)
        fl = fm.spectral_flatness(y=y)
        ref = librosa.feature.spectral_flatness(S=S)[0]
        np.testing.assert_allclose(fl, ref, atol=1e-5, rtol=0)
        ro = fm.spectral_rolloff(y=y, sr=SR)
        ref = librosa.feature.spectral_rolloff(S=S, sr=SR)[0]
        rolloff_diff += int(np.sum(ro != ref))
        n_frames += ro.size
        assert np.abs(ro - ref).max() <= SR / 2048 + 1e-3
        zc = fm.zero_crossing_rate(y=y)
        np.testing.assert_array_equal(zc, librosa.feature.zero_crossing_rate(y)[0])
        r = fm.rms(y=y)
        ref = librosa.feature.rms(y=y)[0]
        np.testing.assert_allclose(r, ref, atol=1e-5 * ref.max(), rtol=0)
        r = fm.rms(S=S.T)
        ref = librosa.feature.rms(S=S)[0]
        np.testing.assert_allclose(r, ref, atol=1e-5 * ref.max(), rtol=0)
    assert rolloff_diff <= 0.01 * n_frames, (rolloff_diff, n_frames)


@pytest.mark.data
def test_chroma_onset_tempo_match_librosa(real_clips):
    librosa = pytest.importorskip("librosa")
    for y in real_clips:
        ch = fm.chroma_stft(y=y, sr=SR)
        ref = librosa.feature.chroma_stft(y=y, sr=SR, tuning=0.0).T
        assert ch.shape == ref.shape == (1 + len(y) // 512, 12)
        np.testing.assert_allclose(ch, ref, atol=1e-4, rtol=0)
        env = fm.onset_strength(y=y, sr=SR)
        np.testing.assert_allclose(
            env, librosa.onset.onset_strength(y=y, sr=SR), atol=1e-4, rtol=0
        )
        assert fm.tempo(y=y, sr=SR) == pytest.approx(
            float(librosa.feature.tempo(y=y, sr=SR)[0]), abs=1e-9
        )


def test_chroma_filterbank_matches_librosa():
    librosa = pytest.importorskip("librosa")
    for sr, n_fft, tuning in [(22050, 2048, 0.0), (16000, 512, 0.3)]:
        np.testing.assert_allclose(
            fm.chroma_filterbank(sr=sr, n_fft=n_fft, tuning=tuning),
            librosa.filters.chroma(sr=sr, n_fft=n_fft, tuning=tuning),
            rtol=1e-6,
            atol=1e-7,
        )


@pytest.mark.data
def test_music_features_frames_match_librosa(real_clips):
    """The transformer's frame-level columns are librosa's, column by column."""
    librosa = pytest.importorskip("librosa")
    y = real_clips[1]
    mf = MusicFeatures(pooling=None)
    seq = mf.fit_transform([y])[0]
    names = list(mf.get_feature_names_out())
    n = 1 + len(y) // 512
    assert seq.shape == (n, 7 + 12 + 20 + 1)
    col = {name: seq[:, i] for i, name in enumerate(names)}
    np.testing.assert_allclose(
        col["spectral_centroid"],
        librosa.feature.spectral_centroid(y=y, sr=SR)[0],
        atol=0.05,
    )
    np.testing.assert_array_equal(
        col["zero_crossing_rate"], librosa.feature.zero_crossing_rate(y)[0]
    )
    mfcc = np.stack([col[f"mfcc_{k}"] for k in range(20)], axis=1)
    np.testing.assert_allclose(
        mfcc, librosa.feature.mfcc(y=y, sr=SR).T, rtol=1e-5, atol=1e-3
    )
    chroma = np.stack([col[f"chroma_{k}"] for k in range(12)], axis=1)
    np.testing.assert_allclose(
        chroma, librosa.feature.chroma_stft(y=y, sr=SR, tuning=0.0).T, atol=1e-4
    )
    tempo_col = col["tempo_bpm"]
    assert np.all(tempo_col == tempo_col[0])
    assert tempo_col[0] == pytest.approx(librosa.feature.tempo(y=y, sr=SR)[0], rel=1e-6)


# ----------------------------------------------------- arithmetic checks
def test_sine_descriptors():
    f = 1000.0
    y = _sine(f, amp=0.5)
    mid = slice(5, -5)  # frames away from the zero-padded edges
    cen = fm.spectral_centroid(y=y, sr=SR)[mid]
    assert np.abs(cen - f).max() < 2.0
    ro = fm.spectral_rolloff(y=y, sr=SR)[mid]
    assert np.all(np.abs(ro - f) <= 2 * SR / 2048)  # within two bins
    bw = fm.spectral_bandwidth(y=y, sr=SR)[mid]
    assert bw.max() < 30.0  # a pure tone is narrow (Hann main lobe: +-2 bins)
    zcr = fm.zero_crossing_rate(y=y)[mid]
    np.testing.assert_allclose(zcr, 2 * f / SR, atol=2 / 2048)
    r = fm.rms(y=y)[mid]
    np.testing.assert_allclose(r, 0.5 / np.sqrt(2), rtol=2e-3)
    flux = fm.spectral_flux(y=y)[mid]
    assert flux.max() < 1e-3 * np.abs(fm.stft(y=y, n_fft=2048, hop_length=512)).max()


def test_flatness_noise_vs_tone():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(SR).astype(np.float32) * 0.1
    assert np.median(fm.spectral_flatness(y=noise)) > 0.3
    assert np.median(fm.spectral_flatness(y=_sine(440))) < 1e-3


def test_spectral_flux_definition():
    S = np.zeros((4, 5), dtype=np.float32)
    S[2:, 1] = 3.0  # energy appears at frame 2
    S[3, 2] = 4.0  # and more at frame 3
    np.testing.assert_allclose(fm.spectral_flux(S=S), [0, 0, 3, 4])
    S2 = S[::-1].copy()  # energy disappears
    np.testing.assert_allclose(fm.spectral_flux(S=S2), [0, 4, 3, 0])
    np.testing.assert_allclose(fm.spectral_flux(S=S2, rectify=True), [0, 0, 0, 0])
    np.testing.assert_allclose(fm.spectral_flux(S=S, p=1, lag=2), [0, 0, 3, 7])


def test_chroma_of_a440_peaks_at_a():
    ch = fm.chroma_stft(y=_sine(440.0), sr=SR)
    assert np.all(ch[3:-3].argmax(axis=1) == 9)  # C=0 ... A=9
    ch = fm.chroma_stft(y=_sine(261.63), sr=SR)  # middle C
    assert np.all(ch[3:-3].argmax(axis=1) == 0)


@pytest.mark.parametrize("bpm", [60, 90, 120, 160])
def test_tempo_of_click_track(bpm):
    """A click every 60/bpm s: the estimate is one of the two lags around the period."""
    hop = 512
    y = np.zeros(12 * SR, dtype=np.float32)
    y[(np.arange(0, 12, 60.0 / bpm) * SR).astype(int)] = 1.0
    est = fm.tempo(y=y, sr=SR, hop_length=hop)
    lag = 60.0 * SR / (hop * bpm)  # period in onset frames (fractional)
    candidates = [60.0 * SR / (hop * k) for k in (np.floor(lag), np.ceil(lag))]
    assert min(abs(est - c) for c in candidates) < 1e-9, (est, candidates)


def test_tempo_prior_alone_on_silence():
    est = fm.tempo(y=np.zeros(3 * SR, dtype=np.float32), sr=SR)
    bpms = fm._rhythm.tempo_frequencies(344, sr=SR)[1:]
    assert est == bpms[np.argmin(np.abs(np.log2(bpms) - np.log2(120)))]


def test_input_validation():
    y = _sine(440)
    with pytest.raises(ValueError, match="roll_percent"):
        fm.spectral_rolloff(y=y, roll_percent=1.5)
    with pytest.raises(ValueError, match="either y"):
        fm.spectral_centroid()
    with pytest.raises(ValueError, match="non-negative"):
        fm.spectral_centroid(S=-np.ones((3, 1025)))
    with pytest.raises(ValueError, match="frame_length"):
        fm.rms(S=np.ones((3, 513)), frame_length=2048)
    with pytest.raises(ValueError, match="Received: stats="):
        MusicFeatures(stats=("mean", "mode")).fit([y])
    with pytest.raises(ValueError, match="Received: features="):
        MusicFeatures(features=("chroma", "pitch")).fit([y])
    with pytest.raises(ValueError, match="Received: pooling="):
        SpectralDescriptors(pooling="max").fit([y])
    with pytest.raises(ValueError, match="Received: n_mfcc=40"):
        MusicFeatures(n_mfcc=40, n_mels=20).fit([y])


# ------------------------------------------------------- transformers
def test_feature_names_and_shapes():
    rng = np.random.default_rng(1)
    X = [rng.standard_normal(n).astype(np.float32) * 0.1 for n in (9000, 22050)]
    mf = MusicFeatures(stats=("mean", "std", "max"))
    F = mf.fit_transform(X)
    names = mf.get_feature_names_out()
    assert F.shape == (2, len(names)) == (2, 7 * 3 + 12 * 3 + 20 * 3 + 1)
    assert F.dtype == np.float32
    assert len(set(names)) == len(names)
    for expected in (
        "spectral_centroid_mean",
        "rms_max",
        "chroma_std_3",
        "mfcc_mean_0",
        "tempo_bpm",
        "zero_crossing_rate_std",
    ):
        assert expected in names
    # each named column is that statistic of that frame-level column
    seq = MusicFeatures(pooling=None).fit(X)
    frames = seq.transform(X)
    i = list(names).index("chroma_std_3")
    chroma3 = frames[0, : frames.lengths[0], 7 + 3]
    assert F[0, i] == pytest.approx(chroma3.std(), rel=1e-5)
    i = list(names).index("rms_max")
    assert F[1, i] == pytest.approx(fm.rms(y=X[1]).max(), rel=1e-6)


def test_set_output_pandas():
    pytest.importorskip("pandas")
    X = [_sine(440), _sine(880)]
    df = Chroma(stats=("mean",)).set_output(transform="pandas").fit_transform(X)
    assert list(df.columns) == [f"chroma_mean_{k}" for k in range(12)]
    assert df.idxmax(axis=1).tolist() == ["chroma_mean_9", "chroma_mean_9"]


def test_pooling_none_sequences():
    X = [_sine(440, 1.0), _sine(660, 0.5)]
    mf = MusicFeatures(pooling=None)
    Z = mf.fit_transform(X)
    n0 = 1 + SR // 512
    assert mf.n_frames_ == n0
    assert Z.shape == (2, n0, 40)
    n1 = 1 + (SR // 2) // 512
    assert np.all(Z[1, n1:] == 0) and np.any(Z[1, n1 - 1] != 0)
    assert mf.get_feature_names_out()[-1] == "tempo_bpm"
    Z2 = MusicFeatures(pooling=None, max_frames=10).fit_transform(X)
    np.testing.assert_array_equal(Z2, Z[:, :10])
    fixed = MusicFeatures(pooling=None, max_frames=10)
    assert fixed.__sklearn_tags__().requires_fit is False
    assert mf.__sklearn_tags__().requires_fit is True
    # transform of a longer clip is trimmed to the learned length
    assert mf.transform([_sine(440, 2.0)]).shape == (1, n0, 40)


def test_duration_pads_before_analysis():
    X = [_sine(440, 0.5)]
    a = SpectralDescriptors(duration=1.0, stats=("mean",)).fit_transform(X)
    b = SpectralDescriptors(stats=("mean",)).fit_transform(
        [np.pad(X[0], (0, SR - len(X[0])))]
    )
    np.testing.assert_array_equal(a, b)


def test_music_features_is_the_union_of_its_blocks():
    rng = np.random.default_rng(2)
    X = [rng.standard_normal(n).astype(np.float32) * 0.2 for n in (15000, 30000, 700)]
    union = FeatureUnion(
        [
            ("spectral", SpectralDescriptors()),
            ("chroma", Chroma()),
            ("mfcc", MusicFeatures(features=("mfcc",))),
            ("tempo", Tempo()),
        ]
    )
    np.testing.assert_allclose(
        union.fit_transform(X), MusicFeatures().fit_transform(X), rtol=1e-6, atol=1e-6
    )
    order = ("tempo", "rms", "chroma")
    F = MusicFeatures(features=order).fit_transform(X)
    G = np.hstack(
        [
            Tempo().fit_transform(X),
            SpectralDescriptors(features=("rms",)).fit_transform(X),
            Chroma().fit_transform(X),
        ]
    )
    np.testing.assert_allclose(F, G, rtol=1e-6)


def test_mfcc_block_equals_core_mfcc():
    from sklearn_ser.features import mfcc

    y = np.random.default_rng(3).standard_normal(20000).astype(np.float32) * 0.3
    seq = MusicFeatures(features=("mfcc",), pooling=None).fit_transform([y])[0]
    ref = mfcc(y=y, sr=SR, n_mfcc=20, n_fft=2048, hop_length=512, n_mels=128)
    np.testing.assert_allclose(seq, ref, rtol=1e-5, atol=1e-4)


def test_n_jobs_and_batch_independence():
    rng = np.random.default_rng(4)
    X = [
        rng.standard_normal(int(n)).astype(np.float32) * 0.1
        for n in rng.integers(3000, 20000, size=70)
    ]
    a = MusicFeatures().fit_transform(X)
    b = MusicFeatures(n_jobs=2).fit_transform(X)
    np.testing.assert_array_equal(a, b)
    # a clip's features do not depend on the rest of its batch
    np.testing.assert_allclose(
        MusicFeatures().fit_transform(X[40:41]), a[40:41], rtol=1e-6, atol=1e-6
    )


@pytest.mark.data
def test_silent_and_too_short_inputs_are_finite(bad_inputs_dir):
    paths = [
        str(bad_inputs_dir / "silent_3s_16k.wav"),
        str(bad_inputs_dir / "too_short_5ms_48k.wav"),
    ]
    for est in (MusicFeatures(), MusicFeatures(pooling=None, max_frames=50)):
        F = est.fit_transform(paths)
        assert np.isfinite(F).all()
    F = MusicFeatures().fit_transform(paths)
    names = list(MusicFeatures().get_feature_names_out())
    silent = dict(zip(names, F[0]))
    assert silent["spectral_centroid_mean"] == 0.0
    assert silent["spectral_flatness_mean"] == pytest.approx(1.0)
    assert silent["rms_mean"] == 0.0
    assert 100 < silent["tempo_bpm"] < 140  # the prior alone
    short = load_audio(paths[1], sr=SR)
    assert len(short) < 2048  # shorter than one frame
    seq = MusicFeatures(pooling=None).fit_transform([short])
    assert seq.shape == (1, 1 + len(short) // 512, 40)


@pytest.mark.data
def test_paths_and_waveforms_give_identical_features(ravdess_files):
    paths = ravdess_files[:3]
    waves = [load_audio(p, sr=SR) for p in paths]
    mf = MusicFeatures()
    np.testing.assert_array_equal(mf.fit_transform(paths), mf.fit_transform(waves))
    mixed = [paths[0], waves[1], paths[2]]
    np.testing.assert_array_equal(mf.fit_transform(mixed), mf.fit_transform(waves))


@pytest.mark.data
def test_pipeline_grid_search_on_tess(tess_files, tmp_path):
    """MusicFeatures -> StandardScaler -> SVC, grid-searched on a TESS subset.

    7 emotions, 16 clips each (chance 1/7 = 0.14); features are cached with
    ``memory`` so the two values of C share each fold's extraction.
    Measured: best CV accuracy 0.964 (C=10; 0.929 with C=1).
    """
    from collections import defaultdict

    by_emotion = defaultdict(list)
    for p in tess_files:
        by_emotion[p.rsplit("_", 1)[-1].split(".")[0].lower()].append(p)
    rng = np.random.default_rng(0)
    X, y = [], []
    for emo, files in sorted(by_emotion.items()):
        for p in rng.choice(files, size=16, replace=False):
            X.append(str(p))
            y.append(emo)
    X, y = np.array(X, dtype=object), np.array(y)
    assert len(set(y)) == 7
    pipe = Pipeline([MusicFeatures(memory=str(tmp_path)), StandardScaler(), SVC()])
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, {"svc__C": [1.0, 10.0]}, cv=cv)
    search.fit(X, y)
    assert search.best_score_ > 0.75, search.best_score_
    assert set(search.cv_results_["param_svc__C"]) == {1.0, 10.0}


def test_all_blocks_listed():
    assert MUSIC_FEATURES[: len(SPECTRAL_FEATURES)] == SPECTRAL_FEATURES
    assert set(MUSIC_FEATURES) == set(SPECTRAL_FEATURES) | {"chroma", "mfcc", "tempo"}


@pytest.mark.parametrize(
    "est",
    [
        SpectralDescriptors(),
        Chroma(),
        Tempo(),
        MusicFeatures(),
        MusicFeatures(pooling=None),
    ],
    ids=["spectral", "chroma", "tempo", "music", "music-frames"],
)
def test_estimator_contract(est):
    """What parametrize_with_checks protects, for X of waveforms (see test_mfcc)."""
    rng = np.random.default_rng(6)
    X = [rng.normal(size=n).astype(np.float32) * 0.1 for n in (6000, 9000, 12000)]
    c = clone(est)
    assert not hasattr(c, "n_features_in_")
    a = c.fit_transform(X)
    assert c.n_features_in_ == 1 and a.dtype == np.float32
    assert a.shape[-1] == len(c.get_feature_names_out())
    np.testing.assert_array_equal(c.fit(X).transform(X), a)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(c)).transform(X), a)
    np.testing.assert_allclose(c.transform(X[::-1])[::-1], a, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c.transform(X[1:]), a[1:], rtol=1e-5, atol=1e-5)
    assert c.__sklearn_tags__().input_tags.string
    bad = clone(est).set_params(n_fft=-1)  # __init__ stores, fit validates
    with pytest.raises(ValueError, match="n_fft=-1"):
        bad.fit(X)
