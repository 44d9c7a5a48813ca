"""LogMelFunctionals: per-band statistics of log-Mel over the active frames."""

import numpy as np
import pytest

from sklearn_ser.datasets import load_sample
from sklearn_ser.features import LOGMEL_STATS, LogMelFunctionals
from sklearn_ser.features._logmel_functionals import _band_stats
from sklearn_ser.io import load_audio


@pytest.fixture(scope="module")
def waves():
    """Three real RAVDESS clips of the shipped sample, 16 kHz."""
    out = [load_audio(p, sr=16000) for p in load_sample().filenames[:3]]
    return [w[0] if isinstance(w, tuple) else w for w in out]


def test_statistics_ignore_a_constant_offset_of_each_band():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5)).cumsum(axis=0)
    offset = rng.normal(scale=10, size=5)
    np.testing.assert_allclose(_band_stats(X + offset), _band_stats(X), atol=1e-9)


def test_statistics_on_a_known_sequence():
    t = np.arange(101, dtype=float)
    X = np.c_[2.0 * t, np.where(t < 50, -1.0, 1.0)]
    std, skew, kurt, p10, p50, p90, slope = _band_stats(X)
    assert slope[0] == pytest.approx(2.0)  # the regression slope per frame
    assert p50[0] == pytest.approx(0.0)  # symmetric: median equals mean
    assert p10[0] == pytest.approx(-p90[0])
    assert skew[0] == pytest.approx(0.0, abs=1e-9)
    assert kurt[0] == pytest.approx(-1.2, abs=0.01)  # uniform: excess kurtosis -6/5
    assert std[1] == pytest.approx(1.0, abs=0.01)


def test_silence_after_the_speech_changes_nothing(waves):
    tfm = LogMelFunctionals().fit(waves)
    padded = [np.r_[w, np.zeros(8000, np.float32)] for w in waves]  # + 0.5 s
    np.testing.assert_array_equal(tfm.transform(padded), tfm.transform(waves))
    # without the active-frame selection the same padding moves the statistics
    every_frame = LogMelFunctionals(active_db=1000.0).fit(waves)
    diff = np.abs(every_frame.transform(padded) - every_frame.transform(waves))
    assert diff.max() > 0.1


def test_layout_names_and_width(waves):
    tfm = LogMelFunctionals(n_mels=32).fit(waves)
    X = tfm.transform(waves)
    names = tfm.get_feature_names_out()
    assert X.shape == (3, len(LOGMEL_STATS) * 2 * 32) == (3, len(names))
    assert X.dtype == np.float32 and np.isfinite(X).all()
    assert names[0] == "logmel_std_0" and names[32] == "logmel_delta_std_0"
    assert names[-1] == "logmel_delta_slope_31"
    # paths give the same as the waveforms they decode to
    paths = np.asarray(load_sample().filenames[:3], dtype=object)
    np.testing.assert_allclose(tfm.transform(paths), X, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "param", [{"active_db": 0.0}, {"n_mels": 0}, {"min_active": 0}]
)
def test_bad_parameters_are_named(waves, param):
    (name,) = param
    with pytest.raises(ValueError, match=name):
        LogMelFunctionals(**param).fit(waves)
