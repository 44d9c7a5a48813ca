"""LoudnessNormalizer: every recording at the same RMS, never clipped."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_ser.preprocessing import LoudnessNormalizer, normalize_loudness


def _rms_db(y):
    return 20 * np.log10(np.sqrt(np.mean(np.square(y, dtype=np.float64))))


def test_recordings_of_any_level_come_out_at_the_target(rng):
    base = (0.1 * rng.standard_normal(16000)).astype(np.float32)
    base = np.clip(base, -0.3, 0.3)  # crest factor 3 at most
    X = [base * g for g in (0.01, 0.3, 3.0)]  # -50 dB .. +20 dB
    out = LoudnessNormalizer(target_db=-25.0).fit_transform(X)
    for y in out:
        assert y.dtype == np.float32
        assert _rms_db(y) == pytest.approx(-25.0, abs=1e-3)
    # the waveform's shape is kept: all three are the same signal again
    np.testing.assert_allclose(out[0], out[2], rtol=1e-4, atol=1e-6)


def test_the_peak_limit_wins_over_the_target():
    spiky = np.zeros(16000, np.float32)
    spiky[::400] = 0.5  # a low RMS with a high peak
    (out,) = LoudnessNormalizer(target_db=-10.0, peak=0.9).fit_transform([spiky])
    assert np.abs(out).max() == pytest.approx(0.9, rel=1e-6)
    assert _rms_db(out) < -10.0


def test_silence_is_returned_unchanged_and_paths_work(ravdess_files):
    zeros = np.zeros(100, np.float32)
    np.testing.assert_array_equal(normalize_loudness(y=zeros), zeros)
    out = LoudnessNormalizer().fit_transform(ravdess_files[:2])
    assert [round(_rms_db(y), 3) for y in out] == [-25.0, -25.0]


def test_parameters_are_checked():
    y = [np.ones(10, np.float32)]
    with pytest.raises(InvalidParameterError, match="target_db"):
        LoudnessNormalizer(target_db=3.0).fit_transform(y)
    with pytest.raises(InvalidParameterError, match="peak"):
        LoudnessNormalizer(peak=1.5).fit_transform(y)
