"""Reproduce the papers' systems on real corpora, the paper's number beside ours.

Every system is a named pipeline of :mod:`sklearn_ser.pipelines`, evaluated
twice with :func:`sklearn_ser.model_selection.evaluate`: under the paper's
own protocol (random splits over files, so speakers leak between training
and test) and under its speaker-independent counterpart.

Examples
--------
::

    python benchmarks/paper_systems.py --list
    python benchmarks/paper_systems.py --system s0-mfcc-svm-ravdess
    python benchmarks/paper_systems.py --all --profile quick
    python benchmarks/paper_systems.py --system s2-emotionunet-tess --profile paper

Profiles: ``quick`` shrinks what is expensive on a 2-core CPU (epochs, image
size, corpus subset: written in the result); ``paper`` uses the paper's
settings. Results go to ``benchmarks/results/paper_<system>_<profile>.json``
and ``.md`` with a description of the machine.
"""

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info, machine_markdown  # noqa: E402


@dataclass(frozen=True)
class System:
    name: str
    paper: str
    pipeline: str
    corpus: str
    paper_accuracy: float
    paper_note: str
    quick: dict = field(default_factory=dict)  # overrides for the quick profile
    paper_overrides: dict = field(default_factory=dict)
    quick_limit: int | None = None  # files, balanced over classes
    expensive: bool = False


# CPU profile for the image CNNs: 64x64 mel images instead of 224/227 and
# fewer epochs (the paper trained 100 or 500 epochs on a GPU).
_QUICK_IMAGES = {"spectrogramimage__size": (64, 64), "spectrogramimage__kind": "mel"}

SYSTEMS = {
    s.name: s
    for s in [
        System(
            "s0-mfcc-tree-ravdess",
            "S0",
            "mfcc-tree",
            "ravdess",
            0.44,
            "Decision Tree on MFCC, RAVDESS, 33% test",
        ),
        System(
            "s0-mfcc-svm-ravdess",
            "S0",
            "mfcc-svm",
            "ravdess",
            0.2968,
            "SVM on MFCC, RAVDESS, 33% test",
        ),
        System(
            "s0-mfcc-svm-ravdess_tess",
            "S0",
            "mfcc-svm",
            "ravdess_tess",
            0.5358,
            "SVM on MFCC, RAVDESS+TESS, 33% test (abstract: 0.55)",
        ),
        System(
            "s0-mfcc-tree-ravdess_tess",
            "S0",
            "mfcc-tree",
            "ravdess_tess",
            0.64,
            "Decision Tree on MFCC, RAVDESS+TESS, 33% test",
        ),
        System(
            "s0-autoencoder-svm-ravdess_tess",
            "S0",
            "mfcc-autoencoder-svm",
            "ravdess_tess",
            0.3658,
            "SVM on autoencoded MFCC features, RAVDESS+TESS, 33% test",
            quick={"autoencoderfeatures__epochs": 30},
        ),
        System(
            "s0-alexnet-ravdess",
            "S0",
            "spectrogram-alexnet",
            "ravdess",
            0.1638,
            "AlexNet on spectrogram images, RAVDESS, 812 test images",
            quick=_QUICK_IMAGES
            | {"spectrogramimage__size": (96, 96), "alexnet__epochs": 15},
            expensive=True,
        ),
        System(
            "s0-alexnet-ravdess_tess",
            "S0",
            "spectrogram-alexnet",
            "ravdess_tess",
            0.2116,
            "AlexNet on spectrogram images, RAVDESS+TESS",
            quick=_QUICK_IMAGES
            | {"spectrogramimage__size": (96, 96), "alexnet__epochs": 15},
            expensive=True,
        ),
        System(
            "s0-squeezenet-ravdess_tess",
            "S0",
            "spectrogram-squeezenet",
            "ravdess_tess",
            0.814,
            "SqueezeNet on spectrogram images, RAVDESS+TESS (5252 images, 1051 test)",
            quick=_QUICK_IMAGES | {"squeezenet__epochs": 20},
            expensive=True,
        ),
        System(
            "s0-mobilenet-ravdess_tess",
            "S0",
            "spectrogram-mobilenet",
            "ravdess_tess",
            0.1534,
            "MobileNet on spectrogram images, RAVDESS+TESS",
            quick=_QUICK_IMAGES
            | {"mobilenet__epochs": 10, "mobilenet__batch_size": 16},
            expensive=True,
        ),
        System(
            "s2-emotionunet-tess",
            "S2",
            "stft-emotionunet",
            "tess",
            0.989,
            "EmotionUnet on STFT, TESS, random 65/10/25 split",
            quick={},
            quick_limit=1400,
            expensive=True,
        ),
        System(
            "s3-mfcc-dense-ravdess",
            "S3",
            "mfcc-dense",
            "ravdess",
            float("nan"),
            "S3 reports no accuracy in its abstract; its finding is MFCC > LMFB",
        ),
        System(
            "s3-lmfb-dense-ravdess",
            "S3",
            "lmfb-dense",
            "ravdess",
            float("nan"),
            "S3 reports no accuracy in its abstract; its finding is MFCC > LMFB",
        ),
        System(
            "s1-mfcc-windows-gru-ravdess",
            "S1",
            "mfcc-windows-gru",
            "ravdess",
            float("nan"),
            "S1 reports CREMA-D audio+video only (GRU head: macro precision 0.680, "
            "recall 0.604, F1 0.640; LSTM F1 0.638, Transformer 0.625, max pooling "
            "0.626); CREMA-D is not at hand, so ours is RAVDESS audio only under "
            "S1's protocol (10 test / 10 validation speakers, scaled to 24 actors)",
            expensive=True,
        ),
    ]
}


