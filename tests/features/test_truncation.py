"""TruncationWarning: a fixed frame count never cuts a long recording silently."""

import re
import warnings

import numpy as np
import pytest
import soundfile as sf

from sklearn_ser.features import (
    MFCC,
    STFT,
    FrameStats,
    MusicFeatures,
    TruncationWarning,
)
from sklearn_ser.io import load_audio_batch

SR = 16000


@pytest.fixture(scope="module")
def short_and_long(ravdess_files, tmp_path_factory):
    """Four real RAVDESS clips, and a long recording made of 12 of them in a row."""
    short = ravdess_files[:4]
    waves = load_audio_batch(ravdess_files[4:16], SR)
    long_wave = np.concatenate(waves)
    path = tmp_path_factory.mktemp("long") / "twelve_ravdess_clips.wav"
    sf.write(path, long_wave, SR)
    return short, str(path), long_wave.shape[0] / SR


def _truncation_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [w for w in caught if issubclass(w.category, TruncationWarning)]


@pytest.mark.data
def test_learnt_frame_count_warns_once_naming_the_long_file(short_and_long):
    short, long_path, long_seconds = short_and_long
    est = MFCC(sr=SR).fit(short)  # n_frames_ from the longest short clip
    # a batch of short clips only: nothing is cut, nothing is said
    _, caught = _truncation_warnings(lambda: est.transform(short))
    assert caught == []
    out, caught = _truncation_warnings(lambda: est.transform([short[0], long_path]))
    assert len(caught) == 1
    msg = str(caught[0].message)
    used = (est.n_frames_ - 1) * 512 + 2048 - 1024
    assert "twelve_ravdess_clips.wav" in msg
    assert f"({long_seconds:.2f} s)" in msg
    assert f"first {used / SR:.2f} s of 1 of 2 inputs" in msg
    assert f"n_frames_={est.n_frames_}" in msg
    assert "sklearn_ser.timeline" in msg
    assert out.shape[1] == est.n_frames_


@pytest.mark.data
def test_one_warning_per_call_summarising_many_inputs(short_and_long):
    short, _, _ = short_and_long
    waves = load_audio_batch(short, SR)
    long_waves = [np.tile(w, 3) for w in waves] * 3  # 12 long inputs
    est = STFT(max_frames=50)
    _, caught = _truncation_warnings(lambda: est.fit_transform(waves + long_waves))
    assert len(caught) == 1
    msg = str(caught[0].message)
    assert "of 16 of 16 inputs" in msg  # the short clips exceed 50 frames too
    assert "X[0] (" in msg and "and 13 more" in msg
    assert "max_frames=50" in msg


@pytest.mark.data
def test_duration_and_pooled_music_features(short_and_long):
    short, long_path, long_seconds = short_and_long
    _, caught = _truncation_warnings(
        lambda: MFCC(sr=SR, duration=10.0).fit_transform([short[0], long_path])
    )
    assert len(caught) == 1
    msg = str(caught[0].message)
    assert "first 10.00 s of 1 of 2" in msg and f"({long_seconds:.2f} s)" in msg
    # pooled statistics use every frame: no truncation, no warning
    _, caught = _truncation_warnings(
        lambda: MusicFeatures(sr=SR, features=("rms",)).fit_transform([long_path])
    )
    assert caught == []
    _, caught = _truncation_warnings(
        lambda: MusicFeatures(sr=SR, features=("rms",), duration=5.0).fit_transform(
            [long_path]
        )
    )
    assert len(caught) == 1 and "first 5.00 s" in str(caught[0].message)


@pytest.mark.data
def test_warning_is_raised_through_a_pipeline(short_and_long):
    from sklearn_ser import Pipeline

    short, long_path, _ = short_and_long
    pipe = Pipeline([MFCC(sr=SR), FrameStats()]).fit(short)
    with pytest.warns(TruncationWarning, match=re.escape("twelve_ravdess_clips.wav")):
        pipe.transform([long_path])
