"""Audio loading on real files, including every file in bad_inputs/."""

import warnings

import numpy as np
import pytest
import soundfile as sf

from sklearn_ser.io import (
    AudioLoader,
    AudioLoadError,
    OutOfRangeAudioWarning,
    as_waveforms,
    fix_length,
    load_audio,
    load_audio_batch,
    resample,
)

pytestmark = pytest.mark.data

BROKEN = {
    "empty.wav": "empty",
    "text_named.wav": "not a readable audio file",
    "truncated_03-01-05-02-01-01-02.wav": "not a readable audio file",
    "nan_float32_16k.wav": "NaN",
}


@pytest.mark.parametrize("name,reason", sorted(BROKEN.items()))
def test_broken_files_raise_naming_the_file(bad_inputs_dir, name, reason):
    path = bad_inputs_dir / name
    with pytest.raises(AudioLoadError, match=reason) as info:
        load_audio(path)
    assert name in str(info.value)
    assert info.value.path == str(path)
    # One exception type, usable as a ValueError.
    assert isinstance(info.value, ValueError)


def _cut_wav(src, dst, fraction):
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def test_wav_cut_short_is_an_error_not_a_shorter_clip(bad_inputs_dir, tmp_path):
    # libsndfile opens a WAV whose data ends before its header says and reads
    # what is there: without the check this came back as a 1.9 s clip.
    src = bad_inputs_dir / "ravdess_original48k_03-01-01-01-01-01-01.wav"
    cut = _cut_wav(src, tmp_path / "cut.wav", 0.5)
    assert sf.info(cut).frames < sf.info(src).frames  # it does open
    full_s = sf.info(src).duration
    with pytest.raises(AudioLoadError, match="truncated") as info:
        load_audio(cut)
    msg = str(info.value)
    assert "cut.wav" in msg and f"{full_s:.2f} s" in msg
    assert info.value.path == str(cut)
    with pytest.raises(AudioLoadError, match="cut.wav: truncated"):
        load_audio_batch([src, cut])


def test_wav_with_streaming_size_placeholder_loads(bad_inputs_dir, tmp_path):
    # Recorders that stream write 0xFFFFFFFF as the data size until
    # they finish: an unknown length, not a truncation.
    src = tmp_path / "plain.wav"  # a real clip, no chunk after "data"
    sf.write(src, load_audio(bad_inputs_dir / "pcm_u8_24k_03-01-01-01-01-01-01.wav"),
             16000, subtype="PCM_16")
    data = bytearray(src.read_bytes())
    at = data.index(b"data") + 4
    data[at : at + 4] = b"\xff\xff\xff\xff"
    path = tmp_path / "streamed.wav"
    path.write_bytes(bytes(data))
    np.testing.assert_array_equal(load_audio(path), load_audio(src))


def test_missing_file_names_it(tmp_path):
    with pytest.raises(AudioLoadError, match="no such file") as info:
        load_audio(tmp_path / "nope.wav")
    assert "nope.wav" in str(info.value)


def test_original_48k_is_resampled_to_match_shipped_16k(bad_inputs_dir, ravdess_root):
    orig = load_audio(bad_inputs_dir / "ravdess_original48k_03-01-01-01-01-01-01.wav")
    shipped = load_audio(ravdess_root / "Actor_01" / "03-01-01-01-01-01-01.flac")
    assert orig.dtype == np.float32 and orig.ndim == 1
    # The shipped copy was made from this original by the same polyphase method.
    assert orig.shape == shipped.shape
    np.testing.assert_allclose(orig, shipped, atol=2e-4)


def test_stereo_48k_is_mixed_down_and_resampled(bad_inputs_dir, ravdess_root):
    path = bad_inputs_dir / "ravdess_stereo48k_03-01-02-01-01-02-01.wav"
    raw, file_sr = sf.read(path, dtype="float32", always_2d=True)
    assert raw.shape[1] == 2 and file_sr == 48000
    y = load_audio(path)
    assert y.ndim == 1
    assert abs(len(y) - len(raw) / 3) <= 1
    stereo = load_audio(path, mono=False)
    assert stereo.shape == (2, len(y))
    np.testing.assert_allclose(stereo.mean(axis=0), y, atol=1e-6)
    shipped = load_audio(ravdess_root / "Actor_01" / "03-01-02-01-01-02-01.flac")
    np.testing.assert_allclose(y, shipped[: len(y)], atol=2e-4)


def test_unsigned_8bit_is_centred(bad_inputs_dir):
    y = load_audio(bad_inputs_dir / "pcm_u8_24k_03-01-01-01-01-01-01.wav")
    # u8 PCM is offset binary; decoded audio must be centred near zero.
    assert abs(float(y.mean())) < 0.01
    assert 0 < np.abs(y).max() <= 1.0
    raw, file_sr = sf.read(bad_inputs_dir / "pcm_u8_24k_03-01-01-01-01-01-01.wav")
    assert file_sr == 24000
    assert abs(len(y) - len(raw) * 2 / 3) <= 1


def test_silent_file_loads_as_zeros(bad_inputs_dir):
    y = load_audio(bad_inputs_dir / "silent_3s_16k.wav")
    assert y.shape == (48000,)
    assert not y.any()


