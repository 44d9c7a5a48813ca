"""Music emotion recognition on the MER four-quadrant corpus (Panda et al. 2018).

S4's systems (its music feature set -> LSTM presets and the 20-layer CNN)
and stronger models (pooled music features + openSMILE ComParE -> SVM,
a log-Mel CNN, their soft-voting ensemble), each under
two protocols side by side: stratified 10-fold cross-validation over songs
(the dataset authors' protocol) and artist-grouped stratified 10-fold
(StratifiedGroupKFold on the artists; no artist in training and test).

Features are extracted ONCE per clip and cached (``--cache-dir``, default
``benchmarks/.cache/mer``; see ``_mer_features.py``); out-of-fold
probabilities are cached too, so the ensemble reuses its members' folds.

Examples
--------
::

    python benchmarks/mer_systems.py --list
    python benchmarks/mer_systems.py --system svm-fused
    python benchmarks/mer_systems.py --all --profile quick
    python benchmarks/mer_systems.py --summary

Results: ``benchmarks/results/mer_<system>_<profile>.json`` and ``.md``,
PNGs (confusion matrices, training curves) under ``benchmarks/results/mer/``
and ``benchmarks/results/mer_summary.md``.
"""

import argparse
import json
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine_info, machine_markdown  # noqa: E402

PROTOCOLS = {
    "stratified-10fold": "stratified 10-fold CV over songs (Panda et al.'s protocol)",
    "artist-10fold": "artist-grouped stratified 10-fold CV (no shared artist)",
}
SEED = 0

# Published anchors (4 quadrants, this corpus, 10-fold CV).
ANCHORS = {
    "Panda et al. 2018 (TAFFC), novel + baseline features, SVM": {"f1_macro": 0.764},
    "Louro et al. 2024 (Sensors), dense net + Mel CNN ensemble": {"f1_macro": 0.802},
}
# S4's own results, on its own corpus (5932 YouTube tracks, 3 classes) that
# is not available: quoted for reference, not comparable.
S4_PAPER = {
    "s4-lstm-baseline": {"accuracy": 0.7496, "roc_auc_ovr": 0.8941},
    "s4-lstm-1280": {"accuracy": 0.8492, "roc_auc_ovr": 0.9569},
    "s4-lstm-2x1024": {"accuracy": 0.8476, "roc_auc_ovr": 0.9598},
    "s4-lstm-128-64-64-128": {"accuracy": 0.7680, "roc_auc_ovr": 0.8966},
    "s4-cnn20": {"accuracy": 0.7026, "roc_auc_ovr": 0.5215},
}
S4_NOTE = (
    "S4's figures are on its own corpus (5932 YouTube tracks, 3 classes: "
    "joyful/aggressive/sad), which is not available; they are not comparable "
    "to ours on MER (900 clips, 4 quadrants, or 675 clips in 3 classes)."
)


@dataclass(frozen=True)
class MerSystem:
    name: str
    description: str
    kind: str  # "sklearn", "keras" or "ensemble"
    quick: dict = field(default_factory=dict)
    paper: dict = field(default_factory=dict)
    members: tuple = ()


# S4 trained up to 500 epochs with early stopping; the quick profile stops
# at 60 (validation: 10 % of the training fold).
_S4_EPOCHS = {
    "quick": {"epochs": 60, "early_stopping_patience": 10},
    "paper": {"epochs": 500, "early_stopping_patience": 20},
}


def _lstm(preset):
    return MerSystem(
        f"s4-lstm-{preset}",
        f"S4: 79 pooled music features (mean, std; tempo) -> LSTM preset {preset!r}",
        "keras",
        **_S4_EPOCHS,
    )


