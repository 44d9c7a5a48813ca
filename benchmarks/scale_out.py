"""Out-of-core extraction: throughput, driver memory and resume, 1 process vs Dask.

The shipped corpora (RAVDESS speech + TESS, FLAC) are repeated to 1x, 3x
and 10x their size, and ``extract_to_disk`` writes frame-level MFCCs of every
file (``MFCC(sr=16000, n_fft=512, hop_length=160, n_mfcc=20, max_frames=400)``,
32 KB of float32 per file) in shards of ``--chunk-size`` files:

``single``
    One process, one chunk at a time (``n_jobs=None``).
``dask``
    A ``LocalCluster`` of 2 worker processes x 1 thread, under
    ``joblib.parallel_backend("dask")``: each chunk is a task, decoded,
    featurised and written by a worker. Cluster start-up, including the
    workers' first ``import sklearn_ser.features``, is timed apart.
``in-memory``
    The baseline: ``MFCC.transform(X)`` of the whole list in one process,
    which holds every feature in memory.

Each (mode, size) runs in a fresh subprocess that reports its own peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``): for ``dask`` that is the
driver (client + scheduler), not the workers. Throughput is files per
second of wall-clock time for the extraction alone.

Resume: a ``single`` extraction of the 3x corpus is started in a subprocess
and killed with SIGKILL once half of its shards are listed in the manifest;
a fresh process then reruns the same call, which computes only the missing
shards. Reported: the rerun's time against an uninterrupted run of the same
size, and whether the resumed shards equal the uninterrupted run's.

The machine's load average is recorded before and after every run; on a
shared machine compare ratios taken back to back, not absolute speed.

Profiles
--------
quick
    200 files (every n-th of RAVDESS + TESS), at 1x/3x/10x (200/600/2000).
paper
    All RAVDESS speech + TESS files (4238), at 1x/3x/10x.

Usage::

    python benchmarks/scale_out.py --profile quick
    python benchmarks/scale_out.py --profile paper --sizes 1 3

Writes ``benchmarks/results/scale_out_<profile>.json`` and ``.md``.
"""

import argparse
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _machine import machine_info, machine_markdown  # noqa: E402

MFCC_PARAMS = dict(sr=16000, n_fft=512, hop_length=160, n_mfcc=20, max_frames=400)
PROFILES = {"quick": {"n_files": 200}, "paper": {"n_files": None}}


def _default_data():
    env = os.environ.get("SER_DATA")
    if env:
        return Path(env).expanduser()
    return REPO.parent / "shared" / "data"