def test_too_short_file_loads(bad_inputs_dir):
    y = load_audio(bad_inputs_dir / "too_short_5ms_48k.wav")
    assert y.shape == (80,)
    assert np.isfinite(y).all()


@pytest.mark.parametrize(
    "name",
    [
        "tess_float44k_out_of_range_OAF_back_angry.wav",
        "tess_float44k_out_of_range_YAF_beg_sad.wav",
    ],
)
def test_out_of_range_floats_are_clipped_with_a_warning(bad_inputs_dir, name):
    path = bad_inputs_dir / name
    with pytest.warns(OutOfRangeAudioWarning, match=name):
        y = load_audio(path)
    assert np.isfinite(y).all()
    assert np.abs(y).max() <= 1.0
    raw = load_audio(path, clip=False)
    assert np.abs(raw).max() > 1.0
    # Clipping is the only change: no wrap-around (sign flips) anywhere.
    np.testing.assert_array_equal(y, np.clip(raw, -1, 1))


def test_offset_and_duration(ravdess_files):
    path = ravdess_files[0]
    full = load_audio(path)
    part = load_audio(path, offset=0.5, duration=1.0)
    assert part.shape == (16000,)
    np.testing.assert_array_equal(part, full[8000:24000])
    with pytest.raises(ValueError, match="offset"):
        load_audio(path, offset=-1)
    with pytest.raises(ValueError, match="duration"):
        load_audio(path, duration=0)


def test_sr_none_keeps_file_rate(bad_inputs_dir):
    y = load_audio(bad_inputs_dir / "pcm_u8_24k_03-01-01-01-01-01-01.wav", sr=None)
    assert (
        len(y) == sf.info(bad_inputs_dir / "pcm_u8_24k_03-01-01-01-01-01-01.wav").frames
    )


def test_batch_loading_parallel_equals_serial(ravdess_files):
    paths = ravdess_files[:12]
    serial = load_audio_batch(paths)
    parallel = load_audio_batch(paths, n_jobs=2)
    assert len(serial) == len(parallel) == 12
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a, b)


def test_batch_loading_names_the_bad_file(ravdess_files, bad_inputs_dir):
    paths = [ravdess_files[0], str(bad_inputs_dir / "empty.wav")]
    with pytest.raises(AudioLoadError, match="empty.wav"):
        load_audio_batch(paths, n_jobs=2)


def test_batch_progress_bar(ravdess_files, capsys):
    load_audio_batch(ravdess_files[:3], verbose=1)
    err = capsys.readouterr().err
    assert "loading audio" in err and "3/3" in err


def test_as_waveforms_mixes_paths_and_arrays(ravdess_files):
    wave = load_audio(ravdess_files[1])
    out = as_waveforms([ravdess_files[0], wave])
    np.testing.assert_array_equal(out[0], load_audio(ravdess_files[0]))
    np.testing.assert_array_equal(out[1], wave)


def test_as_waveforms_rejects_bad_batches():
    with pytest.raises(AudioLoadError, match="batch"):
        as_waveforms("a.wav")
    with pytest.raises(AudioLoadError, match="batch"):
        as_waveforms(np.zeros(10))
    with pytest.raises(AudioLoadError, match="empty"):
        as_waveforms([])
    with pytest.raises(AudioLoadError, match=r"X\[1\].*NaN"):
        as_waveforms([np.zeros(10), np.array([0.0, np.nan])])
    with pytest.raises(AudioLoadError, match=r"X\[0\].*1-D"):
        as_waveforms([np.zeros((2, 10))])
    with pytest.raises(AudioLoadError, match=r"X\[0\]"):
        as_waveforms([{"not": "audio"}])
    two_d = as_waveforms(np.ones((3, 5)))
    assert len(two_d) == 3 and two_d[0].dtype == np.float32


def test_fix_length():
    x = np.arange(5, dtype=np.float32)
    np.testing.assert_array_equal(fix_length(x, 3), [0, 1, 2])
    np.testing.assert_array_equal(fix_length(x, 7), [0, 1, 2, 3, 4, 0, 0])
    assert fix_length(np.ones((2, 5)), 8).shape == (2, 8)
    with pytest.raises(ValueError, match="n >= 0"):
        fix_length(x, -1)


def test_resample_is_exact_rational_and_float32():
    t = np.arange(48000) / 48000
    tone = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    y = resample(tone, 48000, 16000)
    assert y.dtype == np.float32 and y.shape == (16000,)
    ref = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    # Away from the edges the polyphase filter reproduces the tone.
    np.testing.assert_allclose(y[200:-200], ref[200:-200], atol=1e-3)
    with pytest.raises(ValueError, match="positive"):
        resample(tone, 0, 16000)


def test_audio_loader_fixed_duration_and_paths_equal_waves(ravdess_files):
    loader = AudioLoader(duration=2.0)
    a = loader.fit_transform(ravdess_files[:4])
    b = loader.fit_transform([load_audio(p) for p in ravdess_files[:4]])
    assert a.shape == (4, 32000) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    ragged = AudioLoader().fit_transform(ravdess_files[:2])
    assert ragged.dtype == object and ragged[0].ndim == 1
    with pytest.raises(ValueError, match="sr"):
        AudioLoader(sr=-5).fit(ravdess_files[:1])


def test_no_warning_for_normal_files(ravdess_files):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_audio_batch(ravdess_files[:5])
