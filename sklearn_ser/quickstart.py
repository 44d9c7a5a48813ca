"""Train and evaluate an emotion recogniser in one command.

``python -m sklearn_ser.quickstart`` runs the registry's ``compare-logreg``
pipeline (openSMILE ComParE functionals -> PCA -> LogReg,
:func:`sklearn_ser.pipelines.get_pipeline`, the same one ``sklearn-ser train
--pipeline compare-logreg`` fits) on real speech
and evaluates it with the paper's random split, where the same speakers
appear in training and test, and speaker-independently (a held-out part of
the speakers and cross-validation over speakers), then prints the per-class
table.

With no corpus installed it uses the RAVDESS sample shipped in the package
(120 clips, 8 actors), so it runs on a fresh machine. ``--corpus ravdess``
(or any corpus of ``sklearn-ser list``) loads it from ``--data-home`` /
``$SER_DATA``.
"""

import argparse
import sys
import time

__all__ = ["build_pipeline", "main"]

PIPELINE = "compare-logreg"


def build_pipeline(random_state=0):
    """The quickstart's pipeline: the registry's ``PIPELINE``."""
    from .pipelines import get_pipeline

    return get_pipeline(PIPELINE, random_state=random_state)


def main(argv=None):
    from .datasets._registry import list_corpora, load_corpus

    parser = argparse.ArgumentParser(
        prog="python -m sklearn_ser.quickstart",
        description=f"Train and evaluate the {PIPELINE} emotion recogniser on real "
        "speech, with the paper's random split and speaker-independently.",
    )
    parser.add_argument(
        "--corpus",
        # speech corpora with speakers (not music, whose groups are artists)
        choices=[
            n for n, s in list_corpora().items() if s.speakers and s.group == "speaker"
        ],
        default="sample",
        help="sample (shipped, default), or a corpus under --data-home/$SER_DATA",
    )
    parser.add_argument("--data-home", default=None, help="folder holding corpora")
    args = parser.parse_args(argv)

    from .cli._parser import DEFAULT_PIPELINE
    from .model_selection import evaluate

    try:
        bunch = load_corpus(args.corpus, args.data_home)
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
    steps = getattr(pipe, "steps", None)
    parts = f" ({' -> '.join(name for name, _ in steps)})" if steps else ""
    print(f"pipeline: {PIPELINE}{parts}")
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
    print(
        f"\nThe quickstart fits {PIPELINE} because it fits 7 models; for a model to "
        f"keep, `sklearn-ser train --corpus {args.corpus} --out model.joblib` fits "
        f"{DEFAULT_PIPELINE}, more accurate on voices it never heard and about 14 "
        "times slower to train."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
