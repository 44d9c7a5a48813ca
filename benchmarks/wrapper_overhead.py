"""Fit-time overhead of the scikit-learn wrapper over raw ``keras.Model.fit``.

Trains the same network (same builder, optimizer, loss, data, epochs and
batch size) once through :class:`sklearn_ser.models.EmotionUnet` (or another
wrapper) and once as a raw Keras model built by the same builder, alternating
the two several times in one process, and reports the median times and the
overhead ``median(wrapper) / median(raw) - 1`` (target: <= 3%). Both timings
include building and compiling the model. A third variant, the wrapper with
``random_state`` set, shows the cost of seeded, op-deterministic training.

Data are synthetic arrays of the shape the features produce (the content does
not matter for timing): quick profile (200, 64, 64) with a small EmotionUnet;
paper profile (2098, 126, 257) = TESS 75% training split as log-STFT frames
(n_fft 512, hop 256, 2 s) with S2's TESS hyper-parameters.

Usage::

    python benchmarks/wrapper_overhead.py --profile quick
    python benchmarks/wrapper_overhead.py --profile paper --repeats 3

Results are written to ``benchmarks/results/wrapper_overhead_<profile>.json``
and ``.md``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _machine  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

PROFILES = {
    "quick": dict(
        n=200,
        frames=64,
        bins=64,
        n_classes=7,
        epochs=3,
        repeats=5,
        hyper=dict(
            filters_1=16,
            filters_2=32,
            filters_3=32,
            filters_4=32,
            filters_5=16,
            filters_6=16,
            dense_units=64,
        ),
        batch_size=16,
        learning_rate=0.001183,
    ),
    # S2's TESS values, from the library (filled in by _paper_profile()).
    "paper": dict(n=2098, frames=126, bins=257, n_classes=7, epochs=1, repeats=3),
}


def machine_info():
    """The shared benchmark machine description plus the GPUs TensorFlow sees."""
    import tensorflow as tf

    info = _machine.machine_info()
    info["gpus"] = [d.name for d in tf.config.list_physical_devices("GPU")]
    return info


def _profile(name):
    cfg = dict(PROFILES[name])
    if name == "paper":
        from sklearn_ser.models import EMOTIONUNET_PAPER_PARAMS

        tess = dict(EMOTIONUNET_PAPER_PARAMS["TESS"])
        cfg["batch_size"] = tess.pop("batch_size")
        cfg["learning_rate"] = tess.pop("learning_rate")
        tess.pop("epochs")
        cfg["hyper"] = tess
    return cfg


def run(profile, repeats=None, out_dir=RESULTS):
    import keras

    from sklearn_ser.models import EmotionUnet, build_emotionunet

    cfg = _profile(profile)
    repeats = repeats or cfg["repeats"]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(cfg["n"], cfg["frames"], cfg["bins"])).astype(np.float32)
    labels = np.array([f"class_{k}" for k in range(cfg["n_classes"])])
    y_int = rng.integers(0, cfg["n_classes"], cfg["n"])
    y = labels[y_int]
    common = dict(epochs=cfg["epochs"], batch_size=cfg["batch_size"])

    def raw():
        model = build_emotionunet(X.shape[1:], cfg["n_classes"], **cfg["hyper"])
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        model.fit(X, y_int, verbose=0, shuffle=True, **common)

    def wrapped(random_state=None):
        EmotionUnet(
            **cfg["hyper"],
            learning_rate=cfg["learning_rate"],
            random_state=random_state,
            verbose=0,
            **common,
        ).fit(X, y)

    variants = {
        "raw keras Model.fit": raw,
        "EmotionUnet.fit": wrapped,
        "EmotionUnet.fit (random_state=0)": lambda: wrapped(0),
    }
    for fn in variants.values():  # warm-up (graph tracing caches, allocators)
        fn()
    times = {name: [] for name in variants}
    for _ in range(repeats):
        for name, fn in variants.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(v) for name, v in times.items()}
    best = {name: min(v) for name, v in times.items()}
    base = med["raw keras Model.fit"]
    result = {
        "benchmark": "wrapper_overhead",
        "profile": profile,
        "config": {k: v for k, v in cfg.items() if k != "repeats"},
        "repeats": repeats,
        "times_s": times,
        "median_s": med,
        "min_s": best,
        "overhead_vs_raw": {name: m / base - 1.0 for name, m in med.items()},
        "overhead_vs_raw_min": {
            name: m / best["raw keras Model.fit"] - 1.0 for name, m in best.items()
        },
        "target_overhead": 0.03,
        "machine": machine_info(),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"wrapper_overhead_{profile}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2))
    stem.with_suffix(".md").write_text(_markdown(result))
    return result


def _markdown(r):
    c = r["config"]
    lines = [
        f"# Wrapper overhead ({r['profile']} profile)",
        "",
        f"EmotionUnet on X{(c['n'], c['frames'], c['bins'])}, {c['n_classes']} "
        f"classes, {c['epochs']} epoch(s), batch {c['batch_size']}; median of "
        f"{r['repeats']} alternating runs (build + compile + fit).",
        "",
        "| variant | median (s) | min (s) | all runs (s) | overhead (median) "
        "| overhead (min) |",
        "|---|---|---|---|---|---|",
    ]
    for name, med in r["median_s"].items():
        runs = ", ".join(f"{t:.2f}" for t in r["times_s"][name])
        lines.append(
            f"| {name} | {med:.2f} | {r['min_s'][name]:.2f} | {runs} | "
            f"{100 * r['overhead_vs_raw'][name]:+.1f}% | "
            f"{100 * r['overhead_vs_raw_min'][name]:+.1f}% |"
        )
    m = r["machine"]
    lines += ["", "Machine: " + ", ".join(f"{k}={v}" for k, v in m.items()), ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="quick",
        help="quick: small CPU run; paper: S2's TESS sizes",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="timed runs per variant (default: profile's)",
    )
    parser.add_argument("--out-dir", default=str(RESULTS))
    args = parser.parse_args(argv)
    r = run(args.profile, args.repeats, args.out_dir)
    print(_markdown(r))


if __name__ == "__main__":
    main()
