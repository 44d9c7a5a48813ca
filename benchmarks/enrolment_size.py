"""How many recordings of a new voice does enrolment need?

``compare-vote-enrol`` (the registry's speaker-adaptive pipeline) standardises
a new speaker with the statistics of the files it is given together and
self-trains on them, so its accuracy depends on how many of that speaker's
recordings arrive in one batch (``sklearn-ser predict --speaker``). This
benchmark measures it on RAVDESS's six EmoBox actor folds: the pipeline is
fitted on each fold's 20 training actors (cached features, the registry's
settings: ``speaker_independent.py``'s row "compare-vote-enrol speech-only
(registry settings)"), then each test actor is predicted alone, from ``k`` of
their 60 recordings drawn at random (every emotion may or may not be among
them, as for a user), ``--draws`` times per ``k``. Reported: UAR over all
predictions of each ``k``, with and without the self-training step
(normalisation only), beside the strict default ``compare-vote-speed`` (row
"compare-vote-speed tempered + pitch copies (registry settings)", fitted on the
same training actors, with their speakers for the temperatures) on the same
files, which needs no enrolment.

    python benchmarks/enrolment_size.py --cache-dir CACHE [--sizes 1,4,8,16,30,60]

Results: ``benchmarks/results/enrolment_size.{json,md}``.
"""

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine_info, machine_markdown  # noqa: E402

ROW = "compare-vote-enrol speech-only (registry settings)"
STRICT_ROW = "compare-vote-speed tempered + pitch copies (registry settings)"
RESULTS = Path(__file__).resolve().parent / "results"


def _uar(y_true, y_pred):
    from sklearn.metrics import balanced_accuracy_score

    return float(balanced_accuracy_score(y_true, y_pred))


def run(data, sizes, draws, seed, verbose):
    """``{k: {"adapt": (y, pred), "norm_only": (y, pred)}}`` pooled over folds."""
    import speaker_independent as si

    from sklearn_ser.model_selection import get_protocol

    row, strict_row = si.ROWS[ROW], si.ROWS[STRICT_ROW]
    d = data["ravdess"]
    X, blocks = d.features(row.inputs)
    Xs, blocks_s = d.features(strict_row.inputs)
    y, g = d.y, d.groups
    rng = np.random.default_rng(seed)
    kinds = ("adapt", "norm_only", "strict")
    pooled = {k: {kind: ([], []) for kind in kinds} for k in sizes}
    for fold, (tr, te) in enumerate(get_protocol("emobox-ravdess").split(X, y, g)):
        t0 = time.perf_counter()
        model = row.build(profile="paper", blocks=blocks, seed=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X[tr], y[tr], groups=g[tr])
            strict = strict_row.build(profile="paper", blocks=blocks_s, seed=seed)
            strict.fit(Xs[tr], y[tr], groups=g[tr])  # speakers: temperatures
        norm, selftrain = model[:-1], model[-1]
        for speaker in np.unique(g[te]):
            own = te[g[te] == speaker]
            for k in sizes:
                for _ in range(1 if k >= len(own) else draws):
                    n = min(k, len(own))
                    pick = np.sort(rng.choice(own, size=n, replace=False))
                    groups = g[pick]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        pred = model.predict(X[pick], groups=groups)
                        Xn = norm.transform(X[pick], groups=groups)
                        plain = selftrain.estimator_.predict(Xn)
                        alone = strict.predict(Xs[pick])
                    for key, p in zip(kinds, (pred, plain, alone)):
                        pooled[k][key][0].extend(y[pick])
                        pooled[k][key][1].extend(p)
        if verbose:
            print(f"fold {fold}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return pooled


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-home", default=os.environ.get("SER_DATA"))
    ap.add_argument("--cache-dir", default=None, help="joblib.Memory feature cache")
    ap.add_argument("--sizes", default="1,4,8,16,30,60",
                    help="recordings per test speaker (comma separated)")
    ap.add_argument("--draws", type=int, default=3,
                    help="random draws per speaker and size (1 for the full set)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-jobs", type=int, default=1)
    ap.add_argument("-v", "--verbose", action="count", default=0)
    args = ap.parse_args(argv)
    if not args.data_home:
        ap.error("give --data-home or set SER_DATA")
    import sklearn
    import speaker_independent as si

    sklearn.set_config(enable_metadata_routing=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    t0 = time.perf_counter()
    info = machine_info()
    data = si.load_data(args.data_home, args.cache_dir, args.n_jobs)
    pooled = run(data, sizes, args.draws, args.seed, args.verbose)
    rows = []
    for k in sizes:
        adapt, plain = pooled[k]["adapt"], pooled[k]["norm_only"]
        rows.append({
            "files_per_speaker": k,
            "n_predictions": len(adapt[0]),
            "uar_adapted": _uar(*adapt),
            "uar_normalisation_only": _uar(*plain),
            "uar_strict_same_files": _uar(*pooled[k]["strict"]),
        })
    table = json.loads((RESULTS / "speaker_independent_paper.json").read_text())
    strict = next(
        (r["results"]["emobox-ravdess"]["uar"] for r in table["rows"]
         if r["row"] == STRICT_ROW), {}
    )
    record = {
        "command": "python benchmarks/enrolment_size.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "row": ROW,
        "draws": args.draws,
        "seed": args.seed,
        "rows": rows,
        "strict_reference": {"row": STRICT_ROW, "uar": strict.get("mean")},
        "seconds": round(time.perf_counter() - t0, 1),
        "machine": info,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "enrolment_size.json").write_text(json.dumps(record, indent=1))
    lines = [
        "# Enrolment: UAR against the number of a new speaker's recordings",
        "",
        f"Command: `{record['command']}`",
        "",
        f"RAVDESS, six EmoBox actor folds; `{ROW}` fitted on each fold's training "
        "actors, every test actor predicted alone from k of their 60 recordings "
        f"(random, {args.draws} draws per actor and k; 1 for all 60). UAR pooled over "
        "folds, actors and draws. Strict reference (no enrolment): "
        f"`{STRICT_ROW}` {strict.get('mean', float('nan')):.3f} (mean over folds).",
        "",
        "| recordings per speaker | predictions | UAR adapted (normalisation + "
        "self-training) | UAR normalisation only | UAR strict, same files |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['files_per_speaker']} | {r['n_predictions']} | "
            f"{r['uar_adapted']:.3f} | {r['uar_normalisation_only']:.3f} | "
            f"{r['uar_strict_same_files']:.3f} |"
        )
    lines += ["", f"Run time {record['seconds']:.0f} s.", "", machine_markdown(info)]
    (RESULTS / "enrolment_size.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
