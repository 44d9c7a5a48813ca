"""load_audio_batch: one summary warning for out-of-range files, and the
decoded-waveform cache (``memory``)."""

import warnings

import numpy as np
import pytest
import soundfile as sf

from sklearn_ser.io import (
    AudioLoadError,
    OutOfRangeAudioWarning,
    as_waveforms,
    load_audio,
    load_audio_batch,
)

PEAKS = (1.5, 0.5, 1.2, 1.1, 1.05)


@pytest.fixture
def loud_files(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for i, peak in enumerate(PEAKS):
        y = rng.uniform(-0.5, 0.5, 8000).astype(np.float32)
        y[100 + i] = peak
        p = tmp_path / f"loud_{i}.wav"
        sf.write(p, y, 16000, subtype="FLOAT")
        paths.append(str(p))
    return paths


def _per_file(paths, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)
        return [load_audio(p, **kw) for p in paths]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_one_summary_warning(loud_files, n_jobs):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = load_audio_batch(loud_files, sr=16000, n_jobs=n_jobs)
    msgs = [str(w.message) for w in rec if w.category is OutOfRangeAudioWarning]
    assert len(msgs) == 1
    msg = msgs[0]
    assert "4 of 5 files" in msg and "1.500" in msg and loud_files[0] in msg
    assert "clipped" in msg and "clip=False" in msg
    assert "(1 more)" in msg  # three named, the fourth counted
    ref = _per_file(loud_files, sr=16000)
    for y, r in zip(out, ref):
        np.testing.assert_array_equal(y, r)
        assert np.abs(y).max() <= 1.0


def test_clip_false_keeps_samples_without_warning(loud_files):
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutOfRangeAudioWarning)
        out = load_audio_batch(loud_files, sr=16000, clip=False)
    np.testing.assert_allclose([np.abs(y).max() for y in out], PEAKS)


def test_transformer_input_warns_once(loud_files):
    with pytest.warns(OutOfRangeAudioWarning) as rec:
        as_waveforms(loud_files, sr=16000)
    assert len([w for w in rec if w.category is OutOfRangeAudioWarning]) == 1


def test_in_range_batch_is_silent(loud_files):
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutOfRangeAudioWarning)
        load_audio_batch([loud_files[1]], sr=16000)


def test_memory_cache_is_exact_and_tracks_file_changes(loud_files, tmp_path):
    cache = tmp_path / "cache"
    kw = dict(sr=16000, clip=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)
        fresh = load_audio_batch(loud_files, **kw)
        first = load_audio_batch(loud_files, memory=cache, **kw)
        again = load_audio_batch(loud_files, memory=cache, **kw)
    for a, b, c in zip(fresh, first, again):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    # the warning still comes on cache hits (clipping happens after the cache)
    with pytest.warns(OutOfRangeAudioWarning, match="4 of 5"):
        load_audio_batch(loud_files, memory=cache, **kw)
    # rewriting a file invalidates its entry
    sf.write(loud_files[1], np.full(4000, 0.25, np.float32), 16000, subtype="FLOAT")
    changed = load_audio_batch([loud_files[1]], memory=cache, **kw)[0]
    assert changed.shape == (4000,)
    with pytest.raises(AudioLoadError, match="missing.wav"):
        load_audio_batch([str(tmp_path / "missing.wav")], memory=cache)


def test_mer_clips_one_warning(mer_root):
    paths = sorted(str(p) for p in (mer_root / "Q2").glob("*.ogg"))[:6]
    raw = load_audio_batch(paths, sr=22050, clip=False)
    n_over = sum(float(np.abs(y).max()) > 1.0 for y in raw)
    if n_over:
        with pytest.warns(OutOfRangeAudioWarning, match=f"{n_over} of 6 files"):
            out = load_audio_batch(paths, sr=22050)
    else:
        out = load_audio_batch(paths, sr=22050)
    for y, r in zip(out, _per_file(paths, sr=22050)):
        np.testing.assert_array_equal(y, r)
