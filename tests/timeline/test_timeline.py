"""Emotion timelines on real recordings built from held-out TESS clips."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from sklearn_ser.io import AudioLoadError, load_audio
from sklearn_ser.timeline import (
    EnergyVAD,
    StreamResampler,
    TimelineReadError,
    fitted_seconds,
    iter_audio_blocks,
    iter_timeline,
    predict_recording,
    predict_timeline,
)
from sklearn_ser.timeline import _stream
from sklearn_ser.timeline._timeline import _engine

SR = 16000


def test_segments_follow_the_true_timeline(tess_model, recording, frame_labels):
    path, audio, truth = recording
    tl = predict_timeline(tess_model, path)
    duration = audio.shape[0] / SR
    assert tl.duration == pytest.approx(duration)
    # every clip (separated by >= 0.6 s pauses) starts and ends a segment
    starts = np.array([s.start for s in tl])
    ends = np.array([s.end for s in tl])
    for a, b, _ in truth:
        assert np.abs(starts - a).min() < 0.1, (a, b)
        assert np.abs(ends - b).min() < 0.1, (a, b)
    true = frame_labels(truth, duration)
    pred = frame_labels(tl.segments, duration)
    speech = true != ""
    assert (pred[speech] != "").mean() > 0.97  # speech is covered
    assert (pred[~speech] != "").mean() < 0.03  # pauses are not
    # labels: 7 classes, so chance is ~0.14
    assert (pred[speech] == true[speech]).mean() > 0.85
    # segments are ordered, disjoint, and carry probabilities over the classes
    assert np.all(starts[1:] >= ends[:-1]) and np.all(ends > starts)
    for s in tl:
        assert s.proba.shape == (len(tess_model.classes_),)
        assert s.proba.sum() == pytest.approx(1.0, abs=1e-4)
        assert s.label == tess_model.classes_[np.argmax(s.proba)] or s.duration < 1


def test_table_csv_and_frame(tess_model, recording, tmp_path):
    tl = predict_timeline(tess_model, recording[0])
    df = tl.to_frame()
    assert list(df.columns[:3]) == ["start", "end", "label"]
    assert len(df) == len(tl)
    assert df["label"].tolist() == [s.label for s in tl]
    out = tmp_path / "t.csv"
    tl.to_csv(out)
    text = out.read_text().splitlines()
    assert text[0].startswith("start,end,label,p_")
    assert len(text) == len(tl) + 1
    assert tl.to_csv() == out.read_text()


def test_stream_equals_file_and_latency_is_bounded(tess_model, recording):
    path = recording[0]
    audio = load_audio(path, sr=SR)  # what the file holds (16-bit FLAC)
    ref = predict_timeline(tess_model, path)
    rng = np.random.default_rng(1)
    cuts = np.cumsum(rng.integers(50, 8000, size=audio.shape[0] // 2000))
    cuts = cuts[cuts < audio.shape[0]]
    chunks = np.split(audio, cuts)
    fed = []

    def feed():
        for c in chunks:
            fed.append(c.shape[0])
            yield c

    got, delays = [], []
    gen = iter_timeline(tess_model, feed(), SR)
    for seg in gen:
        got.append(seg)
        delays.append(sum(fed) / SR - seg.end)
    assert [(s.start, s.end, s.label) for s in got] == [
        (s.start, s.end, s.label) for s in ref
    ]
    for a, b in zip(got, ref):
        np.testing.assert_allclose(a.proba, b.proba, atol=1e-6)
    # documented bound: window + hop * (1 + smooth / (2 hop)) + VAD delay,
    # plus one chunk (counted in samples, not time)
    bound = 2.0 + 0.5 * (1 + 2) + 0.3 + 8000 / SR
    streamed = delays[:-1]  # the last one comes at the end of the stream
    assert max(streamed) <= bound
    assert min(streamed) > 0


def test_reader_never_reads_more_than_a_block(tess_model, recording, monkeypatch):
    path, audio, _ = recording
    requests = []

    class Spy(_stream.sf.SoundFile):
        def read(self, frames=-1, *args, **kwargs):
            requests.append(frames)
            return super().read(frames, *args, **kwargs)

    monkeypatch.setattr(_stream.sf, "SoundFile", Spy)
    tl = predict_timeline(tess_model, path, block_frames=4096)
    assert requests and max(requests) == 4096 and min(requests) > 0
    assert len(requests) >= audio.shape[0] // 4096
    monkeypatch.undo()
    assert [(s.start, s.label) for s in tl] == [
        (s.start, s.label) for s in predict_timeline(tess_model, path)
    ]


def test_engine_keeps_bounded_audio(tess_model, recording):
    audio = recording[1]
    eng = _engine(tess_model, SR, 2.0, 0.5, 2.0, True, 64)
    sizes = []
    for i in range(0, audio.shape[0], 1600):
        eng.push(audio[i : i + 1600])
        sizes.append(eng.audio.shape[0] + eng.flags.shape[0] + eng.cw.shape[0])
    # only the windows not classified yet are held (a few seconds), not the
    # 90 s recording
    assert max(sizes) < 12 * SR
    assert max(sizes[len(sizes) // 2 :]) <= 2 * max(sizes[: len(sizes) // 2]) + SR


@pytest.mark.parametrize("block", [1000, 4801])
def test_blocks_resampled_equal_whole_file(bad_inputs_dir, block):
    for name in ["ravdess_original48k_03-01-01-01-01-01-01.wav",
                 "pcm_u8_24k_03-01-01-01-01-01-01.wav"]:
        path = bad_inputs_dir / name
        whole = load_audio(path, sr=SR)
        blocks = iter_audio_blocks(path, sr=SR, block_frames=block)
        joined = np.concatenate(list(blocks))
        np.testing.assert_allclose(joined, whole, atol=1e-6)


def test_stream_resampler_any_piece_sizes(rng):
    from sklearn_ser.io import resample

    x = rng.normal(size=30000).astype(np.float32)
    r = StreamResampler(22050, SR)
    pieces = np.split(x, np.sort(rng.integers(0, x.size, 20)))
    out = np.concatenate([r.push(p) for p in pieces] + [r.flush()])
    np.testing.assert_allclose(out, resample(x, 22050, SR), atol=1e-6)


def test_silence_gives_no_segments(tess_model, bad_inputs_dir, tmp_path, rng):
    tl = predict_timeline(tess_model, bad_inputs_dir / "silent_3s_16k.wav")
    assert len(tl) == 0 and tl.duration == pytest.approx(3.0)
    long = tmp_path / "silent.flac"
    quiet = rng.normal(0, 10 ** (-80 / 20), 5 * 60 * SR).astype(np.float32)
    sf.write(long, quiet, SR)
    tl = predict_timeline(tess_model, long)
    assert len(tl) == 0 and tl.duration == pytest.approx(300.0)
    assert np.isnan(tl.proba).all()
    labels, proba, details = predict_recording(tess_model, [str(long)])
    assert details[0]["method"] == "pooled" and details[0]["speech_seconds"] == 0.0
    assert proba.shape == (1, len(tess_model.classes_))


def test_truncated_file_keeps_what_came_before(tess_model, recording, tmp_path):
    path, audio, _ = recording
    full = predict_timeline(tess_model, path)
    data = open(path, "rb").read()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[: len(data) * 6 // 10])
    with pytest.raises(TimelineReadError, match="cut.flac.*damaged or truncated") as e:
        predict_timeline(tess_model, cut, block_frames=SR * 20)
    part = e.value.timeline
    assert part.source == str(cut)
    # everything read before the damage (not just whole 20 s blocks) was used
    assert part.duration > 0.45 * audio.shape[0] / SR
    keep = [s for s in full if s.end < part.duration - 4.0]
    assert len(keep) >= 5
    assert [(s.start, s.end, s.label) for s in part.segments[: len(keep)]] == [
        (s.start, s.end, s.label) for s in keep
    ]


def test_truncated_wav_keeps_what_came_before(tess_model, recording, tmp_path):
    # A WAV cut short opens and reads without a decoder error: the shortfall
    # is found from its header, after every block the file holds was used.
    path, audio, _ = recording
    wav = tmp_path / "rec.wav"
    sf.write(wav, audio, SR, subtype="PCM_16")
    data = wav.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: len(data) * 6 // 10])
    with pytest.raises(TimelineReadError, match="cut.wav: truncated") as e:
        predict_timeline(tess_model, cut, block_frames=SR * 20)
    held = (len(data) * 6 // 10 - 44) / (2 * SR)
    assert e.value.timeline.duration == pytest.approx(held, abs=0.01)


def test_unreadable_file_is_named(tess_model, bad_inputs_dir):
    bad = bad_inputs_dir / "text_named.wav"
    with pytest.raises(AudioLoadError, match="text_named.wav"):
        predict_timeline(tess_model, bad)


def test_predict_recording_pools_long_recordings(tess_model, tess_split):
    b, test = tess_split
    limit = fitted_seconds(tess_model)
    angry = np.flatnonzero(test & (b.target == "angry"))[:10]
    clips = [load_audio(f, sr=SR) for f in np.asarray(b.filenames)[angry]]
    long = np.concatenate(clips)
    assert long.shape[0] / SR > 2 * limit
    labels, proba, details = predict_recording(tess_model, [long, clips[0]])
    assert details[0]["method"] == "pooled" and details[1]["method"] == "whole"
    assert labels[0] == "angry"
    ref = tess_model.predict_proba(np.array([clips[0]] + [None], dtype=object)[:1])
    np.testing.assert_allclose(proba[1], ref[0])


def test_pooled_probability_is_the_weighted_window_mean(tess_model, recording):
    """Reference: a plain loop over windows (no VAD), cut windows weighted."""
    audio = recording[1][: int(6.0 * SR)]
    _, proba, details = predict_recording(tess_model, [audio], vad=False)
    starts = np.arange(0, 6.0, 0.5)
    wins, weights = [], []
    for t in starts:
        w = audio[int(t * SR) : int((t + 2.0) * SR)]
        if t > 0 and w.shape[0] < SR:  # cut windows under half a window: skipped
            continue
        wins.append(w)
        weights.append(w.shape[0] / (2.0 * SR))
    X = np.empty(len(wins), dtype=object)
    X[:] = wins
    ref = np.average(tess_model.predict_proba(X), axis=0, weights=weights)
    assert details[0]["windows"] == len(wins)
    np.testing.assert_allclose(proba[0], ref, atol=1e-10)


def test_parameters_are_checked(tess_model):
    with pytest.raises(ValueError, match="multiple of hop"):
        predict_timeline(tess_model, "x.wav", window=2.0, hop=0.75)
    with pytest.raises(ValueError, match="window must be > 0"):
        list(iter_timeline(tess_model, [], SR, window=0))
    from sklearn.preprocessing import StandardScaler

    with pytest.raises(ValueError, match="sr"):
        list(iter_timeline(StandardScaler(), [], SR))


def test_vad_criterion():
    """Loud runs >= min_speech are speech; gaps < min_pause are filled."""
    vad = EnergyVAD(SR)
    t = np.arange(SR * 4) / SR
    tone = 0.1 * np.sin(2 * np.pi * 220 * t).astype(np.float32)
    y = np.zeros(SR * 4, np.float32)
    y[SR : 2 * SR] = tone[:SR]  # 1 s of tone
    y[int(2.2 * SR) : int(3.2 * SR)] = tone[:SR]  # after a 0.2 s gap: filled
    y[int(3.6 * SR) : int(3.65 * SR)] = tone[: int(0.05 * SR)]  # 50 ms blip
    flags = np.concatenate([vad.push(y[i : i + 777]) for i in range(0, y.size, 777)]
                           + [vad.flush()])
    assert flags.shape[0] == 400
    on = np.flatnonzero(flags)
    assert abs(on[0] - 100) <= 2 and abs(on[-1] - 320) <= 6
    # the 50 ms trailing average delays the onset by up to 2 frames
    assert flags[103:320].all() and not flags[330:].any()


def test_cli_timeline_stdin_and_errors(tess_model, recording, tmp_path):
    from sklearn_ser import save_model

    model = tmp_path / "m.joblib"
    save_model(tess_model, model)
    audio = recording[1][: 30 * SR]
    cmd = [sys.executable, "-m", "sklearn_ser", "timeline", str(model)]
    run = subprocess.run(cmd + ["-", "--sr", str(SR), "-q"],
                         input=audio.astype("<f4").tobytes(), capture_output=True)
    assert run.returncode == 0, run.stderr
    rows = run.stdout.decode().splitlines()
    assert rows[0].startswith("start,end,label")
    ref = predict_timeline(tess_model, recording[0])
    want = [s for s in ref if s.end < 25]
    got = [(float(r.split(",")[0]), r.split(",")[2]) for r in rows[1:]]
    assert got[: len(want)] == [(round(s.start, 2), s.label) for s in want]
    out, png = tmp_path / "t.csv", tmp_path / "t.png"
    rc, _, err = _main(["timeline", str(model), recording[0], "--out", str(out),
                        "--plot", str(png)])
    assert rc == 0, err
    assert len(out.read_text().splitlines()) == len(ref) + 1
    assert png.read_bytes()[:4] == b"\x89PNG"
    rc, _, err = _main(["timeline", str(model), str(tmp_path / "missing.wav")])
    lines = err.strip().splitlines()
    assert rc == 1 and len(lines) == 1 and "missing.wav" in lines[0]
    rc, _, err = _main(["timeline", str(model), "-"])
    assert rc == 1 and "--sr" in err


def _main(argv):
    import contextlib
    import io

    from sklearn_ser.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def test_cli_predict_pools_and_says_so(tess_model, tmp_path, tess_split):
    from sklearn_ser import save_model

    b, test = tess_split
    model = tmp_path / "m.joblib"
    save_model(tess_model, model)
    files = np.asarray(b.filenames)[np.flatnonzero(test & (b.target == "sad"))[:8]]
    long = tmp_path / "long_sad.wav"
    sf.write(long, np.concatenate([load_audio(f, sr=SR) for f in files]), SR)
    rc, out, err = _main(["predict", str(model), str(long), files[0]])
    assert rc == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[1].split()[0] == "sad"
    # the pooled file says so on its own line; the short clip has nothing to say
    assert "labelled from all" in lines[0] and "timeline" in lines[0]
    assert "labelled from all" not in lines[1]


def test_pipeline_rate_looks_inside_meta_estimators_and_ensembles():
    """A saved compare-vote-speed model (AugmentedClassifier around a
    VotingClassifier of feature pipelines) reads audio at its members' rate."""
    from sklearn.ensemble import VotingClassifier
    from sklearn.linear_model import LogisticRegression

    from sklearn_ser import Pipeline
    from sklearn_ser.augment import AugmentedClassifier, SpeedPerturbation
    from sklearn_ser.features import LMFB, MFCC, FrameStats
    from sklearn_ser.timeline._windowing import pipeline_rate

    def head(step):
        return Pipeline([step, FrameStats(), LogisticRegression()])

    vote = VotingClassifier(
        [("a", head(MFCC(sr=8000))), ("b", head(LMFB(sr=8000)))], voting="soft"
    )
    assert pipeline_rate(AugmentedClassifier(vote, SpeedPerturbation())) == 8000
    vote.set_params(b__lmfb__sr=16000)
    with pytest.raises(ValueError, match=r"MFCC\(sr=8000\), LMFB\(sr=16000\)"):
        pipeline_rate(vote)
    with pytest.raises(ValueError, match="LogisticRegression"):
        pipeline_rate(LogisticRegression())
