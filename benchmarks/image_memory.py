"""Peak memory and time of SpectrogramImage on the shipped corpora (S0's images).

Each measurement runs in a fresh Python subprocess, so its peak resident set
size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that of the
transform alone plus the interpreter and the imports (which are measured
separately and reported as ``baseline_rss_mib``).

Profiles
--------
quick
    240 RAVDESS files (the feature-speed benchmark's set) at 224 x 224 x 3.
paper
    The whole S0 set: RAVDESS speech (1440) + TESS (2798) = 4238 files at
    224 x 224 x 3 uint8 (638 MB of output); the target is < 1.5 GiB peak RSS.

Usage::

    python benchmarks/image_memory.py --profile quick
    python benchmarks/image_memory.py --profile paper --data /path/to/data

Writes ``benchmarks/results/image_memory_<profile>.json`` and ``.md``.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LIMIT_MIB = 1536.0


def _default_data():
    env = os.environ.get("SER_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _machine():
    try:
        sys.path.insert(0, str(HERE))
        import _machine as m  # benchmarks/_machine.py (shared machine description)

        for name in ("machine_info", "machine", "describe_machine", "get_machine_info"):
            if hasattr(m, name):
                return getattr(m, name)()
    except Exception:  # noqa: BLE001 - fall back to a local description
        pass
    import numpy as np

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu_count": os.cpu_count(),
        "processor": platform.processor(),
    }


def _files(data, profile):
    rav = sorted(str(p) for p in (Path(data) / "ravdess_speech").rglob("*.flac"))
    if profile == "quick":
        if not rav:
            raise SystemExit(f"no RAVDESS files under {data}/ravdess_speech")
        return rav[:: max(1, len(rav) // 240)][:240]
    tess = sorted(str(p) for p in (Path(data) / "tess").rglob("*.flac"))
    if not rav or not tess:
        raise SystemExit(
            f"need {data}/ravdess_speech and {data}/tess for --profile paper"
        )
    return rav + tess


def _child(args):
    """Runs inside the subprocess: import, measure baseline, transform, report."""
    import numpy as np
    import soundfile as sf

    from sklearn_ser.features._image import SpectrogramImage

    files = _files(args.data, args.profile)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    audio_s = sum(sf.info(f).duration for f in files)
    est = SpectrogramImage(
        size=(args.size, args.size),
        kind=args.kind,
        batch_size=args.batch_size,
        n_jobs=args.n_jobs,
    )
    t0 = time.perf_counter()
    out = est.fit_transform(files)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    assert out.shape == (len(files), args.size, args.size, 3) and out.dtype == np.uint8
    print(
        json.dumps(
            {
                "n_files": len(files),
                "audio_seconds": round(audio_s, 1),
                "seconds": round(seconds, 2),
                "x_real_time": round(audio_s / seconds, 1),
                "output_mib": round(out.nbytes / 2**20, 1),
                "baseline_rss_mib": round(baseline, 1),
                "peak_rss_mib": round(peak, 1),
            }
        )
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", choices=("quick", "paper"), default="quick")
    ap.add_argument(
        "--data",
        type=Path,
        default=_default_data(),
        help="folder holding ravdess_speech/ and tess/ (default: $SER_DATA)",
    )
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--kind", choices=("stft", "mel"), default="stft")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--n-jobs", type=int, default=None)
    ap.add_argument("--out", type=Path, default=HERE / "results")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return _child(args)

    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--profile",
        args.profile,
        "--data",
        str(args.data),
        "--size",
        str(args.size),
        "--kind",
        args.kind,
        "--batch-size",
        str(args.batch_size),
    ]
    if args.n_jobs is not None:
        cmd += ["--n-jobs", str(args.n_jobs)]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["children_maxrss_mib"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1
    )
    res.update(
        {
            "benchmark": "image_memory",
            "profile": args.profile,
            "size": [args.size, args.size, 3],
            "dtype": "uint8",
            "kind": args.kind,
            "batch_size": args.batch_size,
            "n_jobs": args.n_jobs,
            "limit_mib": LIMIT_MIB,
            "under_limit": res["peak_rss_mib"] < LIMIT_MIB,
            "command": "python benchmarks/image_memory.py "
            + " ".join(a for a in (argv if argv is not None else sys.argv[1:])),
            "machine": _machine(),
        }
    )
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"image_memory_{args.profile}"
    stem.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n")
    md = [
        f"# SpectrogramImage memory and time ({args.profile} profile)",
        "",
        f"`{res['command']}`",
        "",
        "| files | audio (s) | image | time (s) | x real time | output (MiB) "
        "| baseline RSS (MiB) | peak RSS (MiB) | limit (MiB) |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {res['n_files']} | {res['audio_seconds']} "
        f"| {args.size}x{args.size}x3 uint8 ({args.kind}) | {res['seconds']} "
        f"| {res['x_real_time']} | {res['output_mib']} "
        f"| {res['baseline_rss_mib']} | {res['peak_rss_mib']} | {LIMIT_MIB:g} |",
        "",
        "Peak RSS is `ru_maxrss` of a fresh subprocess (interpreter + imports + "
        "transform); baseline is its RSS after the imports.",
        "",
        "Machine: `" + json.dumps(res["machine"]) + "`",
        "",
    ]
    stem.with_suffix(".md").write_text("\n".join(md))
    if args.json:
        print(json.dumps(res))
    else:
        print("\n".join(md[4:7]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
