"""Decoding speed of compressed music (MER 4Q, Ogg Opus at 48 kHz) per clip.

Measured back to back on the same clips: ``load_audio(path, sr=22050)`` one
file at a time (the path every transformer took before), its parts (the
libsndfile decode at 48 kHz, the polyphase resampling to 22.05 kHz, and
soxr's HQ resampler for comparison), ``load_audio_batch`` with a cold and
a warm ``memory`` cache of decoded waveforms, and ``n_jobs=2`` threads.

Examples
--------
::

    python benchmarks/audio_decode_speed.py --profile quick
    python benchmarks/audio_decode_speed.py --profile paper

Profiles: ``quick`` 40 clips (10 per quadrant), ``paper`` all 900.
Results go to ``benchmarks/results/audio_decode_speed_<profile>.json``
and ``.md``.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info, machine_markdown  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def run(paths, sr=22050):
    import soundfile as sf
    import soxr

    from sklearn_ser.io import OutOfRangeAudioWarning, load_audio, load_audio_batch
    from sklearn_ser.io import resample as poly

    n = len(paths)
    rows = {}
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", OutOfRangeAudioWarning)
        ref, t = _timed(lambda: [load_audio(p, sr=sr) for p in paths])
        per_file_warnings = sum(w.category is OutOfRangeAudioWarning for w in rec)
    rows["load_audio one by one (before)"] = t
    raw, t = _timed(lambda: [sf.read(p, dtype="float32")[0] for p in paths])
    rows["  of which: libsndfile decode at 48 kHz"] = t
    _, t = _timed(lambda: [poly(y, 48000, sr) for y in raw])
    rows["  of which: polyphase resample 48k -> 22.05k"] = t
    _, t = _timed(lambda: [soxr.resample(y, 48000, sr, quality="HQ") for y in raw])
    rows["  (soxr HQ resample, not used)"] = t
    cache = tempfile.mkdtemp(prefix="decode_cache_")
    try:
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always", OutOfRangeAudioWarning)
            cold, t = _timed(lambda: load_audio_batch(paths, sr=sr, memory=cache))
            batch_warnings = sum(w.category is OutOfRangeAudioWarning for w in rec)
        rows["load_audio_batch, memory cache cold"] = t
        warm, t = _timed(lambda: load_audio_batch(paths, sr=sr, memory=cache))
        rows["load_audio_batch, memory cache warm (after)"] = t
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    threaded, t = _timed(lambda: load_audio_batch(paths, sr=sr, n_jobs=2))
    rows["load_audio_batch, n_jobs=2 threads, no cache"] = t
    identical = all(
        np.array_equal(a, b) and np.array_equal(a, c) and np.array_equal(a, d)
        for a, b, c, d in zip(ref, cold, warm, threaded)
    )
    return {
        "n_clips": n,
        "sr": sr,
        "seconds_per_clip": {k: v / n for k, v in rows.items()},
        "seconds_total": rows,
        "identical_waveforms": bool(identical),
        "out_of_range_warnings_per_file_api": int(per_file_warnings),
        "out_of_range_warnings_batch_api": int(batch_warnings),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=("quick", "paper"), default="quick")
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    from sklearn_ser.datasets import load_mer_4q

    b = load_mer_4q(args.data_home)
    paths = list(b.data)
    if args.profile == "quick":
        paths = [p for q in b.target_names for p in b.data[b.target == q][:10]]
    info = machine_info()
    res = run(paths)
    res["load_after"] = os.getloadavg()
    res["machine"] = info
    res["profile"] = args.profile
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"audio_decode_speed_{args.profile}"
    stem.with_suffix(".json").write_text(json.dumps(res, indent=2))
    before = res["seconds_per_clip"]["load_audio one by one (before)"]
    lines = [
        f"# Decoding speed, MER 4Q Ogg Opus ({args.profile} profile)",
        "",
        f"Command: `python benchmarks/audio_decode_speed.py --profile {args.profile}`",
        "",
        f"{res['n_clips']} clips of 30 s, 48 kHz Opus -> {res['sr']} Hz. Load "
        f"average before {info.get('load_average_1_5_15')}, after "
        f"{tuple(round(x, 2) for x in res['load_after'])} (shared machine: read "
        "the ratios).",
        "",
        "| step | s per clip | s total | before ÷ this |",
        "|---|---|---|---|",
    ]
    for k, v in res["seconds_per_clip"].items():
        lines.append(
            f"| {k} | {v:.4f} | {res['seconds_total'][k]:.1f} | {before / v:.1f}x |"
        )
    lines += [
        "",
        f"Waveforms identical across the four loading paths: "
        f"{res['identical_waveforms']}. OutOfRangeAudioWarnings: "
        f"{res['out_of_range_warnings_per_file_api']} from load_audio one by one, "
        f"{res['out_of_range_warnings_batch_api']} from one load_audio_batch.",
        "",
        "## Machine",
        "",
        machine_markdown(info),
    ]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:-3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
