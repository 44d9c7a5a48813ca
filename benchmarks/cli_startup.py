"""Start-up time of ``sklearn-ser predict`` for one file, and its stderr noise.

Trains small models on the RAVDESS sample shipped in the package (an MFCC ->
SVM model, which must not import TensorFlow, and Keras models), then runs
``python -m sklearn_ser predict MODEL FILE`` several times per model in fresh
processes, alternating the models, and reports the median wall time and the
number of TensorFlow log lines on stderr. A second, in-process measurement
splits one start-up into its phases (import sklearn_ser, import keras, load
the model, first predict).

Profiles: quick = mfcc-svm and mfcc-dense (1 epoch); paper adds
stft-emotionunet with S2's TESS hyper-parameters (1 epoch on the sample: a
full-size network and model file, so loading costs what a real one does).

``--pythonpath DIR`` times another checkout's package (default: this one),
e.g. the main branch, for a before/after comparison.

Usage::

    python benchmarks/cli_startup.py --profile quick --repeats 5
    python benchmarks/cli_startup.py --profile quick --pythonpath ../main --tag main

Results: ``benchmarks/results/cli_startup_<profile>[_<tag>].json`` and ``.md``.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
import _machine  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
PROFILES = {
    "quick": ["mfcc-svm", "mfcc-dense"],
    "paper": ["mfcc-svm", "mfcc-dense", "stft-emotionunet"],
}
_NOISE = re.compile(r"cuda|cuInit|absl|oneDNN|NodeDef|^[IWE]\d{4} ", re.I)

_PHASES = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import sklearn_ser
t1 = time.perf_counter()
from sklearn_ser import load_model
from sklearn_ser._persistence import load_model as _lm
model, header = _lm(sys.argv[1], return_header=True)
t2 = time.perf_counter()
model.predict(np.asarray([sys.argv[2]], dtype=object))
t3 = time.perf_counter()
print(json.dumps({"import_sklearn_ser": t1 - t0, "load_model_incl_imports": t2 - t1,
                  "first_predict": t3 - t2,
                  "tensorflow_imported": "tensorflow" in sys.modules}))
"""


def _env(pythonpath):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    if pythonpath:
        env["PYTHONPATH"] = str(Path(pythonpath).resolve())
    return env


def _train(name, out):
    from sklearn_ser.cli import main

    argv = ["train", "--corpus", "sample", "--pipeline", name, "--protocol", "all"]
    if name != "mfcc-svm":
        argv += ["--epochs", "1"]
    if main(argv + ["--out", str(out), "-q"]) != 0:
        raise SystemExit(f"training {name} failed")


def run(profile, repeats, pythonpath, out_dir, tag):
    from sklearn_ser.datasets import load_sample

    audio = str(load_sample().filenames[0])
    work = Path(tempfile.mkdtemp(prefix="cli_startup_"))
    models = {}
    for name in PROFILES[profile]:
        models[name] = work / f"{name}.joblib"
        _train(name, models[name])
    env = _env(pythonpath)
    cwd = tempfile.mkdtemp(prefix="cli_cwd_")  # not the repository: PYTHONPATH rules
    times = {n: [] for n in models}
    noise = {n: 0 for n in models}
    loads = []
    for _ in range(repeats):
        for name, path in models.items():
            loads.append(os.getloadavg()[0])
            t = time.perf_counter()
            r = subprocess.run(
                [sys.executable, "-m", "sklearn_ser", "predict", str(path), audio],
                capture_output=True, text=True, env=env, cwd=cwd,
            )  # fmt: skip
            times[name].append(time.perf_counter() - t)
            if r.returncode != 0:
                raise SystemExit(f"predict with {name} failed: {r.stderr}")
            noise[name] = max(
                noise[name], sum(bool(_NOISE.search(x)) for x in r.stderr.splitlines())
            )
    phases = {}
    for name, path in models.items():
        r = subprocess.run(
            [sys.executable, "-c", _PHASES, str(path), audio],
            capture_output=True, text=True, env=env, cwd=cwd,
        )  # fmt: skip
        phases[name] = json.loads(r.stdout.strip().splitlines()[-1])
    result = {
        "profile": profile,
        "tag": tag,
        "pythonpath": pythonpath,
        "repeats": repeats,
        "model_bytes": {n: p.stat().st_size for n, p in models.items()},
        "times_s": times,
        "median_s": {n: statistics.median(v) for n, v in times.items()},
        "tf_noise_lines": noise,
        "phases_s": phases,
        "load_during_runs": [min(loads), max(loads)],
        "machine": _machine.machine_info(),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / (f"cli_startup_{profile}" + (f"_{tag}" if tag else ""))
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2))
    stem.with_suffix(".md").write_text(_markdown(result))
    return result


def _markdown(r):
    lo, hi = r["load_during_runs"]
    lines = [
        f"# `sklearn-ser predict` start-up ({r['profile']} profile"
        + (f", {r['tag']}" if r["tag"] else "")
        + ")",
        "",
        f"One file, fresh process, median of {r['repeats']} alternating runs; "
        f"1-minute load {lo:.1f}-{hi:.1f} during the runs.",
        "",
        "| model | file MB | median s | all runs s | TF log lines on stderr "
        "| import sklearn_ser s | load model (incl. imports) s | first predict s "
        "| imports TF |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, med in r["median_s"].items():
        p = r["phases_s"][name]
        runs = ", ".join(f"{t:.1f}" for t in r["times_s"][name])
        lines.append(
            f"| {name} | {r['model_bytes'][name] / 1e6:.1f} | {med:.2f} | {runs} | "
            f"{r['tf_noise_lines'][name]} | {p['import_sklearn_ser']:.2f} | "
            f"{p['load_model_incl_imports']:.2f} | {p['first_predict']:.2f} | "
            f"{p['tensorflow_imported']} |"
        )
    lines += ["", _machine.machine_markdown(r["machine"]), ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--pythonpath",
        default=str(REPO),
        help="time the sklearn_ser package found in this folder (default: this "
        "checkout; e.g. another checkout for a before/after comparison)",
    )
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--out-dir", default=str(RESULTS))
    args = parser.parse_args(argv)
    result = run(args.profile, args.repeats, args.pythonpath, args.out_dir, args.tag)
    print(_markdown(result))


if __name__ == "__main__":
    main()
