"""S2's Bayesian hyper-parameter search over a whole pipeline, on real speech.

skopt's ``BayesSearchCV`` (Gaussian process, expected improvement; S2 used
``gp_minimize(acq_func="EI", n_calls=50)``) searches feature and network
parameters together; speakers are passed as ``groups`` so every inner split
is speaker-independent, and the best pipeline is then scored on held-out
speakers.

Profiles
--------
quick
    MFCC statistics -> SVM on RAVDESS (1440 files, 24 actors): searches the
    number of MFCCs, the SVM's C and gamma; 12 calls, 3 speaker folds, then
    tested on 8 held-out actors. A few CPU minutes.
paper
    STFT -> EmotionUnet on TESS with S2's search space
    (``EMOTIONUNET_SEARCH_SPACE``: learning rate, epochs, batch size, six
    filter counts, dense width) and 50 calls, inner split 65/10 of the
    training part as in S2. Hours on a CPU; meant for a GPU.

Example::

    python benchmarks/bayes_search.py --profile quick
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info, machine_markdown  # noqa: E402


def _quick(data_home, n_iter):
    from skopt.space import Categorical, Integer, Real
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from sklearn_ser import Pipeline
    from sklearn_ser.datasets import load_ravdess
    from sklearn_ser.features import MFCC, FrameStats
    from sklearn_ser.model_selection import SpeakerHoldout, SpeakerKFold

    bunch = load_ravdess(data_home)
    pipe = Pipeline(
        [
            MFCC(sr=16000, n_fft=512, hop_length=160, n_mels=40, max_frames=400),
            FrameStats(),
            StandardScaler(),
            SVC(),
        ]
    )
    space = {
        "mfcc__n_mfcc": Categorical([13, 20, 40]),
        "svc__C": Real(1e-1, 1e3, prior="log-uniform"),
        "svc__gamma": Real(1e-4, 1e-1, prior="log-uniform"),
    }
    outer = SpeakerHoldout(n_test_speakers=8, random_state=0)
    inner = SpeakerKFold(n_splits=3, random_state=0)
    return bunch, pipe, space, outer, inner, n_iter or 12


def _paper(data_home, n_iter):
    from sklearn_ser.datasets import load_tess
    from sklearn_ser.model_selection import RandomHoldout
    from sklearn_ser.models import EMOTIONUNET_SEARCH_SPACE
    from sklearn_ser.pipelines import get_pipeline

    bunch = load_tess(data_home)
    pipe = get_pipeline("stft-emotionunet")
    outer = RandomHoldout(test_size=0.25, stratify=True, random_state=0)
    inner = RandomHoldout(test_size=10 / 75, stratify=True, random_state=0)
    return bunch, pipe, dict(EMOTIONUNET_SEARCH_SPACE), outer, inner, n_iter or 50


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=("quick", "paper"), default="quick")
    parser.add_argument("--n-iter", type=int, default=None, help="number of calls")
    parser.add_argument("--data-home", default=None, help="default: $SER_DATA")
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args(argv)

    from sklearn_ser.model_selection import bayes_search

    make = _quick if args.profile == "quick" else _paper
    bunch, pipe, space, outer, inner, n_iter = make(args.data_home, args.n_iter)
    X, y, groups = (
        np.asarray(bunch.data),
        np.asarray(bunch.target),
        np.asarray(bunch.groups),
    )
    train, test = next(outer.split(X, y, groups))
    search = bayes_search(pipe, space, cv=inner, n_iter=n_iter, random_state=0)
    print(
        f"{args.profile}: {len(train)} training files ({len(set(groups[train]))} "
        f"speakers), {len(test)} test files ({len(set(groups[test]))} speakers); "
        f"{n_iter} calls",
        flush=True,
    )
    t0 = time.perf_counter()
    search.fit(X[train], y[train], groups=groups[train])
    fit_s = time.perf_counter() - t0
    test_acc = float(search.score(X[test], y[test]))
    shared = sorted(set(groups[train]) & set(groups[test]))
    cv = search.cv_results_
    calls = [
        {
            "params": {
                k: (v.item() if hasattr(v, "item") else v) for k, v in p.items()
            },
            "mean_test_score": float(s),
        }
        for p, s in zip(cv["params"], cv["mean_test_score"])
    ]
    best = {
        k: (v.item() if hasattr(v, "item") else v)
        for k, v in search.best_params_.items()
    }
    print(f"best inner CV accuracy {search.best_score_:.4f} with {best}")
    print(
        f"held-out accuracy of the refitted best pipeline: {test_acc:.4f} "
        f"(speakers shared with training: {len(shared)}); search took {fit_s:.0f} s"
    )
    info = machine_info()
    result = {
        "profile": args.profile,
        "n_iter": n_iter,
        "best_params": best,
        "best_inner_cv_accuracy": float(search.best_score_),
        "heldout_accuracy": test_acc,
        "n_train": int(len(train)),
        "n_test": int(len(test)),
        "shared_speakers": shared,
        "search_seconds": fit_s,
        "calls": calls,
        "machine": info,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"bayes_search_{args.profile}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
    lines = [
        f"# Bayesian search ({args.profile} profile)",
        "",
        f"Command: `python benchmarks/bayes_search.py --profile {args.profile}`",
        "",
        f"- calls: {n_iter}; search time {fit_s:.0f} s",
        f"- best inner (speaker-independent) CV accuracy: {search.best_score_:.4f}",
        f"- best parameters: `{best}`",
        f"- held-out accuracy ({len(test)} files, speakers shared with training: "
        f"{len(shared)}): **{test_acc:.4f}**",
        "",
        "| call | parameters | inner CV accuracy |",
        "|---|---|---|",
    ]
    lines += [
        f"| {i + 1} | `{c['params']}` | {c['mean_test_score']:.4f} |"
        for i, c in enumerate(calls)
    ]
    lines += ["", "## Machine", "", machine_markdown(info)]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"wrote {stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