SYSTEMS = {
    s.name: s
    for s in [
        _lstm("baseline"),
        _lstm("1280"),
        _lstm("2x1024"),
        _lstm("128-64-64-128"),
        MerSystem(
            "s4-cnn20",
            "S4: 79 pooled music features -> 20-layer CNN (1-D)",
            "keras",
            **_S4_EPOCHS,
        ),
        MerSystem(
            "svm-music",
            "music frames pooled (mean/std/min/max/median/p10/p90, deltas) -> "
            "SVM (RBF), C tuned by inner 3-fold CV",
            "sklearn",
        ),
        MerSystem(
            "svm-compare",
            "openSMILE ComParE 2016 functionals (6373) -> SVM (RBF), C tuned",
            "sklearn",
        ),
        MerSystem(
            "svm-fused",
            "music pooled + log-Mel band stats (mean, std) -> SVM (RBF), C tuned",
            "sklearn",
        ),
        MerSystem(
            "logmel-cnn",
            "log-Mel frames (96 bands, 93 ms hop) -> CNN20-style 1-D CNN "
            "(filters 16-32-64-64)",
            "keras",
            quick={"epochs": 20, "early_stopping_patience": 5},
            paper={"epochs": 100, "early_stopping_patience": 15},
        ),
        MerSystem(
            "ensemble",
            "soft voting (mean probability) of svm-fused and logmel-cnn",
            "ensemble",
            members=("svm-fused", "logmel-cnn"),
        ),
        MerSystem(
            "svm-select",
            "music pooled + log-Mel band stats (mean/std/p10/p50/p90, deltas) + "
            "ComParE 2016 -> ANOVA SelectKBest -> SVM (RBF); k and C tuned by "
            "inner 3-fold CV",
            "sklearn",
        ),
        MerSystem(
            "svm-select-tonal",
            "svm-select's features + shape/modulation/rhythm statistics (616) + "
            "key/mode clarity, tonnetz and harmonic change (51; _mer_tonal) -> "
            "the same search (k and C by inner 3-fold CV)",
            "sklearn",
        ),
        MerSystem(
            "svm-melody",
            "the 41 melodic / expressive columns of sklearn_ser.features.MelodyStats "
            "alone -> standardise -> RBF SVM (C by inner 3-fold CV)",
            "sklearn",
        ),
        MerSystem(
            "svm-select-melody",
            "svm-select-tonal's features -> the same selection, plus the 41 "
            "melodic / expressive columns of sklearn_ser.features.MelodyStats "
            "(predominant-melody contours, intervals, vibrato, glissando; "
            "standardised, always kept past the selection) -> the same search",
            "sklearn",
        ),
        MerSystem(
            "svm-musicnn",
            "pre-trained musicnn embeddings (sklearn_ser.models.MusicnnFeatures, "
            "MSD and MTT taggers: tags, penultimate layer, back-end max/mean, "
            "mean and std over 3-s patches; 7024 columns) -> ANOVA SelectKBest "
            "-> SVM (RBF); k and C by inner 3-fold CV",
            "sklearn",
        ),
        MerSystem(
            "lr-musicnn",
            "svm-musicnn's 7024 musicnn columns -> standardise -> logistic "
            "regression (a linear probe), C by inner 3-fold CV",
            "sklearn",
        ),
        MerSystem(
            "lr-musicnn-vgg",
            "lr-musicnn's 7024 columns plus the 2248 of musicnn's VGG taggers "
            "(MusicnnFeatures(model='MSD_vgg' / 'MTT_vgg'): tags, the flattened "
            "last block, the fourth block's max/mean, mean and std over 3-s "
            "patches) -> standardise -> logistic regression, C by inner 3-fold CV",
            "sklearn",
        ),
        MerSystem(
            "crop-cnn",
            "log-Mel frames (96 bands, 46 ms hop) -> 1-D CNN (filters 32-64-64-128) "
            "on random 3-s crops (8 per clip), probabilities averaged over 10 "
            "evenly spaced crops (CropAverageClassifier)",
            "keras",
            quick={"epochs": 20, "early_stopping_patience": 5},
            paper={"epochs": 60, "early_stopping_patience": 10},
        ),
        MerSystem(
            "ensemble-select",
            "soft voting (mean probability, equal weights fixed beforehand) of "
            "svm-select and crop-cnn",
            "ensemble",
            members=("svm-select", "crop-cnn"),
        ),
    ]
}


# --------------------------------------------------------------------------- #
# Data and features
# --------------------------------------------------------------------------- #


