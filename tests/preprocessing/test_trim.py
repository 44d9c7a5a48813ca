"""TrimSilence: leading / trailing silence removal (waveforms in, waveforms out)."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_ser.preprocessing import TrimSilence, trim_silence

SR = 16000


def _tone(seconds=1.0, freq=440.0, amp=0.5):
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _pad(y, before, after):
    return np.concatenate(
        [np.zeros(before, np.float32), y, np.zeros(after, np.float32)]
    )


def test_cuts_leading_and_trailing_silence_and_keeps_the_sound():
    tone = _tone()
    y = _pad(tone, 8000, 24000)
    (out,) = TrimSilence().fit_transform([y])
    assert out.dtype == np.float32
    # a contiguous piece of the input that holds all of the tone, and at most
    # 50 ms of silence on either side
    start = int(np.flatnonzero(np.abs(y) > 0)[0])
    stop = int(np.flatnonzero(np.abs(y) > 0)[-1]) + 1
    offsets = [
        o
        for o in range(len(y) - len(out) + 1)
        if np.array_equal(y[o : o + len(out)], out)
    ]
    offset = offsets[0]
    assert offset <= start and offset + len(out) >= stop
    assert start - offset <= 0.05 * SR and offset + len(out) - stop <= 0.05 * SR


def test_pauses_inside_the_recording_stay():
    y = np.concatenate([_tone(0.5), np.zeros(8000, np.float32), _tone(0.5)])
    padded = _pad(y, 16000, 16000)
    (out,) = TrimSilence().fit_transform([padded])
    assert len(y) <= len(out) <= len(y) + 0.1 * SR


def test_the_same_sound_with_more_or_less_silence_gives_the_same_output():
    tone = _tone()
    a = _pad(tone, 8000, 24000)
    b = _pad(tone, 160 * 7, 160 * 9)  # shifted by whole 10 ms hops
    out_a, out_b = TrimSilence().fit_transform([a, b])
    np.testing.assert_array_equal(out_a, out_b)


def test_recordings_without_enough_active_frames_are_returned_unchanged():
    silence = np.zeros(SR, np.float32)
    click = np.zeros(SR, np.float32)
    click[8000:8040] = 0.9  # a couple of frames only
    out = TrimSilence(min_active=10).fit_transform([silence, click])
    np.testing.assert_array_equal(out[0], silence)
    np.testing.assert_array_equal(out[1], click)
    assert len(TrimSilence(min_active=1).fit_transform([click])[0]) < SR // 4


def test_active_db_sets_what_counts_as_silence():
    loud, quiet = _tone(0.5, amp=0.5), _tone(0.5, amp=0.5 * 10 ** (-50 / 20))
    y = _pad(np.concatenate([quiet, loud, quiet]), 4000, 4000)
    keep_all = TrimSilence(active_db=60.0).fit_transform([y])[0]
    loud_only = TrimSilence(active_db=35.0).fit_transform([y])[0]
    assert len(keep_all) >= 3 * len(loud) and len(loud_only) <= len(loud) + 0.1 * SR


def test_function_and_2d_input_agree_with_the_transformer():
    y = _pad(_tone(), 4000, 4000)
    X2 = np.stack([y, y[::-1].copy()])
    out = TrimSilence().fit_transform(X2)
    assert isinstance(out, list) and len(out) == 2
    np.testing.assert_array_equal(out[0], trim_silence(y=y, sr=SR))


def test_paths_and_waveforms_give_the_same_trimmed_audio(ravdess_files):
    from sklearn_ser.io import load_audio_batch

    paths = ravdess_files[:3]
    from_paths = TrimSilence().fit_transform(paths)
    from_waves = TrimSilence().fit_transform(load_audio_batch(paths, sr=SR))
    for a, b, w in zip(from_paths, from_waves, load_audio_batch(paths, sr=SR)):
        np.testing.assert_array_equal(a, b)
        assert 0.2 * len(w) < len(a) < len(w)  # RAVDESS files start and end silent


def test_parameters_are_checked_and_clone_keeps_them():
    t = TrimSilence(active_db=30.0, min_active=5)
    assert clone(t).get_params()["active_db"] == 30.0
    with pytest.raises(InvalidParameterError, match="active_db"):
        TrimSilence(active_db=0).fit_transform([_tone()])
    with pytest.raises(InvalidParameterError, match="min_active"):
        TrimSilence(min_active=0).fit([_tone()])


def test_pauses_true_cuts_the_pauses_inside_and_joins_the_speech_smoothly():
    a, b = _tone(0.5, freq=440.0), _tone(0.5, freq=660.0)
    y = _pad(np.concatenate([a, np.zeros(8000, np.float32), b]), 16000, 16000)
    kept = TrimSilence().fit_transform([y])[0]
    cut = TrimSilence(pauses=True).fit_transform([y])[0]
    # half a second of silence less, give or take a window either side
    assert abs((len(kept) - len(cut)) - 8000) <= 0.05 * SR
    # one join, no click: no sample jumps more than the tones themselves do
    steps = np.abs(np.diff(cut))
    assert steps.max() <= np.abs(np.diff(np.concatenate([a, b]))).max() + 1e-6
    # a single run: no join, a contiguous piece of the plain trim (the runs
    # keep half a window of margin, the plain trim up to a window)
    y1 = _pad(a, 8000, 8000)
    (one,) = TrimSilence(pauses=True).fit_transform([y1])
    (plain,) = TrimSilence().fit_transform([y1])
    assert len(plain) - 0.05 * SR <= len(one) <= len(plain)
    assert any(
        np.array_equal(one, plain[o : o + len(one)])
        for o in range(len(plain) - len(one) + 1)
    )


def test_pauses_true_shortens_real_speech_and_keeps_its_voiced_frames(ravdess_files):
    from sklearn_ser.io import load_audio_batch

    waves = load_audio_batch(ravdess_files[:6], sr=SR)
    kept = TrimSilence().fit_transform(waves)
    cut = TrimSilence(pauses=True).fit_transform(waves)
    ratio = sum(map(len, cut)) / sum(map(len, kept))
    assert 0.5 < ratio < 1.0, ratio
    for k, c in zip(kept, cut):  # as loud: the speech is all still there
        assert np.abs(c).max() == pytest.approx(np.abs(k).max(), rel=0.05)