def _files(data, n_files):
    rav = sorted(str(p) for p in (Path(data) / "ravdess_speech").rglob("*.flac"))
    tess = sorted(str(p) for p in (Path(data) / "tess").rglob("*.flac"))
    if not rav or not tess:
        raise SystemExit(f"RAVDESS or TESS missing under {data} (set --data)")
    files = rav + tess
    if n_files is None or n_files >= len(files):
        return files
    return files[:: len(files) // n_files][:n_files]


def _load():
    return [round(x, 2) for x in os.getloadavg()]


# ------------------------------------------------------------ one measurement
def _measure(spec):
    """Run in a fresh process: one extraction, returns its figures."""
    import resource

    import numpy as np

    from sklearn_ser.features import MFCC, extract_to_disk

    files = json.loads(Path(spec["files"]).read_text()) * spec["repeat"]
    mfcc = MFCC(**MFCC_PARAMS)
    out = {"mode": spec["mode"], "repeat": spec["repeat"], "n_files": len(files)}
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = cluster = None
    if spec["mode"] == "dask":
        import distributed

        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster = distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = distributed.Client(cluster)
        # the workers import the package once, as a long-lived cluster would have
        client.run(importlib.import_module, "sklearn_ser.features")
        out["cluster_start_seconds"] = round(time.perf_counter() - t, 2)
    out["load_before"] = _load()
    t = time.perf_counter()
    if spec["mode"] == "in-memory":
        feats = mfcc.transform(files)
        out["bytes"] = int(feats.nbytes)
    elif spec["mode"] == "dask":
        from joblib import parallel_backend

        with parallel_backend("dask"):
            shards = extract_to_disk(
                mfcc, files, spec["path"], chunk_size=spec["chunk_size"], n_jobs=-1
            )
        out["bytes"] = int(np.prod(shards.shape) * shards.dtype.itemsize)
    else:
        shards = extract_to_disk(
            mfcc, files, spec["path"], chunk_size=spec["chunk_size"]
        )
        out["bytes"] = int(np.prod(shards.shape) * shards.dtype.itemsize)
    seconds = time.perf_counter() - t
    out["load_after"] = _load()
    out["seconds"] = round(seconds, 2)
    out["files_per_second"] = round(len(files) / seconds, 1)
    out["driver_peak_rss_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    out["driver_rss_at_start_mib"] = round(rss_start / 1024, 1)
    if client is not None:
        client.close()
        cluster.close()
    return out


def _child(spec):
    """Run ``_measure(spec)`` in a fresh interpreter; returns its JSON."""
    proc = subprocess.run(
        [sys.executable, __file__, "--_measure", json.dumps(spec)],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"measurement {spec} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _resume(spec, full_seconds, full_path):
    """SIGKILL a single-process extraction halfway, then time the rerun."""
    import numpy as np

    from sklearn_ser.features import FeatureShards

    n_shards = -(-spec["n_files"] // spec["chunk_size"])
    manifest = Path(spec["path"]) / "manifest.json"
    proc = subprocess.Popen(
        [sys.executable, __file__, "--_measure", json.dumps(spec)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    done = 0
    while proc.poll() is None:
        try:
            done = len(json.loads(manifest.read_text())["done"])
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= n_shards // 2:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    killed_at = len(json.loads(manifest.read_text())["done"])
    rerun = _child(spec)
    resumed = FeatureShards(spec["path"])
    full = FeatureShards(full_path)
    equal = all(
        np.array_equal(resumed.shard(i), full.shard(i)) for i in range(n_shards)
    )
    return {
        "n_files": spec["n_files"],
        "n_shards": n_shards,
        "shards_done_when_killed": killed_at,
        "rerun_seconds": rerun["seconds"],
        "full_run_seconds": full_seconds,
        "rerun_over_full": round(rerun["seconds"] / full_seconds, 3),
        "resumed_equals_full": bool(equal),
        "load_before": rerun["load_before"],
        "load_after": rerun["load_after"],
    }


# ------------------------------------------------------------------- driver
def run(args):
    files = _files(args.data, PROFILES[args.profile]["n_files"])
    info = machine_info()
    scratch = Path(tempfile.mkdtemp(prefix="scale_out_"))
    list_path = scratch / "files.json"
    list_path.write_text(json.dumps(files))
    rows, paths = [], {}
    try:
        for repeat in args.sizes:
            for mode in args.modes:
                path = scratch / f"{mode}_{repeat}"
                spec = {
                    "mode": mode,
                    "repeat": repeat,
                    "files": str(list_path),
                    "path": str(path),
                    "chunk_size": args.chunk_size,
                }
                row = _child(spec)
                print(json.dumps(row), flush=True)
                rows.append(row)
                paths[(mode, repeat)] = path
                if mode == "dask" and path.exists():
                    shutil.rmtree(path)  # the single-process shards are kept
        resume = None
        if args.resume_size in args.sizes and "single" in args.modes:
            full = next(
                r
                for r in rows
                if r["mode"] == "single" and r["repeat"] == args.resume_size
            )
            spec = {
                "mode": "single",
                "repeat": args.resume_size,
                "files": str(list_path),
                "path": str(scratch / "resume"),
                "chunk_size": args.chunk_size,
                "n_files": full["n_files"],
            }
            resume = _resume(spec, full["seconds"], paths[("single", args.resume_size)])
            print(json.dumps(resume), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    info["load_average_end"] = _load()
    result = {
        "benchmark": "scale_out",
        "profile": args.profile,
        "base_files": len(files),
        "chunk_size": args.chunk_size,
        "mfcc": MFCC_PARAMS,
        "machine": info,
        "runs": rows,
        "resume": resume,
        "command": "python benchmarks/scale_out.py " + " ".join(sys.argv[1:]),
    }
    single = {r["repeat"]: r for r in rows if r["mode"] == "single"}
    dask = {r["repeat"]: r for r in rows if r["mode"] == "dask"}
    result["dask_over_single_throughput"] = {
        str(k): round(dask[k]["files_per_second"] / single[k]["files_per_second"], 2)
        for k in single
        if k in dask
    }
    _write(result, args.out)
    return result


def _write(result, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"scale_out_{result['profile']}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Out-of-core extraction, 1 process vs Dask ({result['profile']} profile)",
        "",
        f"`{result['command']}`",
        "",
        f"Frame-level MFCC ({result['mfcc']}) of RAVDESS speech + TESS "
        f"({result['base_files']} files at 1x), repeated; shards of "
        f"{result['chunk_size']} files. Driver RSS = peak RSS of the process "
        "that calls `extract_to_disk` (for Dask: client + scheduler, not the "
        "workers), each run in a fresh process.",
        "",
        "| mode | size | files | seconds | files/s | driver peak RSS (MiB) "
        "| features (MiB) | load before -> after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        lines.append(
            f"| {r['mode']} | {r['repeat']}x | {r['n_files']} | {r['seconds']} | "
            f"{r['files_per_second']} | {r['driver_peak_rss_mib']} | "
            f"{r['bytes'] / 2**20:.1f} | {r['load_before'][0]} -> "
            f"{r['load_after'][0]} |"
        )
    starts = [
        r["cluster_start_seconds"]
        for r in result["runs"]
        if "cluster_start_seconds" in r
    ]
    if starts:
        lines += ["", f"LocalCluster start-up (not in the times above): {starts} s."]
    if result["dask_over_single_throughput"]:
        lines += [
            "",
            "Throughput ratio Dask (2 workers) / single process: "
            + ", ".join(
                f"{k}x: {v}" for k, v in result["dask_over_single_throughput"].items()
            ),
        ]
    res = result["resume"]
    if res:
        lines += [
            "",
            "## Resume after SIGKILL halfway",
            "",
            f"{res['n_files']} files ({res['n_shards']} shards), killed with "
            f"{res['shards_done_when_killed']} shards done: the rerun took "
            f"{res['rerun_seconds']} s against {res['full_run_seconds']} s for an "
            f"uninterrupted run (ratio {res['rerun_over_full']}); resumed shards "
            f"equal the uninterrupted run's: {res['resumed_equals_full']} "
            f"(load {res['load_before'][0]} -> {res['load_after'][0]}).",
        ]
    lines += ["", "## Machine", "", machine_markdown(result["machine"]),
              f"- load average at end: {result['machine']['load_average_end']}", ""]
    stem.with_suffix(".md").write_text("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument(
        "--data", type=Path, default=_default_data(),
        help="folder holding ravdess_speech/ and tess/ (default: $SER_DATA)",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1, 3, 10],
        help="how many times the corpus is repeated (default: 1 3 10)",
    )
    parser.add_argument(
        "--modes", nargs="+", default=["single", "dask", "in-memory"],
        choices=["single", "dask", "in-memory"],
    )
    parser.add_argument("--chunk-size", type=int, default=32, help="files per shard")
    parser.add_argument(
        "--resume-size", type=int, default=3,
        help="corpus size (repeat) of the kill/resume test (default: 3)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._measure:
        print(json.dumps(_measure(json.loads(args._measure))))
        return
    run(args)


if __name__ == "__main__":
    main()