def load_corpus(data_home, cache_dir, n_jobs, verbose, limit=None):
    from _mer_features import extract

    from sklearn_ser.datasets import load_mer_4q

    bunch = load_mer_4q(data_home)
    if limit:
        keep = np.concatenate(
            [np.flatnonzero(bunch.target == c)[:limit] for c in bunch.target_names]
        )
        for key in ("data", "filenames", "target", "groups"):
            bunch[key] = bunch[key][keep]
    t0 = time.perf_counter()
    feats = extract(bunch.data, cache_dir, n_jobs=n_jobs, verbose=verbose)
    feats["extract_seconds"] = time.perf_counter() - t0
    # what the audio-level blocks (melody) need to extract lazily, cached
    feats["source"] = {
        "paths": list(bunch.data),
        "cache_dir": cache_dir,
        "n_jobs": n_jobs,
        "verbose": verbose,
    }
    return bunch, feats


def _frame_stats(frames, **kw):
    from sklearn_ser.features import FrameStats

    return FrameStats(**kw).fit_transform(frames)


def s4_vector(feats):
    """S4's pooled set: mean and std of the 39 frame-level columns, then tempo."""
    music = feats["music"]
    pooled = _frame_stats(music[:, :, :-1], stats=("mean", "std"))
    return np.hstack([pooled, music[:, 0, -1:]]).astype(np.float32)


def rich_music(feats):
    music = feats["music"]
    pooled = _frame_stats(
        music[:, :, :-1],
        stats=("mean", "std", "min", "max", "median"),
        percentiles=(10, 90),
        deltas=1,
    )
    return np.hstack([pooled, music[:, 0, -1:]]).astype(np.float32)


def fused(feats):
    """Pooled music features and log-Mel band statistics. (ComParE is left
    out: libsvm on its 6373 columns costs about 15x more than on these.)"""
    mel = feats["logmel"].astype(np.float32)
    mel_stats = _frame_stats(mel, stats=("mean", "std"))
    return np.hstack([rich_music(feats), mel_stats]).astype(np.float32)


def all_features(feats):
    """Pooled music frames, richer log-Mel band statistics and ComParE 2016."""
    mel = feats["logmel"].astype(np.float32)
    mel_stats = _frame_stats(
        mel, stats=("mean", "std", "median"), percentiles=(10, 90), deltas=1
    )
    return np.hstack([rich_music(feats), mel_stats, feats["compare"]]).astype(
        np.float32
    )


def logmel_frames(feats):
    """(n, 323, 96): log-Mel with two frames averaged (93 ms hop)."""
    mel = feats["logmel"].astype(np.float32)
    n, t, b = mel.shape
    t2 = t // 2
    return mel[:, : 2 * t2].reshape(n, t2, 2, b).mean(axis=2)


# --------------------------------------------------------------------------- #
# Models
# --------------------------------------------------------------------------- #


def _svm_grid(inner_cv):
    """Standardise -> RBF SVM, C tuned on macro F1 by an inner CV (grouped by
    artist under the artist protocol); probabilities from Platt scaling of the
    chosen model (:class:`~sklearn.calibration.CalibratedClassifierCV`)."""
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    pipe = make_pipeline(StandardScaler(), SVC(kernel="rbf"))
    return GridSearchCV(
        pipe, {"svc__C": [1.0, 3.0, 10.0]}, scoring="f1_macro", cv=inner_cv, refit=False
    )


# Searches of the feature-selection systems: ANOVA F-test SelectKBest inside
# the pipeline, so the selection is refitted on every inner training fold.
# "all" (no selection) is offered since the grid's top, 3000, won every fold
# of the first run.
_SELECT_K = [300, 1000, 3000, "all"]
_SELECT_SYSTEMS = (
    "svm-select",
    "svm-select-tonal",
    "svm-select-melody",
    "svm-musicnn",
)
# systems whose last columns bypass the selection (standardised, always kept)
_KEPT_COLUMNS = {"svm-select-melody": 41}


