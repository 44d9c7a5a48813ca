"""The RAVDESS sample shipped as package data."""

import csv
from collections import Counter

import numpy as np
from sklearn.model_selection import GroupKFold

from sklearn_ser.datasets import SAMPLE_DIR, load_ravdess, load_sample
from sklearn_ser.io import load_audio


def test_load_sample_content():
    b = load_sample()
    assert len(b.filenames) == 120
    assert b.data is b.filenames
    assert list(b.target_names) == sorted(
        ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
    )
    counts = Counter(b.target)
    assert counts["neutral"] == 8 and all(
        counts[e] == 16 for e in b.target_names if e != "neutral"
    )
    speakers = sorted(set(b.groups))
    assert len(speakers) >= 4
    gender = dict(zip(b.metadata["speaker"], b.metadata["gender"], strict=True))
    assert set(gender.values()) == {"male", "female"}
    assert "CC BY-NC-SA 4.0" in b.DESCR and "Livingstone" in b.DESCR
    assert all(f.startswith(str(SAMPLE_DIR)) for f in b.filenames)


def test_sample_supports_speaker_independent_split():
    X, y = load_sample(return_X_y=True)
    groups = load_sample().groups
    for train, test in GroupKFold(n_splits=4).split(X, y, groups):
        assert not set(groups[train]) & set(groups[test])
        # every emotion is in every training part
        assert set(y[train]) == set(y)


def test_sample_matches_its_manifest_and_is_small():
    # verify=True hashes every clip against sample/MANIFEST.tsv
    b = load_ravdess(SAMPLE_DIR, verify=True)
    with open(SAMPLE_DIR / "MANIFEST.tsv", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == len(b.filenames) == 120
    total = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    assert total < 5e6
    for name in ["SOURCE.txt", "LICENSE.txt"]:
        text = (SAMPLE_DIR / name).read_text()
        assert "CC BY-NC-SA 4.0" in text and "Livingstone" in text


def test_sample_audio_is_real_16k_speech():
    b = load_sample()
    with open(SAMPLE_DIR / "MANIFEST.tsv", newline="") as fh:
        seconds = {
            r["path"]: float(r["seconds"]) for r in csv.DictReader(fh, delimiter="\t")
        }
    for f in b.filenames[::30]:
        y = load_audio(f, sr=16000)
        rel = f[len(str(SAMPLE_DIR)) + 1 :].replace("\\", "/")
        assert abs(y.size / 16000 - seconds[rel]) < 0.01
        assert np.sqrt(np.mean(y**2)) > 1e-3  # not silence


def test_sample_as_frame():
    b = load_sample(as_frame=True)
    assert b.frame.shape == (120, 10)
    assert b.frame.groupby("speaker").size().eq(15).all()
    X, y = load_sample(return_X_y=True, as_frame=True)
    assert len(X) == len(y) == 120
