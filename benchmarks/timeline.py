"""Emotion timelines on long recordings built from real held-out clips.

A fast model (the registry's ``mfcc-svm``: mean MFCC -> standardise -> SVM)
is trained on RAVDESS actors 1-16. Long recordings are then built from real
clips of speakers it never saw, so the true timeline is known:

- *episodes* of 3 clips of one speaker and one emotion (RAVDESS actors 17-24,
  or TESS with its labels mapped to RAVDESS's: fear -> fearful,
  pleasant_surprise -> surprised), each clip trimmed of leading/trailing
  silence with ``librosa.effects.trim(top_db=30)``, 0.6 s pauses inside an
  episode and 2 s between episodes, over faint noise at -75 dBFS.

Measured:

1. **Accuracy against the true timeline**, frame-wise every 10 ms over the
   clips' time: agreement (no segment = wrong), coverage, false alarms over
   the pauses, boundary errors; versus classifying each clip alone (the
   original file as in training, and the trimmed clip as placed); for a few
   ``window``/``smooth`` settings.
2. **Whole-recording labels** (issue 9.3): one file per actor and emotion
   holding all that actor's clips of it (14-30 s, longer than the 5.3 s the
   model uses whole): ``pipeline.predict`` (which reads only the start)
   versus :func:`sklearn_ser.timeline.predict_recording` (pooled windows).
3. **Real-time factor and peak RSS** of :func:`predict_timeline` on 10-min
   and 60-min FLAC files (the accuracy recording repeated), each in a fresh
   subprocess: after imports and model loading the peak is reset
   (``/proc/self/clear_refs``) and the RSS then is the baseline; the peak is
   ``VmHWM`` after the run (``ru_maxrss`` where /proc is missing). CPU
   seconds are reported beside wall seconds because the machine is shared.
4. **Streaming latency**: :func:`iter_timeline` fed 0.1 s chunks; for each
   segment, the audio seconds that had arrived past its end when it was
   yielded (the algorithmic latency), and the processing time per chunk
   (the wall-clock part of the latency when audio arrives in real time).

Long files are written to a temporary folder, never into the repository.

Usage::

    python benchmarks/timeline.py --profile quick
    python benchmarks/timeline.py --profile paper --data /path/to/data

Writes ``benchmarks/results/timeline_<profile>.json`` and ``.md``.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _machine import machine_info, machine_markdown  # noqa: E402

SR = 16000
PROFILES = {
    # episodes per accuracy recording, long-file minutes, settings compared
    "quick": {"episodes": 40, "minutes": [10, 60],
              "settings": [(2.0, 0.5, 2.0), (2.0, 0.5, 0.0)]},
    "paper": {"episodes": 120, "minutes": [10, 60],
              "settings": [(2.0, 0.5, 2.0), (2.0, 0.5, 0.0), (2.0, 0.5, 4.0),
                           (1.0, 0.5, 2.0), (3.0, 0.5, 2.0)]},
}
TESS_MAP = {"fear": "fearful", "pleasant_surprise": "surprised"}


def _default_data():
    env = os.environ.get("SER_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _load(data):
    from sklearn_ser.datasets import load_ravdess, load_tess

    rav = load_ravdess(data_home=str(Path(data) / "ravdess_speech"))
    tess = load_tess(data_home=str(Path(data) / "tess"))
    tess_y = np.array([TESS_MAP.get(t, t) for t in tess.target])
    return rav, tess, tess_y


def _actor(g):
    return int(str(g).split("_")[-1])


def train_model(rav):
    from sklearn_ser.pipelines import get_pipeline

    train = np.array([_actor(g) <= 16 for g in rav.groups])
    model = get_pipeline("mfcc-svm")
    t0 = time.perf_counter()
    model.fit(np.asarray(rav.filenames, dtype=object)[train], rav.target[train])
    return model, time.perf_counter() - t0, int(train.sum())


def _trimmed(path):
    import librosa

    from sklearn_ser.io import load_audio

    return librosa.effects.trim(load_audio(path, sr=SR), top_db=30)[0]


def build_recording(files, labels, speakers, *, episodes, seed):
    """Episodes of 3 trimmed clips of one speaker/emotion; returns audio, truth."""
    rng = np.random.default_rng(seed)
    parts = [np.zeros(SR, np.float32)]
    truth = []
    t = 1.0
    keys = sorted({(s, y) for s, y in zip(speakers, labels)})
    for e in range(episodes):
        spk, emo = keys[rng.integers(len(keys))]
        pool = np.flatnonzero((speakers == spk) & (labels == emo))
        for j, i in enumerate(rng.choice(pool, min(3, pool.size), replace=False)):
            y = _trimmed(files[i])
            truth.append((t, t + y.shape[0] / SR, emo, files[i]))
            parts.append(y)
            gap = int((0.6 if j < 2 else 2.0) * SR)
            parts.append(np.zeros(gap, np.float32))
            t += (y.shape[0] + gap) / SR
    audio = np.concatenate(parts)
    audio += rng.normal(0, 10 ** (-75 / 20), audio.shape).astype(np.float32)
    return audio, truth


def _frames(items, duration):
    t = np.arange(0, duration, 0.01)
    out = np.full(t.shape, "", dtype=object)
    for a, b, lab in items:
        out[(t >= a) & (t < b)] = lab
    return out


def accuracy(model, audio, truth, path, settings):
    import soundfile as sf

    from sklearn_ser.timeline import predict_timeline

    sf.write(path, audio, SR)
    duration = audio.shape[0] / SR
    true = _frames([(a, b, y) for a, b, y, _ in truth], duration)
    speech = true != ""
    clips = [f for *_, f in truth]
    X = np.empty(len(clips), dtype=object)
    X[:] = clips
    alone = model.predict(X)
    X[:] = [_trimmed(f) for f in clips]
    alone_trim = model.predict(X)
    out = {
        "recording_seconds": round(duration, 1),
        "clips": len(truth),
        "speech_seconds": round(float(speech.sum()) * 0.01, 1),
        "clip_alone_original_file": _agree(true, speech, _frames(
            [(a, b, p) for (a, b, *_), p in zip(truth, alone)], duration)),
        "clip_alone_trimmed": _agree(true, speech, _frames(
            [(a, b, p) for (a, b, *_), p in zip(truth, alone_trim)], duration)),
        "clip_accuracy_original_file": round(float(np.mean(
            alone == np.array([y for _, _, y, _ in truth]))), 4),
        "timeline": [],
    }
    for window, hop, smooth in settings:
        tl = predict_timeline(model, path, window=window, hop=hop, smooth=smooth)
        pred = _frames([(s.start, s.end, s.label) for s in tl], duration)
        starts = np.array([s.start for s in tl])
        ends = np.array([s.end for s in tl])
        b_start = [float(np.abs(starts - a).min()) for a, *_ in truth]
        b_end = [float(np.abs(ends - b).min()) for _, b, *_ in truth]
        row = {
            "window": window, "hop": hop, "smooth": smooth,
            "segments": len(tl),
            "agreement_over_speech": round(float((pred[speech] == true[speech])
                                                 .mean()), 4),
            "label_accuracy_where_covered": round(float(
                (pred[speech & (pred != "")] == true[speech & (pred != "")])
                .mean()), 4),
            "coverage": round(float((pred[speech] != "").mean()), 4),
            "false_alarm_over_pauses": round(float((pred[~speech] != "").mean()), 4),
            "boundary_error_median_s": round(float(np.median(b_start + b_end)), 3),
            "boundary_within_0.1s": round(float(np.mean(
                np.array(b_start + b_end) < 0.1)), 4),
        }
        out["timeline"].append(row)
    return out


def _agree(true, speech, pred):
    return round(float((pred[speech] == true[speech]).mean()), 4)


def whole_recordings(model, rav, tmpdir):
    """One file per held-out actor and emotion with all its clips."""
    import soundfile as sf

    from sklearn_ser.io import load_audio
    from sklearn_ser.timeline import fitted_seconds, predict_recording

    files = np.asarray(rav.filenames)
    paths, labels, secs = [], [], []
    for g in sorted(set(rav.groups)):
        if _actor(g) <= 16:
            continue
        for emo in rav.target_names:
            sel = files[(rav.groups == g) & (rav.target == emo)]
            y = np.concatenate([load_audio(f, sr=SR) for f in sel])
            p = os.path.join(tmpdir, f"{g}_{emo}.flac")
            sf.write(p, y, SR)
            paths.append(p)
            labels.append(emo)
            secs.append(y.shape[0] / SR)
    labels = np.array(labels)
    X = np.empty(len(paths), dtype=object)
    X[:] = paths
    plain = model.predict(X)
    pooled, _, details = predict_recording(model, X)
    return {
        "recordings": len(paths),
        "seconds_min_median_max": [round(float(np.min(secs)), 1),
                                   round(float(np.median(secs)), 1),
                                   round(float(np.max(secs)), 1)],
        "model_uses_whole_seconds": round(fitted_seconds(model), 2),
        "pooled_recordings": sum(d["method"] == "pooled" for d in details),
        "accuracy_predict_first_part": round(float(np.mean(plain == labels)), 4),
        "accuracy_predict_recording_pooled": round(float(np.mean(pooled == labels)), 4),
    }


def write_long(path, audio, minutes):
    """Repeat ``audio`` to ``minutes`` minutes, written block by block."""
    import soundfile as sf

    n = int(minutes * 60 * SR)
    with sf.SoundFile(path, "w", samplerate=SR, channels=1, format="FLAC") as f:
        done = 0
        while done < n:
            part = audio[: n - done]
            f.write(part)
            done += part.shape[0]


def _status_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise OSError(field)


def _reset_peak():
    """Reset the peak RSS (Linux ``clear_refs``); False where unsupported.

    Needed because ``ru_maxrss`` survives ``exec``: a fresh subprocess starts
    with its parent's peak.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _child(model_path, audio_path):
    """In a fresh process: RSS after imports, then time and peak RSS of a run."""
    from sklearn_ser import load_model
    from sklearn_ser.timeline import predict_timeline

    model = load_model(model_path)
    proc = _reset_peak()
    base = (_status_mib("VmRSS") if proc
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    tl = predict_timeline(model, audio_path)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(json.dumps({
        "audio_seconds": tl.duration, "segments": len(tl), "wall_s": wall,
        "cpu_s": cpu, "baseline_rss_mib": base,
        "peak_rss_mib": _status_mib("VmHWM") if proc else r1.ru_maxrss / 1024,
    }))


def long_runs(model_path, audio, minutes, tmpdir):
    rows = []
    for m in minutes:
        path = os.path.join(tmpdir, f"long_{m}min.flac")
        write_long(path, audio, m)
        load0 = os.getloadavg()[0]
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        out = subprocess.run(
            [sys.executable, __file__, "--child", model_path, path],
            capture_output=True, text=True, env=env, check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r.update(
            minutes=m,
            file_mib=round(os.path.getsize(path) / 2**20, 1),
            rtf_wall=round(r["wall_s"] / r["audio_seconds"], 5),
            rtf_cpu=round(r["cpu_s"] / r["audio_seconds"], 5),
            load_1min_before_after=[round(load0, 2), round(os.getloadavg()[0], 2)],
        )
        for k in ("wall_s", "cpu_s", "baseline_rss_mib", "peak_rss_mib"):
            r[k] = round(r[k], 1)
        rows.append(r)
        os.remove(path)
    return rows


def streaming(model, audio, chunk_s=0.1):
    from sklearn_ser.timeline._timeline import _engine

    eng = _engine(model, None, 2.0, 0.5, 2.0, True, 64)
    step = int(chunk_s * SR)
    lat, proc = [], []
    for i in range(0, audio.shape[0], step):
        t0 = time.perf_counter()
        segs = eng.push(audio[i : i + step])
        proc.append(time.perf_counter() - t0)
        arrived = min(i + step, audio.shape[0]) / SR
        lat += [arrived - s.end for s in segs]
    lat = np.array(lat)
    proc = np.array(proc) * 1000
    return {
        "chunk_seconds": chunk_s,
        "segments": int(lat.size),
        "algorithmic_latency_s_median_p95_max": [round(float(v), 2) for v in
                                                 np.percentile(lat, [50, 95, 100])],
        "documented_bound_s": round(2.0 + 0.5 * 3 + 0.3 + chunk_s, 2),
        "processing_ms_per_chunk_median_p99_max": [round(float(v), 1) for v in
                                                   np.percentile(proc, [50, 99, 100])],
        "load_1min": round(os.getloadavg()[0], 2),
    }


def markdown(res):
    lines = [f"# Emotion timeline ({res['profile']} profile)", "",
             f"Model: registry `mfcc-svm` trained on {res['train_files']} RAVDESS "
             f"files (actors 1-16) in {res['train_seconds']} s.", "",
             "## Accuracy against the true timeline", "",
             "Frame-wise (10 ms) over the clips' time; *agreement* counts "
             "uncovered speech as wrong.", ""]
    for name, acc in res["accuracy"].items():
        lines += [f"### {name}: {acc['recording_seconds']} s, {acc['clips']} clips, "
                  f"{acc['speech_seconds']} s of speech", "",
                  f"- each clip alone, original file as in training: agreement "
                  f"{acc['clip_alone_original_file']} (clip accuracy "
                  f"{acc['clip_accuracy_original_file']})",
                  f"- each clip alone, trimmed clip as placed: "
                  f"{acc['clip_alone_trimmed']}", "",
                  "| window | hop | smooth | segments | agreement | label acc. where "
                  "covered | coverage | false alarm (pauses) | boundary err. median "
                  "(s) | boundaries < 0.1 s |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in acc["timeline"]:
            lines.append(
                f"| {r['window']} | {r['hop']} | {r['smooth']} | {r['segments']} | "
                f"{r['agreement_over_speech']} | {r['label_accuracy_where_covered']} "
                f"| {r['coverage']} | {r['false_alarm_over_pauses']} | "
                f"{r['boundary_error_median_s']} | {r['boundary_within_0.1s']} |")
        lines.append("")
    w = res["whole_recordings"]
    lines += ["## Whole-recording labels (one file per held-out actor and emotion)",
              "", f"{w['recordings']} files of {w['seconds_min_median_max']} s "
              f"(min/median/max); the model uses {w['model_uses_whole_seconds']} s "
              f"whole; {w['pooled_recordings']} pooled.", "",
              f"- `pipeline.predict` (reads the start only): "
              f"{w['accuracy_predict_first_part']}",
              f"- `predict_recording` (pooled speech windows): "
              f"{w['accuracy_predict_recording_pooled']}", "",
              "## Long files: real-time factor and peak RSS (fresh subprocess)", "",
              "| minutes | FLAC MiB | segments | wall s | CPU s | RTF wall | RTF CPU "
              "| RSS after imports MiB | peak RSS MiB | load before/after |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in res["long"]:
        lines.append(
            f"| {r['minutes']} | {r['file_mib']} | {r['segments']} | {r['wall_s']} | "
            f"{r['cpu_s']} | {r['rtf_wall']} | {r['rtf_cpu']} | "
            f"{r['baseline_rss_mib']} | {r['peak_rss_mib']} | "
            f"{r['load_1min_before_after']} |")
    s = res["streaming"]
    lines += ["", "## Streaming latency", "",
              f"Chunks of {s['chunk_seconds']} s; {s['segments']} segments. Audio "
              f"seconds past a segment's end when it was yielded (median/p95/max): "
              f"{s['algorithmic_latency_s_median_p95_max']} (documented bound "
              f"{s['documented_bound_s']} s). Processing per chunk in ms "
              f"(median/p99/max): {s['processing_ms_per_chunk_median_p99_max']} "
              f"(load {s['load_1min']}).", "", "## Machine", "",
              machine_markdown(res["machine"]), ""]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="See the module docstring for what is measured.")
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    p.add_argument("--data", type=Path, default=_default_data(),
                   help="folder holding ravdess_speech/ and tess/ (default $SER_DATA)")
    p.add_argument("--out", type=Path, default=HERE / "results")
    p.add_argument("--child", nargs=2, metavar=("MODEL", "AUDIO"),
                   help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    import warnings

    warnings.simplefilter("ignore")
    from sklearn_ser import save_model

    prof = PROFILES[args.profile]
    res = {"profile": args.profile, "machine": machine_info()}
    rav, tess, tess_y = _load(args.data)
    model, secs, n = train_model(rav)
    res.update(train_seconds=round(secs, 1), train_files=n)
    held = np.array([_actor(g) > 16 for g in rav.groups])
    with tempfile.TemporaryDirectory(prefix="ser_timeline_") as tmp:
        model_path = os.path.join(tmp, "model.joblib")
        save_model(model, model_path)
        res["accuracy"] = {}
        rav_audio, rav_truth = build_recording(
            np.asarray(rav.filenames)[held], rav.target[held],
            np.asarray(rav.groups)[held], episodes=prof["episodes"], seed=0)
        res["accuracy"]["RAVDESS actors 17-24"] = accuracy(
            model, rav_audio, rav_truth, os.path.join(tmp, "rav.flac"),
            prof["settings"])
        t_audio, t_truth = build_recording(
            np.asarray(tess.filenames), tess_y, np.asarray(tess.groups),
            episodes=prof["episodes"], seed=1)
        res["accuracy"]["TESS (cross-corpus)"] = accuracy(
            model, t_audio, t_truth, os.path.join(tmp, "tess.flac"),
            prof["settings"])
        print("accuracy done", flush=True)
        res["whole_recordings"] = whole_recordings(model, rav, tmp)
        print("whole recordings done", flush=True)
        res["streaming"] = streaming(model, rav_audio)
        res["long"] = long_runs(model_path, rav_audio, prof["minutes"], tmp)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"timeline_{args.profile}"
    stem.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(res))
    print(markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
