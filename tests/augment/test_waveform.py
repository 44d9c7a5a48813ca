"""WaveformAugmenter / AugmentedClassifier: training data change, prediction data never."""

import sys

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier

from sklearn_ser.augment import (
    AugmentedClassifier,
    WaveformAugmenter,
    babble_noise,
    speed_perturb,
)

SR = 16000


def _sine(freq, n=SR // 2, sr=SR):
    t = np.arange(n) / sr
    return (0.1 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_hz(y, sr=SR):
    spec = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    return np.fft.rfftfreq(y.size, 1 / sr)[np.argmax(spec)]


def _band_energy(y, freq, sr=SR, width=20.0):
    spec = np.abs(np.fft.rfft(y)) ** 2
    f = np.fft.rfftfreq(y.size, 1 / sr)
    return spec[np.abs(f - freq) < width].sum() / spec.sum()


@pytest.fixture
def waves():
    rng = np.random.default_rng(0)
    X = rng.normal(scale=0.1, size=(6, 8000)).astype(np.float32)
    return X, np.array(["a", "b", "c"] * 2), np.array([1, 1, 2, 2, 3, 3])


def test_import_does_not_load_tensorflow_or_audiomentations():
    assert "sklearn_ser.augment" in sys.modules
    # importing the subpackage loads neither (audiomentations comes in lazily)
    import subprocess

    code = (
        "import sys, sklearn_ser.augment; "
        "print('tensorflow' in sys.modules, 'audiomentations' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_speed_perturb_scales_length_and_frequency():
    y = _sine(1000.0, n=SR)
    fast = speed_perturb(y=y, rate=1.1)
    assert abs(fast.size - SR / 1.1) <= 2
    assert abs(_peak_hz(fast) - 1100.0) < 5.0
    slow = speed_perturb(y=y, rate=0.9)
    assert abs(_peak_hz(slow) - 900.0) < 5.0
    np.testing.assert_array_equal(speed_perturb(y=y, rate=1.0), y)
    with pytest.raises(ValueError, match="Received: rate=0"):
        speed_perturb(y=y, rate=0)


def test_babble_noise_reaches_the_requested_ratio():
    y, other = _sine(300.0), _sine(1000.0, n=1000)
    out = babble_noise(y=y, others=[other], snr_db=10.0)
    added = out - y
    ratio = 10 * np.log10(np.mean(y.astype(float) ** 2) / np.mean(added.astype(float) ** 2))
    assert ratio == pytest.approx(10.0, abs=0.01)


def test_fit_resample_keeps_originals_and_appends_different_copies(waves):
    X, y, g = waves
    aug = WaveformAugmenter(n_copies=2, p=1.0, random_state=0)
    X_res, y_res = aug.fit_resample(X, y, groups=g)
    assert X_res.shape == (18, 8000) and X_res.dtype == np.float32
    np.testing.assert_array_equal(X_res[:6], X)
    np.testing.assert_array_equal(y_res, np.tile(y, 3))
    np.testing.assert_array_equal(aug.sample_indices_, np.tile(np.arange(6), 3))
    for k in range(6, 18):
        assert not np.allclose(X_res[k], X[k % 6], atol=1e-3)
    # the two copies of one original are different draws
    assert not np.allclose(X_res[6], X_res[12])


def test_fit_resample_is_seeded(waves):
    X, y, g = waves
    a = WaveformAugmenter(p=1.0, random_state=3).fit_resample(X, y, groups=g)[0]
    b = WaveformAugmenter(p=1.0, random_state=3).fit_resample(X, y, groups=g)[0]
    c = WaveformAugmenter(p=1.0, random_state=4).fit_resample(X, y, groups=g)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # the global generators audiomentations draws from are restored
    state = np.random.get_state()[1].copy()
    WaveformAugmenter(p=1.0, random_state=3).fit_resample(X, y, groups=g)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_babble_comes_from_other_speakers_only():
    # each clip is a sine of its own frequency; clips 0 and 1 share a speaker
    freqs = [300.0, 600.0, 1000.0, 2000.0]
    X = np.stack([_sine(f) for f in freqs])
    aug = WaveformAugmenter(
        speed=None, pitch_semitones=None, noise_snr_db=None,
        babble_snr_db=(0.0, 0.0), babble_speakers=2, p=1.0, random_state=0,
    )
    X_res, _ = aug.fit_resample(X, ["x"] * 4, groups=["s1", "s1", "s2", "s3"])
    babble0 = X_res[4] - X[0]
    assert _band_energy(babble0, 600.0) < 1e-4  # same speaker: never mixed in
    assert _band_energy(babble0, 1000.0) > 0.3
    assert _band_energy(babble0, 2000.0) > 0.3


def test_parameters_are_validated(waves):
    X, y, _ = waves
    with pytest.raises(ValueError, match="speed"):
        WaveformAugmenter(speed=(1.1, 0.9)).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_copies"):
        WaveformAugmenter(n_copies=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="len\\(y\\)=5"):
        WaveformAugmenter().fit_resample(X, y[:5])
    assert not hasattr(WaveformAugmenter(), "transform")


class _Recorder(ClassifierMixin, BaseEstimator):
    """Remembers what it was fitted on and what it was asked to predict."""

    def fit(self, X, y):
        self.fit_X_ = np.array(X, copy=True)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        self.predict_X_ = np.array(X, copy=True)
        return np.full(len(X), self.classes_[0])


def test_augmented_classifier_augments_fit_data_only(waves):
    X, y, g = waves
    clf = AugmentedClassifier(_Recorder(), WaveformAugmenter(p=1.0, random_state=0))
    assert is_classifier(clf)
    clf.fit(X, y, groups=g)
    assert clf.estimator_.fit_X_.shape == (12, 8000) and clf.n_train_ == 12
    assert not np.allclose(clf.estimator_.fit_X_[6:], X, atol=1e-3)
    X_copy = X.copy()
    clf.predict(X)
    # prediction data reach the estimator bit-identical, and are not modified
    np.testing.assert_array_equal(clf.estimator_.predict_X_, X)
    np.testing.assert_array_equal(X, X_copy)
    assert not hasattr(clf, "predict_proba")
    with pytest.raises(TypeError, match="fit_resample"):
        AugmentedClassifier(_Recorder(), augmenter=object()).fit(X, y)


def test_augmented_classifier_predictions_match_an_unwrapped_model(waves):
    """Same fitted model: predictions with and without the wrapper are bit-identical."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y, g = waves
    feats = FunctionTransformer(lambda W: np.abs(np.fft.rfft(W))[:, :200])
    pipe = make_pipeline(feats, LogisticRegression(max_iter=200))
    wrapped = AugmentedClassifier(pipe, WaveformAugmenter(p=1.0, random_state=0))
    wrapped.fit(X, y, groups=g)
    X_res, y_res = clone(wrapped.augmenter).fit_resample(X, y, groups=g)
    plain = clone(pipe).fit(X_res, y_res)
    np.testing.assert_array_equal(wrapped.predict_proba(X), plain.predict_proba(X))


class _GroupsRecorder(_Recorder):
    def fit(self, X, y, groups=None):
        self.fit_groups_ = None if groups is None else np.array(groups, copy=True)
        return super().fit(X, y)


def test_augmented_classifier_hands_each_copy_its_speaker(waves):
    from sklearn.pipeline import Pipeline

    from sklearn_ser.augment import SpeedPerturbation
    from sklearn_ser.utils._groups import fit_groups_kw

    X, y, g = waves
    clf = AugmentedClassifier(
        _GroupsRecorder(), SpeedPerturbation(), groups_param="groups"
    )
    clf.fit(X, y, groups=g)
    np.testing.assert_array_equal(clf.estimator_.fit_groups_, np.tile(g, 3))
    # a Pipeline step's parameter, as in the compare-vote-speed pipeline
    pipe = Pipeline([("vote", _GroupsRecorder())])
    clf = AugmentedClassifier(pipe, SpeedPerturbation(), groups_param="vote__groups")
    clf.fit(X, y, groups=g)
    np.testing.assert_array_equal(clf.estimator_[-1].fit_groups_, np.tile(g, 3))
    # no groups_param: the estimator gets none; no groups given: nothing to hand
    for kw, fit_kw in (({}, {"groups": g}), ({"groups_param": "groups"}, {})):
        clf = AugmentedClassifier(_GroupsRecorder(), SpeedPerturbation(), **kw)
        assert clf.fit(X, y, **fit_kw).estimator_.fit_groups_ is None
    # the helper evaluate() and the CLI use: AugmentedClassifier.fit names groups
    assert fit_groups_kw(clf, g) == {"groups": g}
    assert fit_groups_kw(_Recorder(), g) == {} and fit_groups_kw(clf, None) == {}

    class _NoIndices(BaseEstimator):
        def fit_resample(self, X, y, groups=None):
            return X, y

    clf = AugmentedClassifier(_GroupsRecorder(), _NoIndices(), groups_param="groups")
    with pytest.raises(ValueError, match="_NoIndices sets no sample_indices_"):
        clf.fit(X, y, groups=g)


@pytest.mark.slow
def test_scikit_learn_estimator_checks_on_the_wrapper():
    """The wrapper is a well-behaved classifier (no augmenter: plain data)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(
        AugmentedClassifier(LogisticRegression()), on_fail=None
    )
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == []
