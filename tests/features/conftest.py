"""Fixtures for the feature tests: small real-data subsets, loaded once."""

import os

import numpy as np
import pytest

from sklearn_ser.io import load_audio_batch


@pytest.fixture(scope="session")
def ravdess_subset(ravdess_files):
    """240 RAVDESS files (every 6th: all 24 actors, all 8 emotions), with labels."""
    files = ravdess_files[:: max(1, len(ravdess_files) // 240)][:240]
    names = [os.path.basename(f) for f in files]
    y = np.array([int(n.split("-")[2]) for n in names])
    groups = np.array([int(n.split("-")[6].split(".")[0]) for n in names])
    return np.array(files, dtype=object), y, groups


@pytest.fixture(scope="session")
def ravdess_waves16k(ravdess_subset):
    """The 240 files of ``ravdess_subset`` decoded at 16 kHz (list of float32)."""
    files, _, _ = ravdess_subset
    return load_audio_batch(list(files), 16000, n_jobs=2)


@pytest.fixture(scope="session")
def three_files(ravdess_files):
    """Three RAVDESS files of different actors and lengths."""
    return [ravdess_files[i] for i in (0, 700, 1439)]


@pytest.fixture(scope="session")
def silent_wav(bad_inputs_dir):
    return str(bad_inputs_dir / "silent_3s_16k.wav")


@pytest.fixture(scope="session")
def too_short_wav(bad_inputs_dir):
    return str(bad_inputs_dir / "too_short_5ms_48k.wav")


@pytest.fixture(scope="session")
def mer_clips(mer_root):
    """The first 10 s of 8 MER clips (2 per quadrant) at 22050 Hz, and the
    same played 2 semitones higher (resampled by 49/55 = 2 ** (-2 / 12)):
    ``(paths, waves, higher)``."""
    import warnings

    from sklearn_ser.io import OutOfRangeAudioWarning, load_audio, resample

    paths = [p for q in "1234" for p in sorted((mer_root / f"Q{q}").glob("*.ogg"))[:2]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)  # loud masters
        waves = [load_audio(p, sr=22050, duration=10.0) for p in paths]
    return paths, waves, [resample(y, 55, 49) for y in waves]