# S4 on the MER four-quadrant music corpus: run by benchmarks/mer_systems.py,
# which extracts the music features once per clip (cached) and reports both
# stratified and artist-grouped 10-fold CV with S4's metrics and PNGs. The
# last rows go beyond S4 (feature selection + SVM, a
# crop-trained log-Mel CNN and their soft-voting ensemble).
MER_SYSTEMS = {
    f"{name}-mer_4q": name
    for name in (
        "s4-lstm-baseline",
        "s4-lstm-1280",
        "s4-lstm-2x1024",
        "s4-lstm-128-64-64-128",
        "s4-cnn20",
        "svm-select",
        "crop-cnn",
        "ensemble-select",
    )
}


def _run_mer(name, profile, data_home):
    import mer_systems

    argv = ["--system", MER_SYSTEMS[name], "--profile", profile]
    return mer_systems.main(argv + (["--data-home", data_home] if data_home else []))


def _load(corpus, data_home):
    from sklearn_ser.datasets._registry import load_corpus

    return load_corpus(corpus, data_home)


def _balanced_subset(y, limit, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    per = max(1, limit // len(classes))
    keep = []
    for c in classes:
        idx = np.flatnonzero(y == c)
        keep.extend(rng.choice(idx, size=min(per, len(idx)), replace=False))
    return np.sort(np.asarray(keep))


def run_system(system, profile, data_home, verbose):
    import numpy as np

    from sklearn_ser.model_selection import evaluate
    from sklearn_ser.pipelines import get_pipeline, get_pipeline_spec

    spec = get_pipeline_spec(system.pipeline)
    bunch = _load(system.corpus, data_home)
    X, y, groups = np.asarray(bunch.data), np.asarray(bunch.target), bunch.groups
    groups = np.asarray(groups)
    limit = system.quick_limit if profile == "quick" else None
    if limit:
        keep = _balanced_subset(y, limit)
        X, y, groups = X[keep], y[keep], groups[keep]
    overrides = dict(system.quick if profile == "quick" else system.paper_overrides)
    rows = []
    for kind, protocol in (
        ("paper", spec.protocol),
        ("speaker", spec.speaker_protocol),
    ):
        pipe = get_pipeline(system.pipeline, random_state=0, **overrides)
        t0 = time.perf_counter()
        res = evaluate(pipe, X, y, groups, protocol=protocol, verbose=verbose)
        wall = time.perf_counter() - t0
        pooled = res.pooled_scores
        mean, std = res.mean_scores, res.std_scores
        rows.append(
            {
                "protocol_kind": kind,
                "protocol": protocol,
                "speaker_independent": res.protocol["speaker_independent"],
                "n_folds": res.n_folds,
                "n_test_predictions": int(len(res.y_true)),
                "accuracy": pooled["accuracy"],
                "accuracy_fold_mean": mean["accuracy"],
                "accuracy_fold_std": std["accuracy"],
                "uar": pooled["uar"],
                "f1_macro": pooled["f1_macro"],
                "roc_auc_ovr": pooled.get("roc_auc_ovr"),
                "notes": res.notes,
                "wall_seconds": wall,
                "table_markdown": res.table().to_markdown(),
            }
        )
        print(
            f"  {system.name:<32} {protocol:<26} accuracy {pooled['accuracy']:.4f} "
            f"(paper {system.paper_accuracy:.4f}) uar {pooled['uar']:.4f} "
            f"[{wall:.0f} s]",
            flush=True,
        )
    return {
        "system": system.name,
        "paper": system.paper,
        "paper_accuracy": system.paper_accuracy,
        "paper_note": system.paper_note,
        "pipeline": system.pipeline,
        "corpus": system.corpus,
        "n_files": int(len(X)),
        "n_speakers": int(len(set(groups))),
        "profile": profile,
        "overrides": {
            k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()
        },
        "results": rows,
    }


def _markdown(result, info):
    lines = [
        f"# {result['system']} ({result['profile']} profile)",
        "",
        f"Paper {result['paper']}: {result['paper_note']}. Pipeline `{result['pipeline']}` "
        f"on {result['corpus']} ({result['n_files']} files, {result['n_speakers']} speakers).",
        f"Overrides: `{result['overrides']}`.",
        "",
        f"Command: `python benchmarks/paper_systems.py --system {result['system']} "
        f"--profile {result['profile']}`",
        "",
        "| protocol | speaker-independent | folds | test predictions | accuracy (ours) "
        "| accuracy (paper) | UAR | macro F1 | wall s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["results"]:
        paper = (
            f"{result['paper_accuracy']:.4f}"
            if r["protocol_kind"] == "paper"
            and result["paper_accuracy"] == result["paper_accuracy"]
            else "—"
        )
        lines.append(
            f"| {r['protocol']} | {'yes' if r['speaker_independent'] else 'no'} | "
            f"{r['n_folds']} | {r['n_test_predictions']} | {r['accuracy']:.4f} | {paper} | "
            f"{r['uar']:.4f} | {r['f1_macro']:.4f} | {r['wall_seconds']:.0f} |"
        )
    for r in result["results"]:
        lines += ["", f"## {r['protocol']}", ""]
        lines += [f"- note: {n}" for n in r["notes"]]
        lines += ["", r["table_markdown"]]
    lines += ["", "## Machine", "", machine_markdown(info)]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--system",
        action="append",
        default=[],
        help="system name (repeatable); see --list",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every system (add --cheap to skip the expensive ones)",
    )
    parser.add_argument(
        "--cheap",
        action="store_true",
        help="with --all: skip the neural-network systems",
    )
    parser.add_argument("--list", action="store_true", help="list the systems")
    parser.add_argument("--profile", choices=("quick", "paper"), default="quick")
    parser.add_argument(
        "--data-home",
        default=None,
        help="folder holding the corpora (default: $SER_DATA)",
    )
    parser.add_argument(
        "--out",
        default=str(HERE / "results"),
        help="results folder (default: benchmarks/results)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)

    if args.list:
        for s in SYSTEMS.values():
            print(
                f"{s.name:<34} {s.paper}  paper acc {s.paper_accuracy:.4f}  {s.paper_note}"
            )
        for name, mer in MER_SYSTEMS.items():
            who = "S4 " if mer.startswith("s4-") else "new"
            via = f"benchmarks/mer_systems.py --system {mer}"
            print(f"{name:<34} {who} MER 4Q via {via}")
        return 0
    names = list(args.system)
    if args.all:
        names = [s.name for s in SYSTEMS.values() if not (args.cheap and s.expensive)]
    for name in [n for n in names if n in MER_SYSTEMS]:
        _run_mer(name, args.profile, args.data_home)
    names = [n for n in names if n not in MER_SYSTEMS]
    if args.system and not names:
        return 0
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not names:
        parser.error(f"choose systems with --system NAME or --all; unknown: {unknown}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    for name in names:
        system = SYSTEMS[name]
        profile = args.profile
        if not (system.quick or system.quick_limit):
            profile = "paper"  # nothing to shrink: the quick profile is the paper's
        print(f"{name} ({profile} profile)", flush=True)
        result = run_system(system, profile, args.data_home, args.verbose)
        result["machine"] = info
        stem = out / f"paper_{name}_{profile}"
        stem.with_suffix(".json").write_text(
            json.dumps(result, indent=2, default=float)
        )
        stem.with_suffix(".md").write_text(_markdown(result, info))
        print(f"  wrote {stem}.json and .md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
