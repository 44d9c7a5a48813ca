"""inspect_audio: silence, too-short and clipping flags on real files."""

import numpy as np
import pytest

from sklearn_ser.io import AudioLoadError, inspect_audio, load_audio


@pytest.mark.data
def test_bad_inputs_are_flagged(bad_inputs_dir):
    silent = inspect_audio(bad_inputs_dir / "silent_3s_16k.wav")
    assert silent.silent and silent.no_speech and silent.flags == ["silent"]
    assert silent.loudest_frame_dbfs == -np.inf and silent.duration == 3.0
    assert "-inf dBFS < -60 dBFS" in silent.describe()

    short = inspect_audio(bad_inputs_dir / "too_short_5ms_48k.wav")
    assert short.too_short and short.no_speech and short.sr == 48000
    assert short.duration == pytest.approx(0.005)

    path = bad_inputs_dir / "tess_float44k_out_of_range_OAF_back_angry.wav"
    clipped = inspect_audio(path)
    raw = load_audio(path, sr=None, clip=False)
    assert clipped.out_of_range and clipped.clipped and not clipped.no_speech
    assert clipped.peak == pytest.approx(np.abs(raw).max())
    assert clipped.n_clipped == np.count_nonzero(np.abs(raw) >= 0.999)
    assert f"peak {clipped.peak:.3f}" in clipped.describe()

    good = inspect_audio(bad_inputs_dir / "ravdess_stereo48k_03-01-02-01-01-02-01.wav")
    assert good.flags == [] and good.describe() == ""

    with pytest.raises(AudioLoadError, match="empty.wav"):
        inspect_audio(bad_inputs_dir / "empty.wav")


@pytest.mark.data
def test_quiet_real_speech_is_not_silent(ravdess_root):
    # the quietest RAVDESS clip (normal-intensity "sad", actor 9): its loudest
    # 25 ms frame is near -55 dBFS, above the -60 dBFS silence threshold
    q = inspect_audio(ravdess_root / "Actor_09" / "03-01-04-01-02-02-09.flac")
    assert -60 < q.loudest_frame_dbfs < -50
    assert not q.silent and not q.no_speech
    # ...and the threshold is what decides
    assert inspect_audio(
        ravdess_root / "Actor_09" / "03-01-04-01-02-02-09.flac", silence_dbfs=-50
    ).silent


@pytest.mark.data
def test_waveform_and_file_agree(ravdess_files):
    path = ravdess_files[0]
    import soundfile as sf

    y = load_audio(path, sr=None)
    a, b = inspect_audio(path), inspect_audio(y, sr=sf.info(path).samplerate)
    assert a.to_dict() | {"file": None} == b.to_dict()


def test_levels_of_synthetic_signals():
    sr = 16000
    t = np.arange(sr) / sr
    tone = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)  # RMS -23 dBFS
    q = inspect_audio(tone, sr=sr)
    rms_dbfs = 20 * np.log10(0.1 / np.sqrt(2))
    assert q.loudest_frame_dbfs == pytest.approx(rms_dbfs, abs=0.1)
    assert q.flags == []
    q = inspect_audio(np.clip(tone * 20, -1, 1), sr=sr)
    assert q.clipped and not q.out_of_range
    with pytest.raises(ValueError, match="needs sr"):
        inspect_audio(tone)
