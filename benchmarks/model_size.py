"""Size of a saved network with and without its optimiser state.

Fits a registry pipeline briefly (the file size depends on the architecture,
not on how long it trained), saves it with ``save_model`` twice -- the default
(weights and compile settings, a fresh optimiser) and ``include_optimizer=True``
(Adam's two moments per weight as well) -- reloads both and checks that their
``predict_proba`` equal the fitted pipeline's.

Profiles
--------
quick
    ``mfcc-dense`` on 70 TESS files, 1 epoch.
paper
    ``stft-emotionunet`` (S2's EmotionUnet with the paper's TESS
    hyper-parameters: 63 frames x 257 bins, 12M weights) on 70 TESS files,
    1 epoch, without the callbacks (no validation split).

Usage::

    python benchmarks/model_size.py --profile paper

Writes ``benchmarks/results/model_size_<profile>.json`` and ``.md``.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info, machine_markdown  # noqa: E402

PROFILES = {
    "quick": {"pipeline": "mfcc-dense", "params": {}},
    "paper": {
        "pipeline": "stft-emotionunet",
        "params": {
            "emotionunet__reduce_lr_patience": None,
            "emotionunet__early_stopping_patience": None,
        },
    },
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--data", help="folder holding tess/ (default: $SER_DATA)")
    parser.add_argument("--per-class", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    import numpy as np

    from sklearn_ser import load_model, save_model
    from sklearn_ser.datasets import load_tess
    from sklearn_ser.pipelines import get_pipeline

    prof = PROFILES[args.profile]
    info = machine_info()
    b = load_tess(args.data)
    rng = np.random.default_rng(0)
    idx = np.concatenate(
        [
            rng.choice(np.flatnonzero(b.target == c), args.per_class, replace=False)
            for c in b.target_names
        ]
    )
    X, y = b.data[idx], b.target[idx]
    last = get_pipeline(prof["pipeline"]).steps[-1][0]
    pipe = get_pipeline(
        prof["pipeline"], random_state=0, **prof["params"], **{f"{last}__epochs": 1}
    )
    t0 = time.perf_counter()
    pipe.fit(X, y)
    fit_s = time.perf_counter() - t0
    expected = pipe.predict_proba(X)
    sizes, identical = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for include in (False, True):
            path = Path(tmp) / f"model_{include}.joblib"
            save_model(pipe, path, include_optimizer=include)
            key = "with_optimizer" if include else "default"
            sizes[key] = path.stat().st_size
            loaded = load_model(path)
            identical[key] = bool(np.array_equal(loaded.predict_proba(X), expected))
    n_weights = int(pipe.steps[-1][1].model_.count_params())
    result = {
        "profile": args.profile,
        "pipeline": prof["pipeline"],
        "n_files": int(len(X)),
        "epochs": 1,
        "n_weights": n_weights,
        "bytes": sizes,
        "mib": {k: round(v / 2**20, 1) for k, v in sizes.items()},
        "ratio_default_to_with_optimizer": round(
            sizes["default"] / sizes["with_optimizer"], 3
        ),
        "predict_proba_identical_after_reload": identical,
        "fit_seconds": round(fit_s, 1),
        "machine": info,
    }
    out = HERE / "results" / f"model_size_{args.profile}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    md = [
        f"# Saved model size ({args.profile} profile)",
        "",
        f"`python benchmarks/model_size.py --profile {args.profile}`: "
        f"`{prof['pipeline']}` ({n_weights:,} weights) fitted 1 epoch on "
        f"{len(X)} TESS files, saved with `save_model`.",
        "",
        "| saved with | MiB | predict_proba identical after reload |",
        "|---|---:|---|",
        f"| default (`include_optimizer=False`) | {result['mib']['default']} | "
        f"{identical['default']} |",
        f"| `include_optimizer=True` | {result['mib']['with_optimizer']} | "
        f"{identical['with_optimizer']} |",
        "",
        f"Default / with optimiser: {result['ratio_default_to_with_optimizer']}.",
        "",
        "## Machine",
        "",
        machine_markdown(info),
        "",
    ]
    out.with_suffix(".md").write_text("\n".join(md))
    print("\n".join(md[:10]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
