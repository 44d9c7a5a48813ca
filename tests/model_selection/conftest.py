"""Real-data fixtures for the evaluation tests (labels, speakers, MFCC means)."""

import os

import numpy as np
import pytest

EMOTIONS = {
    "01": "neutral",
    "02": "calm",
    "03": "happy",
    "04": "sad",
    "05": "angry",
    "06": "fearful",
    "07": "disgust",
    "08": "surprised",
}


def ravdess_meta(files):
    stems = [os.path.basename(f).split(".")[0].split("-") for f in files]
    y = np.array([EMOTIONS[s[2]] for s in stems])
    groups = np.array([int(s[6]) for s in stems])
    return y, groups


def tess_meta(files):
    """Emotion from the file name, speaker from the folder (one file is 'OA_')."""
    stems = [os.path.basename(f).rsplit(".", 1)[0].split("_") for f in files]
    speakers = [os.path.basename(os.path.dirname(f)).split("_")[0] for f in files]
    return np.array([s[-1] for s in stems]), np.array(speakers)


def mfcc_means(files):
    """Per-file mean of 20 MFCCs (python_speech_features), the S0 feature."""
    from python_speech_features import mfcc

    from sklearn_ser.io import load_audio

    return np.stack(
        [mfcc(load_audio(f, sr=16000), 16000, numcep=20).mean(axis=0) for f in files]
    )


@pytest.fixture(scope="session")
def ravdess_meta_all(ravdess_files):
    y, groups = ravdess_meta(ravdess_files)
    return np.asarray(ravdess_files, dtype=object), y, groups


@pytest.fixture(scope="session")
def tess_meta_all(tess_files):
    y, groups = tess_meta(tess_files)
    return np.asarray(tess_files, dtype=object), y, groups


@pytest.fixture(scope="session")
def ravdess_small_features(ravdess_files):
    """MFCC means of 4 actors (240 files): X, y, groups, files."""
    files = [f for f in ravdess_files if int(os.path.basename(f)[-7:-5]) <= 4]
    y, groups = ravdess_meta(files)
    return mfcc_means(files), y, groups, files


@pytest.fixture(scope="session")
def tess_small_features(tess_files):
    """MFCC means of every 20th TESS file (140 files, both speakers)."""
    files = [f for i, f in enumerate(tess_files) if i % 20 == 0]
    y, groups = tess_meta(files)
    return mfcc_means(files), y, groups, files
