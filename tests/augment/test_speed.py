"""SpeedPerturbation: fixed-factor copies at fit time (Kaldi's recipe)."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_ser.augment import AugmentedClassifier, SpeedPerturbation, speed_perturb


def _waves(rng, lengths=(16000, 12000, 8000)):
    return [rng.normal(size=n).astype(np.float32) for n in lengths]


def test_originals_then_one_copy_per_rate_in_order(rng):
    X = _waves(rng)
    y = np.array(["a", "b", "c"])
    aug = SpeedPerturbation(rates=(0.9, 1.1))
    X_res, y_res = aug.fit_resample(X, y)
    assert len(X_res) == 9
    np.testing.assert_array_equal(aug.sample_indices_, np.tile(np.arange(3), 3))
    np.testing.assert_array_equal(y_res, np.tile(y, 3))
    for i in range(3):
        np.testing.assert_array_equal(X_res[i], X[i])
        np.testing.assert_array_equal(X_res[3 + i], speed_perturb(y=X[i], rate=0.9))
        np.testing.assert_array_equal(X_res[6 + i], speed_perturb(y=X[i], rate=1.1))
    # 0.9x is slower, so longer; no randomness: a second call gives the same
    assert len(X_res[3]) > len(X[0]) > len(X_res[6])
    again, _ = SpeedPerturbation(rates=(0.9, 1.1)).fit_resample(X, y)
    for a, b in zip(X_res, again):
        np.testing.assert_array_equal(a, b)


def test_two_d_input_keeps_its_width(rng):
    X = rng.normal(size=(4, 8000)).astype(np.float32)
    X_res, y_res = SpeedPerturbation(rates=(0.8,)).fit_resample(X, np.arange(4))
    assert X_res.shape == (8, 8000) and X_res.dtype == np.float32
    assert len(y_res) == 8


@pytest.mark.parametrize("rates", [(), (0.9, 0.0), (-1.0,)])
def test_bad_rates_are_named(rng, rates):
    with pytest.raises(ValueError, match="rates"):
        SpeedPerturbation(rates=rates).fit_resample(_waves(rng), ["a", "b", "c"])


def test_lengths_are_checked(rng):
    with pytest.raises(ValueError, match="len\\(y\\)=2"):
        SpeedPerturbation().fit_resample(_waves(rng), ["a", "b"])
    with pytest.raises(ValueError, match="groups must have one speaker id"):
        SpeedPerturbation().fit_resample(_waves(rng), ["a", "b", "c"], groups=["s"])


def test_in_augmented_classifier_copies_reach_fit_only(rng):
    X = [rng.normal(loc=k % 2, size=4000).astype(np.float32) for k in range(10)]
    y = np.arange(10) % 2
    feats = FunctionTransformer(
        lambda W: np.array([[np.mean(w), np.std(w), len(w)] for w in W])
    )
    clf = AugmentedClassifier(
        make_pipeline(feats, LogisticRegression()), SpeedPerturbation()
    ).fit(X, y)
    assert clf.n_train_ == 30
    proba = clf.predict_proba(X[:2])
    np.testing.assert_array_equal(proba, clf.estimator_.predict_proba(X[:2]))


def test_pitch_copies_follow_the_speed_copies_and_keep_the_duration():
    pytest.importorskip("librosa")
    from sklearn_ser.augment import pitch_shift

    sr = 16000
    t = np.arange(sr) / sr
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    aug = SpeedPerturbation(rates=(0.9,), semitones=(2.0, -2.0))
    X_res, y_res = aug.fit_resample([tone], ["a"])
    assert len(X_res) == 4 and y_res.tolist() == ["a"] * 4
    np.testing.assert_array_equal(aug.sample_indices_, [0, 0, 0, 0])
    np.testing.assert_array_equal(X_res[1], speed_perturb(y=tone, rate=0.9))

    def peak_hz(w):
        spec = np.abs(np.fft.rfft(w * np.hanning(w.size)))
        return np.fft.rfftfreq(w.size, 1 / sr)[np.argmax(spec)]

    for w, st in zip(X_res[2:], (2.0, -2.0)):
        assert w.dtype == np.float32 and len(w) == len(tone)
        # 440 Hz moved by 2 semitones: 493.9 / 392.0 Hz (1 Hz bins)
        assert peak_hz(w) == pytest.approx(440 * 2 ** (st / 12), abs=2)
        np.testing.assert_array_equal(w, pitch_shift(y=tone, semitones=st, sr=sr))


@pytest.mark.parametrize("semitones", [(0.0,), (np.inf,), (2.0, np.nan)])
def test_bad_semitones_are_named(rng, semitones):
    with pytest.raises(ValueError, match="semitones"):
        aug = SpeedPerturbation(semitones=semitones)
        aug.fit_resample(_waves(rng), ["a", "b", "c"])