def _select_search(name, inner_cv, n_features=None):
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_selection import SelectKBest, VarianceThreshold, f_classif
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    if name not in _SELECT_SYSTEMS:
        raise KeyError(name)
    clf, grid = SVC(kernel="rbf"), {"clf__C": [1.0, 3.0, 10.0]}
    select = [
        ("drop_constant", VarianceThreshold()),
        ("scale", StandardScaler()),
        ("select", SelectKBest(f_classif)),
    ]
    kept = _KEPT_COLUMNS.get(name, 0)
    if not kept:
        grid["select__k"] = _SELECT_K
        pipe = Pipeline(select + [("clf", clf)])
    else:
        n_selected = n_features - kept
        front = ColumnTransformer(
            [
                ("selected", Pipeline(select), slice(0, n_selected)),
                ("kept", StandardScaler(), slice(n_selected, n_features)),
            ]
        )
        grid["features__selected__select__k"] = _SELECT_K
        pipe = Pipeline([("features", front), ("clf", clf)])
    return GridSearchCV(pipe, grid, scoring="f1_macro", cv=inner_cv, refit=False)


def _fit_select(name, X, y, groups, inner_cv):
    import warnings as _w

    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV

    with _w.catch_warnings():
        _w.simplefilter("ignore", RuntimeWarning)  # f_classif on near-constant columns
        search = _select_search(name, inner_cv, X.shape[1])
        grid = search.fit(X, y, groups=groups)
        best = clone(grid.estimator).set_params(**grid.best_params_)
        model = CalibratedClassifierCV(best, ensemble=False, cv=3).fit(X, y)
    return model, grid.best_params_


def _fit_svm(X, y, groups, inner_cv):
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV

    grid = _svm_grid(inner_cv).fit(X, y, groups=groups)
    best = clone(grid.estimator).set_params(**grid.best_params_)
    model = CalibratedClassifierCV(best, ensemble=False, cv=3).fit(X, y)
    return model, grid.best_params_


