"""A model trained on TESS and a long recording of held-out TESS clips.

The recording is built from real clips whose words the model never saw:
episodes of three clips of one emotion (0.6 s pauses between clips, 2 s
between episodes), each clip trimmed of its leading and trailing silence
with ``librosa.effects.trim(top_db=30)`` (an independent reference for
where speech is), over faint noise at -75 dBFS, so the true timeline is
known to the sample.
"""

import os

import numpy as np
import pytest
import soundfile as sf

SR = 16000


@pytest.fixture(scope="session")
def tess_split(tess_root):
    from sklearn_ser.datasets import load_tess

    b = load_tess(data_home=str(tess_root))
    words = np.array([os.path.basename(f).split("_")[1] for f in b.filenames])
    held = set(sorted(set(words))[::4])
    test = np.array([w in held for w in words])
    return b, test


@pytest.fixture(scope="session")
def tess_model(tess_split):
    from sklearn_ser.pipelines import get_pipeline

    b, test = tess_split
    train = np.flatnonzero(~test)[::2]
    model = get_pipeline("mfcc-svm")
    model.fit(np.asarray(b.filenames, dtype=object)[train], b.target[train])
    return model


def _trimmed(path):
    import librosa

    y, sr = sf.read(path, dtype="float32")
    assert sr == SR
    return librosa.effects.trim(y, top_db=30)[0]


def build_recording(files, labels, *, episodes, per_episode, seed, sr=SR):
    """Concatenate trimmed clips into episodes; returns (audio, truth, clips)."""
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    parts, truth, clips = [np.zeros(int(1.0 * sr), np.float32)], [], []
    t = 1.0
    for e in range(episodes):
        emo = classes[e % len(classes)] if e < len(classes) else rng.choice(classes)
        pick = rng.choice(np.flatnonzero(labels == emo), per_episode, replace=False)
        for j, i in enumerate(pick):
            y = _trimmed(files[i])
            truth.append((t, t + len(y) / sr, emo))
            clips.append(files[i])
            parts.append(y)
            gap = 0.6 if j < per_episode - 1 else 2.0
            parts.append(np.zeros(int(gap * sr), np.float32))
            t += len(y) / sr + int(gap * sr) / sr
    audio = np.concatenate(parts)
    audio += rng.normal(0, 10 ** (-75 / 20), audio.shape).astype(np.float32)
    return audio, truth, clips


@pytest.fixture(scope="session")
def recording(tess_split, tmp_path_factory):
    b, test = tess_split
    files = np.asarray(b.filenames)[test]
    labels = b.target[test]
    audio, truth, clips = build_recording(
        files, labels, episodes=10, per_episode=3, seed=0
    )
    path = tmp_path_factory.mktemp("timeline") / "recording.flac"
    sf.write(path, audio, SR)
    return str(path), audio, truth


def _frame_labels(segments_or_truth, duration, step=0.01):
    """Label of every ``step`` seconds ('' where nothing)."""
    t = np.arange(0, duration, step)
    out = np.full(t.shape, "", dtype=object)
    for s in segments_or_truth:
        a, b, lab = (s.start, s.end, s.label) if hasattr(s, "start") else s
        out[(t >= a) & (t < b)] = lab
    return out


@pytest.fixture(scope="session")
def frame_labels():
    return _frame_labels
