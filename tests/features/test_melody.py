"""MelodyStats / melody_stats: predominant-melody contours and expressive cues.

Synthetic harmonic tones (5 harmonics, 1/h amplitudes) whose pitch track is
known, followed by silence, check the arithmetic: pitch in semitones above
``fmin``, intervals between notes, glissando, vibrato rate and extent,
tremolo kept apart from vibrato. Real MER clips check what a tone cannot:
played 2 semitones higher, the melody moves 2 semitones up.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_ser.features import MELODY_FEATURES, MelodyStats, melody_stats

pytest.importorskip("librosa")

SR = 22050
NAMES = list(MELODY_FEATURES)


def _tone(f0):
    """A harmonic tone following the per-sample fundamental ``f0`` (Hz)."""
    phase = 2 * np.pi * np.cumsum(f0) / SR
    return (0.2 * sum(np.sin(h * phase) / h for h in range(1, 6))).astype(np.float32)


def _then_silence(y, seconds=2.0):
    return np.r_[y, np.zeros(int(seconds * SR), np.float32)]


T = np.arange(2 * SR) / SR


def _stats(y, **kw):
    return dict(zip(NAMES, melody_stats(y=y, sr=SR, **kw)))


@pytest.fixture(scope="module")
def steady():
    return _stats(_then_silence(_tone(np.full_like(T, 220.0))))


# ------------------------------------------------------------ arithmetic
def test_steady_tone_is_one_contour_at_its_pitch(steady):
    """A3 (220 Hz) is 21 semitones above C2; 2 s of tone in 4 s of clip."""
    assert steady["pitch_mean"] == pytest.approx(21.0, abs=0.05)
    assert steady["pitch_range"] < 0.05
    assert steady["contour_fraction"] == pytest.approx(0.5, abs=0.05)
    assert steady["contours_per_second"] == pytest.approx(0.25, rel=0.01)  # 1 in 4 s
    assert steady["vibrato_fraction"] == 0 and steady["glissando_fraction"] == 0
    assert steady["tremolo_fraction"] == 0


def test_pitch_is_counted_from_fmin():
    y = _then_silence(_tone(np.full_like(T, 220.0)))
    assert _stats(y, fmin=110.0)["pitch_mean"] == pytest.approx(12.0, abs=0.05)


@pytest.mark.parametrize("rate", [5.0, 6.0, 7.0])
def test_vibrato_rate_and_extent(rate, steady):
    """+-0.5 semitone at ``rate`` Hz: found, its rate within 0.25 Hz, its
    extent (amplitude, smoothed by the constant-Q window) 0.2-0.6 semitone."""
    y = _tone(220.0 * 2 ** (0.5 / 12 * np.sin(2 * np.pi * rate * T)))
    out = _stats(_then_silence(y))
    assert out["vibrato_fraction"] == 1.0
    assert out["vibrato_rate"] == pytest.approx(rate, abs=0.25)
    assert 0.2 < out["vibrato_extent"] < 0.6
    assert out["pitch_mean"] == pytest.approx(21.0, abs=0.1)
    assert out["contour_pitch_std_mean"] > 10 * steady["contour_pitch_std_mean"]


def test_tremolo_is_not_vibrato():
    """A 6 Hz loudness wobble at a steady pitch is tremolo only."""
    y = _tone(np.full_like(T, 220.0)) * (1 + 0.5 * np.sin(2 * np.pi * 6 * T))
    out = _stats(_then_silence(y.astype(np.float32)))
    assert out["tremolo_fraction"] == 1.0 and out["vibrato_fraction"] == 0.0
    assert out["pitch_range"] < 0.05


def test_glissando_is_one_rising_contour():
    """Steady 0.5 s, a 3-semitone slide over 1 s, steady 0.5 s."""
    y = _tone(220.0 * 2 ** (3 * np.clip(T - 0.5, 0, 1) / 12))
    out = _stats(_then_silence(y))
    assert out["glissando_fraction"] == 1.0
    assert out["contours_per_second"] == pytest.approx(0.25, rel=0.01)  # 1 in 4 s
    assert out["pitch_range"] == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize("step", [5, -5])
def test_interval_between_two_notes(step):
    """Two 1-s notes a fourth apart with a 0.25 s rest between them."""
    second = 220.0 * 2 ** (step / 12)
    y = np.r_[
        _tone(np.full(SR, 220.0)),
        np.zeros(SR // 4, np.float32),
        _tone(np.full(SR, second)),
    ]
    out = _stats(_then_silence(y))
    assert out["interval_abs_mean"] == pytest.approx(5.0, abs=0.05)
    assert out["interval_up_fraction"] == float(step > 0)
    assert out["interval_down_fraction"] == float(step < 0)
    assert out["interval_leap_fraction"] == 1.0
    assert out["gap_mean"] == pytest.approx(0.25, abs=0.1)
    assert out["pitch_range"] == pytest.approx(5.0, abs=0.1)


def test_silence_and_noise_are_finite():
    silent = melody_stats(y=np.zeros(SR, np.float32), sr=SR)
    assert np.isfinite(silent).all()
    assert silent[NAMES.index("contour_fraction")] == 0
    noise = np.random.default_rng(0).normal(size=SR).astype(np.float32) * 0.1
    assert np.isfinite(melody_stats(y=noise, sr=SR)).all()


# ------------------------------------------------------------ transformer
def test_feature_names_and_pandas_output():
    pd = pytest.importorskip("pandas")
    est = MelodyStats().set_output(transform="pandas")
    out = est.fit_transform([_tone(np.full(SR, 220.0))])
    assert isinstance(out, pd.DataFrame) and out.shape == (1, 41)
    assert list(out.columns) == [f"melody_{n}" for n in MELODY_FEATURES]
    assert out["melody_pitch_mean"].iloc[0] == pytest.approx(21.0, abs=0.05)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"sr": 8000}, r"Nyquist.*sr=8000"),
        ({"fmin": 200.0, "sr": 16000}, r"Nyquist.*fmin=200.0"),
        ({"hop_length": 0}, "hop_length"),
        ({"n_octaves": 0}, "n_octaves"),
        ({"min_contour": -1.0}, "min_contour"),
    ],
)
def test_bad_parameters_raise(kw, match):
    with pytest.raises(ValueError, match=match):
        MelodyStats(**kw).fit([np.zeros(SR, np.float32)])


def test_default_range_fits_16_khz():
    out = MelodyStats(sr=16000).fit_transform([np.zeros(16000, np.float32)])
    assert out.shape == (1, 41)


def test_estimator_contract():
    """What parametrize_with_checks protects, for X of waveforms (see test_mfcc)."""
    rng = np.random.default_rng(6)
    X = [
        _tone(np.full(n, f)) + rng.normal(size=n).astype(np.float32) * 0.01
        for n, f in ((SR, 196.0), (SR + 5000, 262.0), (2 * SR, 330.0))
    ]
    c = clone(MelodyStats())
    assert not hasattr(c, "n_features_in_")
    a = c.fit_transform(X)
    assert c.n_features_in_ == 1 and a.dtype == np.float32 and a.shape == (3, 41)
    np.testing.assert_array_equal(c.fit(X).transform(X), a)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(c)).transform(X), a)
    np.testing.assert_allclose(c.transform(X[::-1])[::-1], a, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c.transform(X[1:]), a[1:], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(clone(c).set_params(n_jobs=2).transform(X), a)
    assert c.__sklearn_tags__().input_tags.string


# ------------------------------------------------------------ real music
@pytest.mark.data
def test_real_music_transposed_is_still_recognised(mer_clips):
    """Played 2 semitones higher (and 12 % faster), a clip's 41 statistics
    stay closer to its own than to any of the 7 other clips' (standardised
    Euclidean distance): they describe the music, not its key or tempo.

    Measured on these 8 clips: 7 of 8 nearest to themselves. The melody
    pitch itself is less stable on dense mixes: the tracked voice changes,
    so ``pitch_mean`` moved by -3.9 to +2.8 semitones (median +0.3).
    """
    _, waves, higher = mer_clips
    est = MelodyStats()
    a, b = est.fit_transform(waves), est.transform(higher)
    mu, sd = a.mean(axis=0), a.std(axis=0) + 1e-9
    za, zb = (a - mu) / sd, (b - mu) / sd
    dist = np.sqrt(((zb[:, None] - za[None]) ** 2).sum(axis=-1))
    assert np.mean(dist.argmin(axis=1) == np.arange(8)) >= 6 / 8, dist.round(1)
    assert np.isfinite(a).all() and np.isfinite(b).all()


@pytest.mark.data
def test_real_path_and_waveform_agree(mer_clips):
    """A path decoded by the transformer and the same clip decoded by
    ``load_audio`` give the same row (the whole 30-s clip)."""
    from sklearn_ser.io import OutOfRangeAudioWarning, load_audio

    paths = mer_clips[0][:1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)
        from_path = MelodyStats().fit_transform([str(paths[0])])
        wave = load_audio(paths[0], sr=SR)
    np.testing.assert_array_equal(from_path, MelodyStats().fit_transform([wave]))