def _fit_linear(X, y, groups, inner_cv):
    """Standardise -> L2 logistic regression, C by inner CV on macro F1."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
    grid = GridSearchCV(
        pipe,
        {"logisticregression__C": [1e-4, 1e-3, 1e-2]},
        scoring="f1_macro",
        cv=inner_cv,
    )
    grid.fit(X, y, groups=groups)
    return grid.best_estimator_, grid.best_params_


_LINEAR_SYSTEMS = ("lr-musicnn", "lr-musicnn-vgg")


def _inner_cv(protocol):
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if protocol == "artist-10fold":
        return StratifiedGroupKFold(3, shuffle=True, random_state=SEED)
    return StratifiedKFold(3, shuffle=True, random_state=SEED)


def _keras_model(name, settings):
    from sklearn_ser.models import CNN20, LSTMClassifier

    common = dict(
        random_state=SEED,
        validation_split=0.1,
        batch_size=32,
        epochs=settings["epochs"],
        early_stopping_patience=settings["early_stopping_patience"],
    )
    if name.startswith("s4-lstm-"):
        return LSTMClassifier(preset=name[len("s4-lstm-") :], **common)
    if name == "s4-cnn20":
        return CNN20(**common)
    if name == "logmel-cnn":
        return CNN20(
            filters=(16, 32, 64, 64),
            dense_units=64,
            dropout=0.5,
            bn_momentum=0.9,
            **common,
        )
    if name == "crop-cnn":
        from sklearn_ser.models import CropAverageClassifier

        common["batch_size"] = 64
        net = CNN20(
            filters=(32, 64, 64, 128),
            dense_units=64,
            dropout=0.5,
            bn_momentum=0.9,
            **common,
        )
        # 64 frames of 46 ms = 3.0 s; the crops of a clip are adjacent rows,
        # so Keras' trailing validation split holds whole clips.
        return CropAverageClassifier(
            net, crop_frames=64, n_train_crops=8, n_test_crops=10, random_state=SEED
        )
    raise KeyError(name)


class _FrameScaler:
    """Standardise (n, t, b) frames per band with training statistics."""

    def fit(self, X):
        self.mean_ = X.mean(axis=(0, 1))
        self.std_ = X.std(axis=(0, 1)) + 1e-6
        return self

    def transform(self, X):
        return ((X - self.mean_) / self.std_).astype(np.float32)


def _features_for(name, feats):
    if name.startswith("s4-"):
        return s4_vector(feats)
    if name == "svm-music":
        return rich_music(feats)
    if name == "svm-compare":
        return feats["compare"]
    if name == "svm-fused":
        return fused(feats)
    if name == "logmel-cnn":
        return logmel_frames(feats)
    if name == "svm-select":
        return all_features(feats)
    if name == "svm-select-tonal":
        from _mer_tonal import shape_rhythm_features, tonal_features

        return np.hstack(
            [all_features(feats), shape_rhythm_features(feats), tonal_features(feats)]
        )
    if name in ("svm-melody", "svm-select-melody"):
        from _mer_melody import melody_features

        melody = melody_features(**feats["source"])
        if name == "svm-melody":
            return melody
        return np.hstack([_features_for("svm-select-tonal", feats), melody])
    if name in ("svm-musicnn", "lr-musicnn", "lr-musicnn-vgg"):
        from _mer_musicnn import MODELS, musicnn_features

        src = feats["source"]
        models = MODELS if name.endswith("-vgg") else MODELS[:2]
        return musicnn_features(
            src["paths"],
            src["cache_dir"],
            models=models,
            n_jobs=src["n_jobs"],
            verbose=src["verbose"],
        )
    if name == "crop-cnn":
        return feats["logmel"].astype(np.float32)
    raise KeyError(name)


def _settings(system, profile):
    settings = dict(system.quick if profile == "quick" else system.paper)
    if _MAX_EPOCHS and "epochs" in settings:
        settings["epochs"] = min(settings["epochs"], _MAX_EPOCHS)
    return settings


_MAX_EPOCHS = None  # --max-epochs (smoke tests)


def fit_predict(system, X, y, groups, train, test, protocol, profile):
    """Fit on ``train``; return (probabilities on test, classes, history, info)."""
    settings = _settings(system, profile)
    if system.kind == "sklearn":
        fit_groups = groups[train] if protocol == "artist-10fold" else None
        if system.name in _SELECT_SYSTEMS:
            model, best = _fit_select(
                system.name, X[train], y[train], fit_groups, _inner_cv(protocol)
            )
        elif system.name in _LINEAR_SYSTEMS:
            model, best = _fit_linear(
                X[train], y[train], fit_groups, _inner_cv(protocol)
            )
        else:
            model, best = _fit_svm(X[train], y[train], fit_groups, _inner_cv(protocol))
        proba = model.predict_proba(X[test])
        return proba, model.classes_, None, {"best_params": best}
    from sklearn.preprocessing import StandardScaler

    # Keras' validation_split takes the LAST 10 % of the data unshuffled, and
    # the folds' training indices are sorted (clips are sorted by quadrant):
    # shuffle them, else the validation set is one quadrant.
    train = np.random.default_rng(SEED).permutation(train)
    model = _keras_model(system.name, settings)
    if X.ndim == 3:
        scaler = _FrameScaler().fit(X[train])
    else:
        scaler = StandardScaler().fit(X[train])
    model.fit(scaler.transform(X[train]), y[train])
    proba = model.predict_proba(scaler.transform(X[test]))
    net = getattr(model, "estimator_", model)  # the network inside a crop wrapper
    return proba, model.classes_, net.history_, {"n_epochs": net.n_epochs_}


def _splits(protocol, y, groups):
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if protocol == "stratified-10fold":
        cv, groups = StratifiedKFold(10, shuffle=True, random_state=SEED), None
    else:
        cv = StratifiedGroupKFold(10, shuffle=True, random_state=SEED)
    return list(cv.split(np.zeros(len(y)), y, groups))


# --------------------------------------------------------------------------- #
# Running and reporting
# --------------------------------------------------------------------------- #


def _oof_path(cache_dir, name, profile, protocol):
    cap = f"_max{_MAX_EPOCHS}" if _MAX_EPOCHS else ""
    return Path(cache_dir) / "oof" / f"{name}_{profile}{cap}_{protocol}.npz"


def _digest(system, feats, X=None):
    """SHA-1 of the features a system is fitted on (an ensemble: of its
    members'): an out-of-fold cache is reused only for the features it was
    computed from."""
    import hashlib

    if system.kind == "ensemble":
        parts = [_digest(SYSTEMS[m], feats) for m in system.members]
        return hashlib.sha1("".join(parts).encode()).hexdigest()
    X = _features_for(system.name, feats) if X is None else X
    return hashlib.sha1(np.ascontiguousarray(X).tobytes()).hexdigest()


def run_protocol(system, feats, y, groups, protocol, profile, cache_dir, verbose):
    """Out-of-fold probabilities (cached), histories and per-fold information."""
    path = _oof_path(cache_dir, system.name, profile, protocol)
    X = None if system.kind == "ensemble" else _features_for(system.name, feats)
    digest = _digest(system, feats, X)
    if path.is_file():
        d = np.load(path, allow_pickle=True)
        saved = str(d["features_sha1"]) if "features_sha1" in d.files else None
        if saved == digest:
            return (
                d["proba"],
                list(d["classes"]),
                list(d["histories"]),
                list(d["info"]),
                float(d["wall"]) if "wall" in d.files else 0.0,
            )
        print(f"  {path.name}: features changed since it was saved, refitting")
    labels = np.unique(y)
    t0 = time.perf_counter()
    if system.kind == "ensemble":
        probas = []
        histories, info = [], []
        for m in system.members:
            p, c, _, _, _ = run_protocol(
                SYSTEMS[m], feats, y, groups, protocol, profile, cache_dir, verbose
            )
            assert list(c) == list(labels)
            probas.append(p)
        proba = np.mean(probas, axis=0)
    else:
        proba = np.zeros((len(y), len(labels)))
        histories, info = [], []
        for k, (train, test) in enumerate(_splits(protocol, y, groups)):
            p, classes, hist, inf = fit_predict(
                system, X, y, groups, train, test, protocol, profile
            )
            assert list(classes) == list(labels)
            proba[test] = p
            histories.append(hist)
            info.append(inf)
            if verbose:
                print(f"    fold {k + 1}: {inf}", flush=True)
    wall = time.perf_counter() - t0
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        proba=proba,
        classes=np.array(labels),
        histories=np.array(histories, dtype=object),
        info=np.array(info, dtype=object),
        wall=wall,
        features_sha1=digest,
    )
    return proba, list(labels), histories, info, wall


def _fold_scores(y, pred, protocol, groups):
    from sklearn_ser.metrics import accuracy, f1_macro

    acc, f1 = [], []
    for _, test in _splits(protocol, y, groups):
        acc.append(accuracy(y[test], pred[test]))
        f1.append(f1_macro(y[test], pred[test]))
    return np.mean(acc), np.std(acc), np.mean(f1), np.std(f1)


def run_system(system, bunch, feats, profile, cache_dir, out, verbose, protocols=None):
    from sklearn_ser.metrics import classification_table, score_all
    from sklearn_ser.plotting import plot_confusion_matrix, plot_training_curves

    y, groups = np.asarray(bunch.target), np.asarray(bunch.groups)
    figs = out / "mer"
    figs.mkdir(parents=True, exist_ok=True)
    rows = []
    for protocol in protocols or PROTOCOLS:
        proba, labels, histories, info, wall = run_protocol(
            system, feats, y, groups, protocol, profile, cache_dir, verbose
        )
        labels = np.asarray(labels)
        pred = labels[proba.argmax(axis=1)]
        scores = score_all(y, pred, proba, labels=labels)
        acc_m, acc_s, f1_m, f1_s = _fold_scores(y, pred, protocol, groups)
        stem = f"mer_{system.name}_{profile}_{protocol}"
        plot_confusion_matrix(
            y_true=y,
            y_pred=pred,
            labels=labels,
            title=f"{system.name}, {protocol}",
            path=figs / f"{stem}_confusion.png",
        )
        pngs = [f"mer/{stem}_confusion.png"]
        hist = [h for h in histories if h]
        if hist:
            plot_training_curves(
                hist,
                title=f"{system.name}, {protocol}",
                path=figs / f"{stem}_curves.png",
            )
            pngs.append(f"mer/{stem}_curves.png")
        rows.append(
            {
                "protocol": protocol,
                "description": PROTOCOLS[protocol],
                "scores": scores,
                "accuracy_fold_mean": acc_m,
                "accuracy_fold_std": acc_s,
                "f1_macro_fold_mean": f1_m,
                "f1_macro_fold_std": f1_s,
                "fold_info": info,
                "wall_seconds": wall,
                "figures": pngs,
                "table_markdown": classification_table(y, pred).to_markdown(),
            }
        )
        print(
            f"  {system.name:<24} {protocol:<18} acc {scores['accuracy']:.4f} "
            f"F1 {scores['f1_macro']:.4f} AUC {scores['roc_auc_ovr']:.4f} "
            f"MCC {scores['mcc']:.4f} [{wall:.0f} s]",
            flush=True,
        )
    return {
        "system": system.name,
        "description": system.description,
        "kind": system.kind,
        "profile": profile,
        "settings": _settings(system, profile),
        "members": list(system.members),
        "corpus": "MER 4Q (load_mer_4q)",
        "n_clips": int(len(y)),
        "n_artists": int(len(set(groups))),
        "s4_paper": S4_PAPER.get(system.name),
        "s4_note": S4_NOTE if system.name in S4_PAPER else None,
        "results": rows,
    }


_METRIC_COLS = (
    "accuracy",
    "f1_macro",
    "recall_macro",
    "precision_macro",
    "mcc",
    "roc_auc_ovr",
)


def _markdown(result, info):
    cmd = result.get("command") or (
        f"python benchmarks/mer_systems.py --system {result['system']} "
        f"--profile {result['profile']}"
    )
    lines = [
        f"# MER 4Q: {result['system']} ({result['profile']} profile)",
        "",
        f"{result['description']}. {result['n_clips']} clips, "
        f"{result['n_artists']} artist groups. Settings: `{result['settings']}`.",
        "",
        f"Command: `{cmd}`",
        "",
        "| protocol | accuracy | macro F1 | macro recall | macro precision | MCC "
        "| ROC AUC (OvR) | acc fold mean ± std | F1 fold mean ± std | wall s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["results"]:
        s = r["scores"]
        lines.append(
            f"| {r['protocol']} | "
            + " | ".join(f"{s[c]:.4f}" for c in _METRIC_COLS)
            + f" | {r['accuracy_fold_mean']:.4f} ± {r['accuracy_fold_std']:.4f}"
            f" | {r['f1_macro_fold_mean']:.4f} ± {r['f1_macro_fold_std']:.4f}"
            f" | {r['wall_seconds']:.0f} |"
        )
    if result["s4_paper"]:
        p = result["s4_paper"]
        lines += [
            "",
            f"S4 (paper): accuracy {p['accuracy']:.4f}, ROC AUC "
            f"{p['roc_auc_ovr']:.4f}. {result['s4_note']}",
        ]
    for r in result["results"]:
        lines += ["", f"## {r['protocol']}: {r['description']}", ""]
        lines += [f"![{f}]({f})" for f in r["figures"]]
        lines += ["", r["table_markdown"]]
    lines += ["", "## Machine", "", machine_markdown(info)]
    return "\n".join(lines) + "\n"


def summary(out, profile):
    rows = []
    for name in SYSTEMS:
        p = out / f"mer_{name}_{profile}.json"
        if p.is_file():
            rows.append(json.loads(p.read_text()))
    lines = [
        f"# MER 4Q summary ({profile} profile)",
        "",
        "900 clips, 4 quadrants (225 each), 662 artist groups. Pooled "
        "out-of-fold predictions; macro averages. Wall seconds: the 10 outer "
        "folds (inner searches included) on the shared machine of the run's "
        "JSON; an ensemble's wall is its members' (0 when they were cached).",
        "",
        "| system | protocol | accuracy | macro F1 | MCC | ROC AUC | 10 folds' "
        "wall s | S4 paper acc / AUC (own corpus) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        for x in r["results"]:
            s = x["scores"]
            paper = (
                f"{r['s4_paper']['accuracy']:.4f} / {r['s4_paper']['roc_auc_ovr']:.4f}"
                if r["s4_paper"] and x["protocol"] == "stratified-10fold"
                else ""
            )
            lines.append(
                f"| {r['system']} | {x['protocol']} | {s['accuracy']:.4f} | "
                f"{s['f1_macro']:.4f} | {s['mcc']:.4f} | {s['roc_auc_ovr']:.4f} | "
                f"{x['wall_seconds']:.0f} | {paper} |"
            )
    lines += [
        "",
        "Published anchors (4 quadrants, 10-fold CV, macro F1): "
        + "; ".join(f"{k}: {v['f1_macro']:.3f}" for k, v in ANCHORS.items()),
        "",
        S4_NOTE,
        "",
    ]
    (out / f"mer_summary_{profile}.md").write_text("\n".join(lines))
    print("\n".join(lines))


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
    parser.add_argument("--all", action="store_true", help="every system")
    parser.add_argument("--list", action="store_true", help="list the systems")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="write mer_summary_<profile>.md from the results",
    )
    parser.add_argument(
        "--profile",
        choices=("quick", "paper"),
        default="quick",
        help="quick: fewer epochs for the networks (default)",
    )
    parser.add_argument(
        "--data-home", default=None, help="folder holding mer_4q/ (default: $SER_DATA)"
    )
    parser.add_argument(
        "--cache-dir",
        default=str(HERE / ".cache" / "mer"),
        help="feature and out-of-fold cache (not committed)",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="processes for feature extraction"
    )
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        help="cap the networks' epochs (recorded in the settings)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="smoke test: first N clips per quadrant; results go "
        "under the cache folder, not benchmarks/results",
    )
    parser.add_argument(
        "--protocol",
        action="append",
        choices=tuple(PROTOCOLS),
        default=None,
        help="run only this protocol (repeatable; default: both)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.list:
        for s in SYSTEMS.values():
            print(f"{s.name:<24} {s.kind:<9} {s.description}")
        return 0
    names = list(SYSTEMS) if args.all else list(args.system)
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not (names or args.summary):
        parser.error(f"choose systems with --system NAME or --all; unknown: {unknown}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    global _MAX_EPOCHS
    _MAX_EPOCHS = args.max_epochs
    out.mkdir(parents=True, exist_ok=True)
    if names:
        _limit_tf_threads()
        bunch, feats = load_corpus(
            args.data_home, args.cache_dir, args.n_jobs, args.verbose, args.limit
        )
        if args.limit:  # a smoke test: results go to a scratch folder
            out = Path(args.cache_dir) / "limited_results"
            args.cache_dir = str(Path(args.cache_dir) / f"limit{args.limit}")
            out.mkdir(parents=True, exist_ok=True)
        peaks = feats["peak"]
        print(
            f"features of {len(bunch.data)} clips in {feats['extract_seconds']:.0f} s;"
            f" {int((peaks > 1).sum())} clips decode beyond [-1, 1] (max "
            f"{peaks.max():.3f}, median {np.median(peaks):.3f}); clipped",
            flush=True,
        )
        info = machine_info()
        for name in names:
            result = run_system(
                SYSTEMS[name],
                bunch,
                feats,
                args.profile,
                args.cache_dir,
                out,
                args.verbose,
                args.protocol,
            )
            result["machine"] = info
            result["command"] = (
                f"python benchmarks/mer_systems.py --system {name} --profile "
                f"{args.profile}"
                + (f" --max-epochs {_MAX_EPOCHS}" if _MAX_EPOCHS else "")
                + "".join(f" --protocol {p}" for p in args.protocol or ())
            )
            result["decoded_peaks"] = {
                "n_over_1": int((peaks > 1).sum()),
                "max": float(peaks.max()),
                "median": float(np.median(peaks)),
            }
            stem = out / f"mer_{name}_{args.profile}"
            stem.with_suffix(".json").write_text(
                json.dumps(result, indent=2, default=_jsonable)
            )
            stem.with_suffix(".md").write_text(_markdown(result, info))
    if args.summary:
        summary(out, args.profile)
    return 0


def _limit_tf_threads():
    """One TensorFlow thread per op pool (the machine is shared); no-op
    until a network is trained, since TensorFlow is imported lazily."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


def _jsonable(v):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


if __name__ == "__main__":
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    sys.exit(main())
