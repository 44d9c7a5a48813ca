"""Speaker-independent accuracy of the log-Mel CRNN and its training-only augmentations.

The ablation ladder (each row adds one technique to the row above):

- ``crnn``: :class:`sklearn_ser.models.CRNN` on 64-band log-Mel (3 s,
  20 ms hop), utterance-level normalisation, class-balanced weights;
- ``+specaug``: SpecAugment time/frequency masks (training only);
- ``+mixup``: mixup batches (alpha 0.2, training only);
- ``+wave``: one waveform-augmented copy of every training clip
  (:class:`sklearn_ser.augment.WaveformAugmenter`: speed 0.9-1.1, pitch
  +-2 semitones, babble of 3 other *training* speakers, Gaussian noise);
- ``+pretrain``: the network first trained on the other corpus (TESS for
  RAVDESS folds, RAVDESS for TESS folds), then fine-tuned (``init_from=``).

``crnn+wave`` and ``crnn+pretrain`` add one technique to ``crnn`` alone.

Protocols (nothing computed from test speakers: every number is strict):

- ``emobox-ravdess``: RAVDESS speech, 8 classes, the EmoBox 6 actor folds;
  early stopping on 3 *training* actors held out (speaker-grouped);
- ``tess-loso``: TESS, train on one speaker, test on the other, both ways;
  early stopping on 15 % of the training speaker's files (TESS has no third
  speaker).

Metrics per fold: UAR (balanced accuracy), WAR (accuracy), macro F1; the
table gives mean +- std over folds.

Examples
--------
::

    python benchmarks/speaker_independent_neural.py --help
    python benchmarks/speaker_independent_neural.py --protocol emobox-ravdess --folds 0
    python benchmarks/speaker_independent_neural.py --protocol tess-loso --profile quick

Results go to ``benchmarks/results/speaker_independent_neural_<protocol>_<profile>.json``
and ``.md`` with a description of the machine.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _machine import machine_info, machine_markdown  # noqa: E402

LADDER = ("crnn", "+specaug", "+mixup", "+wave", "+pretrain")
#: single techniques on top of the baseline (not cumulative)
SINGLE = {"crnn+wave": ("crnn", "+wave"), "crnn+pretrain": ("crnn", "+pretrain")}
#: The seed papers' sequence models on the same protocol and inner validation
#: (MFCC 40 at 16 kHz, 3 s, 20 ms hop; class-balanced weights).
OTHERS = ("s1-cnn-gru", "s3-lstm")

PROFILES = {
    # epochs are an upper bound: early stopping (patience) ends most runs;
    # "quick" halves the CRNN's default widths for a shared 2-core CPU
    "quick": {
        "epochs": 30,
        "patience": 6,
        "pretrain_epochs": 12,
        "net": {
            "conv_filters": (8, 16, 32),
            "rnn_units": 32,
            "attention_units": 32,
            "dense_units": 32,
            "learning_rate": 2e-3,
        },
    },
    "paper": {"epochs": 60, "patience": 10, "pretrain_epochs": 30, "net": {}},
}

SR = 16000
DURATION = 3.0


def _features():
    from sklearn_ser.features import LMFB

    return LMFB(
        sr=SR,
        n_fft=1024,
        win_length=640,
        hop_length=320,
        window="hann",
        n_mels=64,
        convention="librosa",
        duration=DURATION,
    )


def _mfcc():
    from sklearn_ser.features import MFCC

    return MFCC(
        sr=SR, n_mfcc=40, n_fft=1024, win_length=640, hop_length=320,
        window="hann", duration=DURATION,
    )


def _other_model(config, epochs, patience, seed):
    """(feature function of MFCC frames, unfitted classifier) of a seed system."""
    from sklearn_ser.features import SlidingWindows
    from sklearn_ser.models import LSTMClassifier, SequenceCNN

    common = dict(
        epochs=epochs,
        early_stopping_patience=patience,
        reduce_lr_patience=max(2, patience // 2),
        class_weight="balanced",
        random_state=seed,
    )
    if config == "s1-cnn-gru":
        # S1's audio branch: 40-frame windows every 20 frames, CNN + GRU head
        windows = SlidingWindows(window=40, hop=20)
        return (
            lambda M: windows.fit_transform(M),
            SequenceCNN(head="gru", learning_rate=1e-3, batch_size=16, **common),
        )
    return (
        lambda M: M,
        LSTMClassifier(units=(64,), dropout=0.3, learning_rate=1e-3, **common),
    )


def _steps(config):
    if config in SINGLE:
        return SINGLE[config]
    return LADDER[: LADDER.index(config) + 1]


def _model(config, net, epochs, patience, validation_data, seed, init_from=None):
    from sklearn_ser.models import CRNN

    steps = _steps(config)
    return CRNN(
        spec_augment="+specaug" in steps,
        mixup_alpha=0.2 if "+mixup" in steps else 0.0,
        epochs=epochs,
        batch_size=32,
        validation_data=validation_data,
        early_stopping_patience=patience,
        reduce_lr_patience=None if patience is None else max(2, patience // 2),
        init_from=init_from,
        random_state=seed,
        **net,
    )


def _load(corpus, data_home):

    from sklearn_ser.datasets import TESS_TO_RAVDESS, load_ravdess, load_tess
    from sklearn_ser.io import as_waveforms, fix_length

    bunch = (load_ravdess if corpus == "ravdess" else load_tess)(data_home)
    waves = as_waveforms(list(bunch.data), SR)
    n = int(DURATION * SR)
    W = np.stack([fix_length(np.asarray(w, np.float32), n) for w in waves])
    y = np.asarray(bunch.target)
    if corpus == "tess":
        y = np.asarray([TESS_TO_RAVDESS.get(v, v) for v in y])
    return W, y, np.asarray(bunch.groups)


def _folds(protocol, groups, seed):
    """(train, validation, test) index arrays; validation from training speakers.

    The outer folds are the registered protocols (``emobox-ravdess``, ``loso``).
    """

    from sklearn_ser.model_selection import get_protocol

    rng = np.random.default_rng(seed)
    name = "emobox-ravdess" if protocol == "emobox-ravdess" else "loso"
    for train_all, test in get_protocol(name).split(groups, groups, groups):
        if protocol == "emobox-ravdess":
            speakers = np.unique(groups[train_all])
            val_speakers = rng.choice(speakers, size=3, replace=False)
            is_val = np.isin(groups[train_all], val_speakers)
            train, val = train_all[~is_val], train_all[is_val]
        else:
            perm = rng.permutation(train_all)
            n_val = int(round(0.15 * perm.size))
            train, val = np.sort(perm[n_val:]), np.sort(perm[:n_val])
        yield train, val, test, {
            "test_speakers": sorted(str(v) for v in set(groups[test].tolist()))
        }


def _scores(y_true, y_pred):
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

    return {
        "uar": float(balanced_accuracy_score(y_true, y_pred)),
        "war": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
    }


def run(
    protocol, profile, folds, configs, data_home, seed=0, verbose=0, on_row=None,
    rows=None,
):

    from sklearn_ser.augment import WaveformAugmenter

    prof = PROFILES[profile]
    corpus, other = (
        ("ravdess", "tess") if protocol == "emobox-ravdess" else ("tess", "ravdess")
    )
    W, y, groups = _load(corpus, data_home)
    feats = _features().fit(W[:1])
    F = feats.transform(W)
    M = _mfcc().fit(W[:1]).transform(W) if set(configs) & set(OTHERS) else None
    pretrained = None
    rows = {} if rows is None else rows
    for c in configs:
        rows.setdefault(c, [])
    for k, (tr, va, te, info) in enumerate(_folds(protocol, groups, seed)):
        if folds is not None and k not in folds:
            continue
        aug_F = None
        for config in configs:
            t0 = time.time()
            if config in OTHERS:
                view, clf = _other_model(config, prof["epochs"], prof["patience"], seed)
                Z = view(M)
                clf.set_params(validation_data=(Z[va], y[va]))
                clf.fit(Z[tr], y[tr])
                _record(rows, config, k, info, y[te], clf.predict(Z[te]),
                        len(tr), clf, t0, verbose, on_row)
                continue
            steps = _steps(config)
            X_fit, y_fit = F[tr], y[tr]
            if "+wave" in steps:
                if aug_F is None:
                    aug = WaveformAugmenter(n_copies=1, random_state=seed + k)
                    W_res, y_res = aug.fit_resample(W[tr], y[tr], groups=groups[tr])
                    aug_F = (feats.transform(W_res[len(tr) :]), y_res[len(tr) :])
                X_fit = np.concatenate([X_fit, aug_F[0]])
                y_fit = np.concatenate([y_fit, aug_F[1]])
            init = None
            if "+pretrain" in steps:
                if pretrained is None:
                    Wo, yo, _ = _load(other, data_home)
                    Fo = feats.transform(Wo)
                    pretrained = _model(
                        "crnn",
                        prof["net"],
                        prof["pretrain_epochs"],
                        None,
                        None,
                        seed,
                    ).fit(Fo, yo)
                init = pretrained
            clf = _model(
                config,
                prof["net"],
                prof["epochs"],
                prof["patience"],
                (F[va], y[va]),
                seed,
                init,
            )
            clf.fit(X_fit, y_fit)
            _record(rows, config, k, info, y[te], clf.predict(F[te]),
                    len(y_fit), clf, t0, verbose, on_row)
    return rows


def _record(rows, config, k, info, y_true, y_pred, n_train, clf, t0, verbose, on_row):
    row = {
        "fold": k,
        **info,
        **_scores(y_true, y_pred),
        "n_train": int(n_train),
        "epochs_run": int(clf.n_epochs_),
        "fit_seconds": round(time.time() - t0, 1),
        "load": os.getloadavg()[0],
    }
    if verbose:
        print(config, json.dumps(row), flush=True)
    rows[config].append(row)
    if on_row is not None:
        on_row(rows)


def export_rows(result, profile, into=None):
    """Write every complete row as a row file of ``speaker_independent.py`` and
    rebuild its merged table (its protocol names and JSON layout).

    ``into``: the table's profile (default ``profile``); a row exported into
    another profile's table says which profile of this script it ran.
    """
    import speaker_independent as si

    into = into or profile
    n_folds = {"emobox-ravdess": 6, "tess-loso": 2}[result["protocol"]]
    folder = si.ROW_DIR / into
    folder.mkdir(parents=True, exist_ok=True)
    for config, rs in result["rows"].items():
        if len({r["fold"] for r in rs}) != n_folds:
            continue
        name = _row_name(config)
        path = folder / f"{si._slug(name)}.json"
        record = (
            json.loads(path.read_text())
            if path.exists()
            else {
                "row": name,
                "regime": "strict",
                "description": _DESCRIPTIONS.get(config, "")
                + " (speaker_independent_neural.py"
                + (f", its {profile} profile)" if into != profile else ")"),
                "inputs": "paths",
                "profile": into,
                "machine": result["machine"],
                "results": {},
                "seconds": {},
            }
        )
        folds = [
            {
                "fold": r["fold"],
                "test_speakers": r["test_speakers"],
                "n_train": r["n_train"],
                "uar": r["uar"],
                "war": r["war"],
                "f1_macro": r["macro_f1"],
                "seconds": r["fit_seconds"],
                "epochs_run": r["epochs_run"],
            }
            for r in sorted(rs, key=lambda r: r["fold"])
        ]
        res = {"folds": folds}
        for m in ("uar", "war", "f1_macro"):
            vals = [f[m] for f in folds]
            res[m] = {"mean": float(np.mean(vals)), "std": float(np.std(vals))}
        record["results"][result["protocol"]] = res
        record["seconds"][result["protocol"]] = round(sum(f["seconds"] for f in folds), 1)
        path.write_text(json.dumps(record, indent=1))
    return si.merge(into)


def _row_name(config):
    if config in OTHERS:
        return config
    return "".join(_steps(config))


_DESCRIPTIONS = {
    "crnn": "log-Mel 64 CRNN, attention pooling, utterance norm, balanced",
    "+specaug": "CRNN + SpecAugment",
    "+mixup": "CRNN + SpecAugment + mixup",
    "+wave": "CRNN + SpecAugment + mixup + waveform augmentation",
    "+pretrain": "CRNN + all augmentation, pre-trained on the other corpus",
    "crnn+wave": "CRNN + waveform augmentation",
    "crnn+pretrain": "CRNN pre-trained on the other corpus",
    "s1-cnn-gru": "S1 audio: MFCC windows -> CNN + GRU",
    "s3-lstm": "S3: MFCC frames -> LSTM",
}


def _summary(rows):

    out = {}
    for config, rs in rows.items():
        if not rs:
            continue
        out[config] = {
            m: [float(np.mean([r[m] for r in rs])), float(np.std([r[m] for r in rs]))]
            for m in ("uar", "war", "macro_f1")
        }
        out[config]["n_folds"] = len(rs)
    return out


def _markdown(result, info):
    lines = [
        f"# Speaker-independent neural ablation: {result['protocol']} "
        f"({result['profile']} profile)",
        "",
        "Strict: no statistic of a test speaker is used anywhere. "
        "Mean +- std over folds.",
        "",
        "| system | folds | UAR | WAR | macro F1 |",
        "|---|---|---|---|---|",
    ]
    for config, s in result["summary"].items():
        cells = " | ".join(f"{s[m][0]:.3f} +- {s[m][1]:.3f}" for m in ("uar", "war", "macro_f1"))
        lines.append(f"| {config} | {s['n_folds']} | {cells} |")
    lines += ["", "Per fold:", "", "| system | fold | test speakers | UAR | epochs | fit s | load |",
              "|---|---|---|---|---|---|---|"]
    for config, rs in result["rows"].items():
        for r in rs:
            lines.append(
                f"| {config} | {r['fold']} | {r['test_speakers']} | {r['uar']:.3f} | "
                f"{r['epochs_run']} | {r['fit_seconds']} | {r['load']:.1f} |"
            )
    lines += ["", "Commands (run in this order):", ""]
    lines += [f"    {c}" for c in result["commands"]]
    lines += ["", machine_markdown(info)]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--protocol", choices=("emobox-ravdess", "tess-loso"), default="emobox-ravdess"
    )
    parser.add_argument("--profile", choices=tuple(PROFILES), default="quick")
    parser.add_argument(
        "--folds", type=int, nargs="*", default=None, help="fold indices (default: all)"
    )
    parser.add_argument(
        "--configs", nargs="*", choices=LADDER + tuple(SINGLE) + OTHERS, default=list(LADDER),
        help="rows of the ablation ladder (or seed systems) to run",
    )
    parser.add_argument("--data-home", default=None, help="corpora folder (else SER_DATA)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tag", default="", help="suffix of the result file names")
    parser.add_argument(
        "--export", action="store_true",
        help="only copy the complete rows of the result file into "
        "speaker_independent.py's row files and rebuild its merged table",
    )
    parser.add_argument(
        "--export-into", choices=sorted(PROFILES), default=None, metavar="PROFILE",
        help="with --export: the profile of speaker_independent.py's table to "
        "write into (default: --profile)",
    )
    parser.add_argument(
        "--append", action="store_true",
        help="add the rows to an existing result file (same protocol, profile, tag)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)

    out = HERE / "results"
    stem = f"speaker_independent_neural_{args.protocol}_{args.profile}{args.tag}"
    if args.export:
        result = json.loads((out / f"{stem}.json").read_text())
        print(export_rows(result, args.profile, into=args.export_into))
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    info = machine_info()
    out.mkdir(exist_ok=True)

    previous = None
    commands = []
    if args.append and (out / f"{stem}.json").is_file():
        old = json.loads((out / f"{stem}.json").read_text())
        previous = old["rows"]
        commands = old["commands"]

    def write(rows):
        result = _result(args, argv, rows, info, commands)
        (out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
        (out / f"{stem}.md").write_text(_markdown(result, info))
        return result

    rows = run(
        args.protocol, args.profile, args.folds, args.configs, args.data_home,
        seed=args.seed, verbose=args.verbose, on_row=write, rows=previous,
    )
    print(_markdown(write(rows), info))


def _result(args, argv, rows, info, commands):
    command = "python benchmarks/speaker_independent_neural.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    return {
        "protocol": args.protocol,
        "profile": args.profile,
        "strict": True,
        "settings": PROFILES[args.profile],
        "commands": [*commands, command],
        "summary": _summary(rows),
        "rows": rows,
        "machine": info,
    }


if __name__ == "__main__":
    main()
