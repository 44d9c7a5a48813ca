"""Train and evaluate an emotion recogniser in one command.

``python -m sklearn_ser.quickstart`` runs S0's MFCC -> SVM system
(``Pipeline([MFCC(), FrameStats(), StandardScaler(), SVC()])``) on real
speech and evaluates it twice: with the paper's random split, where the same
speakers appear in training and test, and speaker-independently
(cross-validation over actors), then prints the per-class table.

With no corpus installed it uses the RAVDESS sample shipped in the package
(120 clips, 8 actors), so it runs on a fresh machine. ``--corpus ravdess``
uses the full RAVDESS speech corpus from ``--data-home`` / ``$SER_DATA``.
"""

import argparse
import sys
import time

__all__ = ["build_pipeline", "main"]


def build_pipeline(random_state=0):
    """S0's MFCC statistics -> SVM system as one Pipeline."""
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from . import Pipeline
    from .features import MFCC, FrameStats

    return Pipeline(
        [
            MFCC(sr=16000, n_mfcc=40, n_fft=512, hop_length=160, n_mels=40),
            FrameStats(stats=("mean", "std")),
            StandardScaler(),
            SVC(C=10.0, gamma="scale", random_state=random_state),
        ]
    )


def _load(corpus, data_home):
    from . import datasets

    if corpus == "sample":
        return datasets.load_sample()
    if corpus == "ravdess":
        return datasets.load_ravdess(data_home)
    if corpus == "tess":
        return datasets.load_tess(data_home)
    raise ValueError(f"unknown corpus {corpus!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_ser.quickstart",
        description="Train and evaluate MFCC -> SVM emotion recognition on real "
        "speech, with the paper's random split and speaker-independently.",
    )
    parser.add_argument(
        "--corpus",
        choices=("sample", "ravdess", "tess"),
        default="sample",
        help="sample (shipped, default), or a corpus under --data-home/$SER_DATA",
    )
    parser.add_argument("--data-home", default=None, help="folder holding corpora")
    args = parser.parse_args(argv)

    from .model_selection import evaluate

    try:
        bunch = _load(args.corpus, args.data_home)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    X, y, groups = bunch.data, bunch.target, bunch.groups
    n_speakers = len(set(groups))
    print(
        f"{args.corpus}: {len(X)} clips, {len(bunch.target_names)} emotions, "
        f"{n_speakers} speakers"
    )
    pipe = build_pipeline()
    print(f"pipeline: {' -> '.join(name for name, _ in pipe.steps)}")
    chance = 1.0 / len(bunch.target_names)

    results = {}
    for protocol in ("s0-random-67-33", "speaker-holdout-67-33", "speaker-kfold"):
        t0 = time.perf_counter()
        res = evaluate(pipe, X, y, groups, protocol=protocol)
        results[protocol] = res
        acc = res.pooled_scores["accuracy"]
        print(
            f"{protocol:>16}: accuracy {acc:.3f} (chance {chance:.3f}), "
            f"{time.perf_counter() - t0:.1f} s"
        )
    res = results["speaker-kfold"]
    print("\nSpeaker-independent per-class report (pooled over folds):")
    print(res.table().to_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
