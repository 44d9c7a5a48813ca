"""Speaker-independent accuracy: the ablation table of issue 11.

Every row is a system (features -> optional speaker normalisation ->
classifier, tuned inside the training speakers only) evaluated on every
protocol:

- ``emobox-ravdess``: RAVDESS speech, 8 emotions, EmoBox's 6 fixed actor
  folds (4 test actors each); mean UAR over the folds ± std.
- ``tess-loso``: TESS, 7 emotions, train on one speaker, test on the other,
  both ways (the ``loso`` protocol).
- ``cross-corpus``: train on RAVDESS, test on TESS and the reverse, over the
  7 emotions they share (RAVDESS's calm dropped; ``load_cross_corpus``).

Two regimes, never mixed in one column:

- **strict**: nothing is computed from the test speakers. Scalers, speaker
  statistics (``SpeakerNormalizer(mode="strict")``), feature selection and
  hyper-parameters (``GridSearchCV`` with ``InnerSpeakerKFold``: folds of
  training speakers, or of files when a training part has a single speaker,
  as in TESS) come from the training part of each outer fold only.
- **transductive**: as strict, except that each test speaker's features are
  standardised with that speaker's own statistics
  (``SpeakerNormalizer(mode="transductive")``), i.e. the test speaker's
  unlabelled audio is used, as in enrolment.

Row builders: :func:`single` (a search over the whole pipeline),
:func:`head` (scaler / PCA / normaliser fitted once per outer fold, only the
classifier's C searched by the inner speaker-grouped CV), :func:`soft_vote`
and :func:`head_vote` (soft voting over feature sets), :func:`augmented`
(training files plus their speed-perturbed copies).

Metrics per fold: UAR (balanced accuracy), WAR (accuracy), macro F1; the
table shows mean ± std over folds. The goal columns compare with issue 11's
targets (RAVDESS strict >= 0.65, transductive >= 0.70; TESS strict >= 0.55,
transductive >= 0.70; cross-corpus has no target).

Features (MFCC statistics, openSMILE eGeMAPSv02 and ComParE_2016) are
computed once per corpus and cached with joblib.Memory under
``--cache-dir`` (default ``benchmarks/.cache/speaker_independent``, not
committed), so reruns only fit classifiers.

Adding rows
-----------
``ROWS`` maps a row name to a :class:`Row`:

- ``regime``: ``"strict"`` or ``"transductive"``;
- ``inputs``: a tuple of cached feature-set names (``"mfcc"``, ``"egemaps"``,
  ``"compare"``, or ``"<set>@speed<r>"``: the set computed on every file
  played ``r`` times faster, used only as training copies through
  :class:`TrainCopies` / :func:`augmented`; X is their columns side by side
  and ``build`` receives ``blocks``, a dict name -> column slice), or
  ``"paths"`` (X is the audio
  file paths, for pipelines that compute their own features, e.g. networks);
- ``build(profile=, blocks=, seed=)``: returns a fresh, unfitted estimator.
  It is fitted as ``fit(X, y, groups=speakers)`` and asked to
  ``predict(X, groups=speakers)``, each time passing ``groups`` only when the
  estimator consumes it (scikit-learn metadata routing is enabled; a
  ``GridSearchCV`` is unwrapped to its ``best_estimator_`` for prediction);
- ``profiles``: the profiles the row runs in;
- ``extra``: with True, every training part also holds the other corpus's
  files of the emotions this corpus has (labels mapped with
  ``TESS_TO_RAVDESS``, speakers prefixed with the corpus), through
  :class:`sklearn_ser.augment.ExtraTrainingData`; such rows run on
  ``emobox-ravdess`` and ``tess-loso`` only (cross-corpus already trains on
  the other corpus).

Another script can add rows and reuse the protocols, the loop and the table::

    import speaker_independent as si
    si.ROWS["crnn"] = si.Row("strict", "paths", build_crnn, "log-Mel CRNN")
    si.main(["--profile", "quick", "--rows", "crnn"])

Each (profile, row) result is written to
``benchmarks/results/speaker_independent/<profile>/<row>.json``; the merged
table ``benchmarks/results/speaker_independent_<profile>.{json,md}`` is
rebuilt from every row file present, so rows can be run separately
(``--rows``), by different scripts, and keep their results.

Run ``python benchmarks/speaker_independent.py --help`` for the options.
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
sys.path.insert(0, str(HERE.parent))

from _machine import machine_info, machine_markdown  # noqa: E402
from _si_features import PITCH, corpus_features, pitch_corpus_features  # noqa: E402

RESULTS = HERE / "results"
ROW_DIR = RESULTS / "speaker_independent"
DEFAULT_CACHE = HERE / ".cache" / "speaker_independent"

PROTOCOLS = {
    "emobox-ravdess": ("ravdess", "emobox-ravdess"),
    "tess-loso": ("tess", "loso"),
    "cross-corpus": ("cross", "cross-corpus"),
}
#: issue 11's targets: (protocol, regime) -> mean UAR
GOALS = {
    ("emobox-ravdess", "strict"): 0.65,
    ("emobox-ravdess", "transductive"): 0.70,
    ("tess-loso", "strict"): 0.55,
    ("tess-loso", "transductive"): 0.70,
}
#: published anchors (issue 11), for the Markdown notes
ANCHORS = {
    ("emobox-ravdess", "strict"): "ComParE 0.59, eGeMAPS 0.50, MFCC 0.34 (ERTK); "
    "HuBERT-base 0.654, WavLM-large 0.720 (EmoBox)",
    ("emobox-ravdess", "transductive"): "ComParE 0.69, eGeMAPS 0.61 (ERTK)",
    ("tess-loso", "strict"): "ComParE 0.47, eGeMAPS 0.33 (ERTK)",
    ("tess-loso", "transductive"): "ComParE 0.63, eGeMAPS 0.54 (ERTK)",
}


@dataclass
class Row:
    """One system of the ablation table (see the module docstring)."""

    regime: str
    inputs: object
    build: object = field(repr=False)
    description: str = ""
    profiles: tuple = ("quick", "paper")
    #: the other corpus's speakers added to every training part
    #: (:class:`sklearn_ser.augment.ExtraTrainingData`; single-corpus protocols)
    extra: bool = False
    #: run only these fold indices (None: all); for rows too slow for all
    folds: tuple = None


# --------------------------------------------------------------------------- #
# building blocks of the rows
# --------------------------------------------------------------------------- #

#: C grids per classifier and feature width, per profile
GRIDS = {
    "quick": {
        "logreg_small": [0.1],
        "logreg_fixed": [0.1],
        "logreg_large": [0.003],
        "svm_rbf": [3.0],
        "svm_linear": [0.001],
    },
    "paper": {
        "logreg_small": [0.03, 0.1, 0.3],
        # the registry's eGeMAPS / MFCC heads: C=0.1 fixed, not tuned
        "logreg_fixed": [0.1],
        # ComParE: one C, not tuned (a tuned grid costs ~25 min per row on
        # the shared 2-core machine); chosen a priori, a strong L2 penalty for
        # thousands of correlated standardised functionals
        "logreg_large": [0.001],
        "svm_rbf": [1.0, 3.0, 10.0],
        "svm_linear": [0.0003, 0.001, 0.003],
        # heads after a fixed scaler [+ PCA] (``head``): C tuned by the inner
        # speaker-grouped CV on the training part only
        "logreg_wide": [0.0001, 0.0003, 0.001, 0.003, 0.01],
        "svm_linear_wide": [0.00003, 0.0001, 0.0003, 0.001],
        "svm_rbf_wide": [1.0, 3.0, 10.0, 30.0],
    },
}
GRIDS["quick"].update(
    {"logreg_wide": [0.001], "svm_linear_wide": [0.0001], "svm_rbf_wide": [10.0]}
)


def _select(blocks, names):
    """ColumnTransformer keeping the columns of feature sets ``names``."""
    from sklearn.compose import ColumnTransformer

    cols = np.concatenate([np.arange(blocks[n].start, blocks[n].stop) for n in names])
    return ColumnTransformer([("keep", "passthrough", cols)])


def _normalizer(mode):
    from sklearn_ser.preprocessing import SpeakerNormalizer

    return (
        SpeakerNormalizer(mode=mode)
        .set_fit_request(groups=True)
        .set_transform_request(groups=True)
    )


def _classifier(kind, seed, balanced=True):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    cw = "balanced" if balanced else None
    if kind == "lda":
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        return LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")
    if kind.startswith("svm_linear"):
        return SVC(kernel="linear", class_weight=cw, random_state=seed)
    if kind.startswith("svm_rbf"):
        return SVC(kernel="rbf", class_weight=cw, random_state=seed)
    if kind.startswith("logreg"):
        return LogisticRegression(max_iter=3000, class_weight=cw)
    if kind == "svm_rbf":
        return SVC(kernel="rbf", class_weight=cw, random_state=seed)
    if kind == "svm_linear":
        return SVC(kernel="linear", class_weight=cw, random_state=seed)
    raise ValueError(kind)


def _tuned(steps, kind, profile, seed, balanced=True):
    """Pipeline(steps + classifier), C tuned by speaker-grouped inner CV."""
    from sklearn.pipeline import Pipeline

    pipe = Pipeline([*steps, ("clf", _classifier(kind, seed, balanced))])
    return _search_c(pipe, "clf__C", GRIDS[profile][kind], seed)


def _search_c(est, param, grid, seed):
    """``est`` with ``param`` set to the one value of ``grid``, or a search over it
    (speaker-grouped inner CV, balanced accuracy)."""
    from sklearn.model_selection import GridSearchCV

    from sklearn_ser.model_selection import InnerSpeakerKFold

    if len(grid) == 1:
        return est.set_params(**{param: grid[0]})
    return GridSearchCV(
        est,
        {param: grid},
        cv=InnerSpeakerKFold(3, random_state=seed),
        scoring="balanced_accuracy",
        n_jobs=1,
    )


def single(features, kind, norm=None, balanced=True, pca=None):
    """Row builder: ``features`` -> [normaliser] -> scaler [-> PCA] -> tuned ``kind``.

    ``pca`` (a component count, randomized SVD fitted on the training part)
    makes ComParE's 6373 dimensions affordable for the inner tuning on 2 cores.
    """
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    def build(*, profile, blocks, seed):
        steps = [("select", _select(blocks, features))]
        if norm:
            steps.append(("speaker", _normalizer(norm)))
        steps.append(("scale", StandardScaler()))
        if pca:
            steps.append(
                ("pca", PCA(pca, svd_solver="randomized", random_state=seed))
            )
        return _tuned(steps, kind, profile, seed, balanced)

    return build


def soft_vote(members, norm=None):
    """Row builder: soft voting over one tuned logistic regression per feature set.

    ``members`` is a list of (feature-set names, classifier kind). With
    ``norm`` the speaker normaliser runs once before the vote (it works
    column by column, so this equals normalising inside each member).
    """
    from sklearn.ensemble import VotingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    def build(*, profile, blocks, seed):
        estimators = []
        for feats, kind in members:
            steps = [("select", _select(blocks, feats)), ("scale", StandardScaler())]
            estimators.append(
                ("+".join(feats), _tuned(steps, kind, profile, seed))
            )
        vote = VotingClassifier(estimators, voting="soft")
        if norm is None:
            return vote
        return Pipeline([("speaker", _normalizer(norm)), ("vote", vote)])

    return build


def _tuned_head(kind, profile, seed, balanced=True):
    """Classifier ``kind``, C tuned by speaker-grouped inner CV (alone: no steps).

    The steps before it (scaler, PCA, speaker normaliser) are fitted once on
    the whole training part, outside the inner CV: they see no labels, and
    the training part holds no test speaker, so this stays strict and costs
    one PCA per outer fold instead of one per inner fit.
    """
    clf = _classifier(kind, seed, balanced)
    if kind == "lda":
        return clf
    return _search_c(clf, "C", GRIDS[profile][kind], seed)


def head(features, kind, norm=None, pca=None, balanced=True):
    """Row builder: ``features`` -> [normaliser] -> scaler [-> PCA] -> tuned ``kind``.

    As :func:`single`, but the scaler and PCA are fitted once per outer fold
    and only the classifier's C is searched (see :func:`_tuned_head`).
    """
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_ser.preprocessing import CappedPCA

    def build(*, profile, blocks, seed):
        steps = [("select", _select(blocks, features))]
        if norm:
            steps.append(("speaker", _normalizer(norm)))
        steps.append(("scale", StandardScaler()))
        if pca:
            steps.append(("pca", CappedPCA(n_components=pca, random_state=seed)))
        return Pipeline([*steps, ("clf", _tuned_head(kind, profile, seed, balanced))])

    return build


def head_vote(members, norm=None, self_training=False, voting="soft"):
    """Row builder: soft vote of :func:`head` members, one per feature set.

    ``members``: list of (feature-set names, kind, pca). With ``norm`` the
    speaker normaliser runs once before the vote (column by column, so the
    same as inside each member). With ``self_training`` (transductive rows
    only) the vote is wrapped in
    :class:`sklearn_ser.semi_supervised.TransductiveSelfTraining` with its
    defaults fixed a priori (one round, the most confident half of the
    test batch), after the normaliser. ``voting="geometric"`` combines the
    members by the geometric mean of their probabilities
    (:class:`sklearn_ser.ensemble.GeometricVotingClassifier`);
    ``voting="tempered"`` tempers each member by a temperature fitted on
    out-of-fold predictions across the training speakers
    (:class:`sklearn_ser.ensemble.TemperedVotingClassifier`, defaults: 5
    speaker folds, at least 3 speakers, else untempered).
    """
    from sklearn.ensemble import VotingClassifier
    from sklearn.pipeline import Pipeline

    from sklearn_ser.semi_supervised import TransductiveSelfTraining

    def build(*, profile, blocks, seed):
        estimators, seen = [], set()
        for f, k, p in members:
            name = "+".join(f)
            name = f"{name}-{k}" if name in seen else name  # names must differ
            seen.add(name)
            member = head(f, k, pca=p)(profile=profile, blocks=blocks, seed=seed)
            estimators.append((name, member))
        if voting == "geometric":
            from sklearn_ser.ensemble import GeometricVotingClassifier

            vote = GeometricVotingClassifier(estimators)
        elif voting == "tempered":
            import sklearn

            from sklearn_ser.ensemble import TemperedVotingClassifier

            with sklearn.config_context(enable_metadata_routing=True):
                vote = TemperedVotingClassifier(estimators).set_fit_request(
                    groups=True
                )
        else:
            vote = VotingClassifier(estimators, voting=voting)
        if self_training:
            vote = TransductiveSelfTraining(vote, fraction=0.5, n_rounds=1)
        if norm is None:
            return vote
        return Pipeline([("speaker", _normalizer(norm)), ("vote", vote)])

    return build


class TrainCopies:
    """Fit on the training rows plus their precomputed augmented copies.

    ``X`` holds the original feature columns followed by ``n_copies`` blocks
    of the same columns computed on augmented audio of the same file
    (``_si_features``: ``"<set>@speed<r>"``). ``fit`` stacks the blocks as
    extra rows (labels and speakers repeated: a copy belongs to its
    speaker, so inner speaker-grouped CV keeps a file and its copies on the
    same side) and fits ``estimator`` on them; ``predict`` uses the original
    columns only. This is :class:`sklearn_ser.augment.AugmentedClassifier`
    with a fixed augmenter whose outputs were cached once per corpus, so the
    copies of test files are never used.
    """

    def __init__(self, estimator, n_copies):
        self.estimator = estimator
        self.n_copies = n_copies

    def _width(self, X):
        return X.shape[1] // (1 + self.n_copies)

    def fit(self, X, y, groups=None):
        w = self._width(X)
        Xs = np.vstack([X[:, k * w : (k + 1) * w] for k in range(1 + self.n_copies)])
        ys = np.tile(np.asarray(y), 1 + self.n_copies)
        kw = {}
        if groups is not None and _consumes(self.estimator, "fit"):
            kw["groups"] = np.tile(np.asarray(groups), 1 + self.n_copies)
        self.estimator_ = self.estimator.fit(Xs, ys, **kw)
        self.width_ = w
        return self

    def predict(self, X, groups=None):
        model = getattr(self.estimator_, "best_estimator_", self.estimator_)
        kw = {}
        if groups is not None and _consumes(model, "predict"):
            kw["groups"] = groups
        return model.predict(X[:, : self.width_], **kw)

    def get_metadata_routing(self):
        from sklearn.utils.metadata_routing import MetadataRequest

        req = MetadataRequest(owner="TrainCopies")
        req.fit.add_request(param="groups", alias=True)
        req.predict.add_request(param="groups", alias=True)
        return req


def augmented(base_inputs, builder, rates=(0.9, 1.1), semitones=()):
    """``(inputs, build)`` of a row fitting ``builder``'s system on the
    training files plus their speed-perturbed copies, then their
    pitch-shifted copies (``TrainCopies``)."""
    inputs = (
        tuple(base_inputs)
        + tuple(f"{b}@speed{r}" for r in rates for b in base_inputs)
        + tuple(f"{b}{PITCH}{s:+g}" for s in semitones for b in base_inputs)
    )

    def build(*, profile, blocks, seed):
        base = {b: blocks[b] for b in base_inputs}
        inner = builder(profile=profile, blocks=base, seed=seed)
        return TrainCopies(inner, len(rates) + len(semitones))

    return inputs, build


def registered(name, n_jobs=1):
    """Row builder: the registry pipeline ``name`` on audio paths, every
    feature extractor with ``n_jobs`` (results do not depend on it)."""

    def build(*, profile, blocks, seed):
        from sklearn_ser.pipelines import get_pipeline

        pipe = get_pipeline(name, random_state=seed)
        params = pipe.get_params()
        jobs = {
            f"{owner}__n_jobs": n_jobs
            for owner, est in params.items()
            if type(est).__module__.startswith("sklearn_ser.features")
            and "n_jobs" in est.get_params()
        }
        return pipe.set_params(**jobs)

    return build


def mfcc_svm_baseline(*, profile, blocks, seed):
    """The registered ``mfcc-svm`` system: 40 mean MFCCs -> scaler -> SVC (RBF, C=1)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    first40 = np.arange(blocks["mfcc"].start, blocks["mfcc"].start + 40)
    return Pipeline(
        [
            ("select", ColumnTransformer([("keep", "passthrough", first40)])),
            ("scale", StandardScaler()),
            ("clf", SVC(random_state=seed)),
        ]
    )


_PAPER = ("paper",)
_VOTE2 = [(("mfcc",), "logreg_small"), (("egemaps",), "logreg_small")]
_ALL3 = ("compare", "egemaps", "mfcc")
_VOTE3 = [
    (("compare",), "logreg_large", 300),
    (("egemaps",), "logreg_small", None),
    (("mfcc",), "logreg_small", None),
]
#: the registry's compare-vote-speed / compare-vote-enrol heads (C fixed)
_VOTE3_FIXED = [
    (("compare",), "logreg_large", 300),
    (("egemaps",), "logreg_fixed", None),
    (("mfcc",), "logreg_fixed", None),
]
#: the registered heads plus log-Mel functionals (LogMelFunctionals, 896)
_ALL4 = (*_ALL3, "logmel")
_VOTE4_LOGMEL = [*_VOTE3_FIXED, (("logmel",), "logreg_large", 300)]
#: the same four heads on the silence-trimmed recordings (TrimSilence first)
_ALL4_TRIM = tuple(f"{b}_trim" for b in _ALL4)
_VOTE4_TRIM = [
    ((f"{sets[0]}_trim",), kind, *rest) for sets, kind, *rest in _VOTE4_LOGMEL
]
#: the same four heads on the speech only at a fixed loudness (TrimSilence
#: with pauses=True, then LoudnessNormalizer)
_ALL4_SPEECH = tuple(f"{b}_speech" for b in _ALL4)
_VOTE4_SPEECH = [
    ((f"{sets[0]}_speech",), kind, *rest) for sets, kind, *rest in _VOTE4_LOGMEL
]
#: the registered heads plus shrinkage LDA on the same ComParE PCA 300
_VOTE4_FIXED = [*_VOTE3_FIXED, (("compare",), "lda", 300)]
_AUG_COMPARE = augmented(("compare",), head(("compare",), "logreg_large", pca=300))
_AUG_VOTE3 = augmented(_ALL3, head_vote(_VOTE3))

ROWS = {
    # ---- strict ---------------------------------------------------------
    "mfcc-svm (baseline)": Row(
        "strict", ("mfcc",), mfcc_svm_baseline,
        "mean MFCC (40) -> scaler -> SVC RBF C=1 (registered mfcc-svm)",
    ),
    "mfcc-stats-logreg": Row(
        "strict", ("mfcc",), single(("mfcc",), "logreg_small"),
        "MFCC mean+std (80) -> scaler -> LogReg, C tuned",
    ),
    "egemaps-logreg": Row(
        "strict", ("egemaps",), single(("egemaps",), "logreg_small"),
        "eGeMAPSv02 (88) -> scaler -> LogReg, C tuned",
    ),
    "egemaps-svm-rbf": Row(
        "strict", ("egemaps",), single(("egemaps",), "svm_rbf"),
        "eGeMAPSv02 -> scaler -> SVC RBF, C tuned", ("quick",),
    ),
    "egemaps-logreg + speaker-norm (strict)": Row(
        "strict", ("egemaps",), single(("egemaps",), "logreg_small", norm="strict"),
        "training speakers standardised per speaker; test speakers with the "
        "typical training-speaker statistics -> LogReg",
    ),
    "vote mfcc+egemaps": Row(
        "strict", ("mfcc", "egemaps"), soft_vote(_VOTE2),
        "soft vote of two tuned LogRegs (MFCC stats, eGeMAPS)",
    ),
    "compare-logreg": Row(
        "strict", ("compare",), single(("compare",), "logreg_large", pca=300),
        "ComParE_2016 (6373) -> scaler -> PCA 300 -> LogReg, C=0.001 fixed", _PAPER,
    ),
    "compare-logreg (C tuned)": Row(
        "strict", ("compare",), head(("compare",), "logreg_wide", pca=300),
        "ComParE -> scaler -> PCA 300 -> LogReg, C in 1e-4..1e-2 tuned by inner "
        "speaker-grouped CV", _PAPER,
    ),
    "compare-svm-rbf (C tuned)": Row(
        "strict", ("compare",), head(("compare",), "svm_rbf_wide", pca=300),
        "ComParE -> scaler -> PCA 300 -> SVC RBF (gamma 'scale'), C tuned", _PAPER,
    ),
    "compare-lda": Row(
        "strict", ("compare",), head(("compare",), "lda", pca=300),
        "ComParE -> scaler -> PCA 300 -> LDA, Ledoit-Wolf shrinkage (nothing to tune)",
        _PAPER,
    ),
    "fusion compare+egemaps+mfcc": Row(
        "strict", _ALL3, head(_ALL3, "logreg_wide", pca=300),
        "early fusion: ComParE, eGeMAPS, MFCC stats side by side -> scaler -> "
        "PCA 300 -> LogReg, C tuned", _PAPER,
    ),
    "vote compare+egemaps+mfcc": Row(
        "strict", _ALL3, head_vote(_VOTE3),
        "soft vote of three LogRegs: ComParE (PCA 300, C=0.001 fixed), eGeMAPS "
        "and MFCC stats (C tuned)", _PAPER,
    ),
    "compare-logreg + speed perturbation": Row(
        "strict", *_AUG_COMPARE,
        "compare-logreg (C=0.001 fixed) fitted on the training files plus their "
        "0.9x and 1.1x speed-perturbed copies (training only)", _PAPER,
    ),
    "vote compare+egemaps+mfcc + speed perturbation": Row(
        "strict", *_AUG_VOTE3,
        "the three-head vote fitted on the training files plus their 0.9x and "
        "1.1x speed-perturbed copies (training only)", _PAPER,
    ),
    "compare-logreg + other corpus": Row(
        "strict", ("compare",), single(("compare",), "logreg_large", pca=300),
        "compare-logreg fitted on the training speakers plus the other corpus's "
        "speakers (TESS's 2 under RAVDESS folds, RAVDESS's 24 under TESS folds)",
        _PAPER, extra=True,
    ),
    "vote compare+egemaps+mfcc + other corpus": Row(
        "strict", _ALL3, head_vote(_VOTE3),
        "the three-head vote fitted on the training speakers plus the other "
        "corpus's speakers", _PAPER, extra=True,
    ),
    "vote compare+egemaps+mfcc + speed perturbation (registry settings)": Row(
        "strict", *augmented(_ALL3, head_vote(_VOTE3_FIXED)),
        "compare-vote-speed as first registered, on cached features: the "
        "speed-perturbed three-head vote with eGeMAPS / MFCC C=0.1 fixed instead "
        "of tuned; on EmoBox fold 1 it equals that pipeline run from audio "
        "(row 'registered compare-vote-speed (EmoBox fold 1 only)')", _PAPER,
    ),
    "compare-vote-speed (registry settings)": Row(
        "strict", *augmented(_ALL4, head_vote(_VOTE4_LOGMEL)),
        "compare-vote-speed as registered before TrimSilence, on cached "
        "features: the three-head "
        "registry-settings vote plus a fourth head, LogMelFunctionals (64 log-Mel "
        "bands + deltas over the active frames, 7 statistics each, per-utterance "
        "mean removed; 896) -> scaler -> PCA 300 -> LogReg C=0.001; arithmetic "
        "soft vote",
        _PAPER,
    ),
    "compare-vote-speed trimmed (registry settings)": Row(
        "strict", *augmented(_ALL4_TRIM, head_vote(_VOTE4_TRIM)),
        "the row above with every recording's leading and trailing silence cut "
        "first (TrimSilence: from the first to the last frame within 35 dB of "
        "the 99th-percentile frame energy; speed-perturbed copies are "
        "perturbed, then trimmed), so no head averages over the silence that "
        "fills 53 % of RAVDESS's frames and 11 % of TESS's",
        _PAPER,
    ),
    "compare-vote-speed speech-only (registry settings)": Row(
        "strict", *augmented(_ALL4_SPEECH, head_vote(_VOTE4_SPEECH)),
        "the trimmed row with the pauses inside each recording cut too "
        "(TrimSilence(pauses=True): the runs of active frames joined with 5 ms "
        "cross-fades) and every recording scaled to -25 dBFS RMS "
        "(LoudnessNormalizer; peak kept <= 0.99), so no head sees how long a "
        "speaker pauses or how loud the recording set-up was",
        _PAPER,
    ),
    "compare-vote-speed tempered (registry settings)": Row(
        "strict", *augmented(_ALL4_SPEECH, head_vote(_VOTE4_SPEECH, voting="tempered")),
        "the speech-only row with each head's probabilities tempered before the "
        "vote (TemperedVotingClassifier): the temperature minimises the log loss "
        "of the head's out-of-fold predictions over 5 folds of the training "
        "speakers (copies with their originals); with fewer than 3 training "
        "speakers (TESS LOSO, TESS -> RAVDESS) the heads are averaged untempered",
        _PAPER,
    ),
    "compare-vote-speed tempered + pitch copies (registry settings)": Row(
        "strict",
        *augmented(
            _ALL4_SPEECH, head_vote(_VOTE4_SPEECH, voting="tempered"),
            semitones=(2, -2),
        ),
        "the tempered row with two more copies of every training file, its pitch "
        "shifted 2 semitones up and down with the duration kept (librosa's phase "
        "vocoder), then cut to its speech and normalised like the speed copies",
        _PAPER,
    ),
    "vote4 + speed perturbation (registry settings)": Row(
        "strict", *augmented(_ALL3, head_vote(_VOTE4_FIXED)),
        "the registry-settings row plus a fourth head, shrinkage LDA (Ledoit-Wolf) "
        "on the same ComParE PCA 300; arithmetic soft vote",
        _PAPER,
    ),
    "vote4 geometric + speed perturbation (registry settings)": Row(
        "strict", *augmented(_ALL3, head_vote(_VOTE4_FIXED, voting="geometric")),
        "the row above with the four heads combined by the geometric mean of "
        "their probabilities (GeometricVotingClassifier) instead of the "
        "arithmetic mean",
        _PAPER,
    ),
    "registered compare-vote-speed (EmoBox fold 1 only)": Row(
        "strict", "paths", registered("compare-vote-speed", n_jobs=2),
        "get_pipeline('compare-vote-speed'), its first three-head version, "
        "fitted on the audio files of EmoBox "
        "fold 1 (test actors 1, 11, 20, 21; the vote's row has 0.590 there): "
        "speed-perturbed copies made and all features extracted inside the "
        "pipeline", _PAPER, folds=(0,),
    ),
    # ---- transductive ---------------------------------------------------
    "egemaps-logreg + speaker-norm": Row(
        "transductive", ("egemaps",),
        single(("egemaps",), "logreg_small", norm="transductive"),
        "eGeMAPS, each speaker standardised with its own statistics -> LogReg",
    ),
    "egemaps-svm-rbf + speaker-norm": Row(
        "transductive", ("egemaps",),
        single(("egemaps",), "svm_rbf", norm="transductive"),
        "eGeMAPS, per-speaker standardisation -> SVC RBF, C tuned",
    ),
    "vote mfcc+egemaps + speaker-norm": Row(
        "transductive", ("mfcc", "egemaps"), soft_vote(_VOTE2, norm="transductive"),
        "per-speaker standardisation, then the soft vote of two LogRegs",
    ),
    "compare-logreg + speaker-norm": Row(
        "transductive", ("compare",),
        single(("compare",), "logreg_large", norm="transductive", pca=300),
        "ComParE, per-speaker standardisation -> PCA 300 -> LogReg, C=0.001 fixed",
        _PAPER,
    ),
    "compare-logreg (C tuned) + speaker-norm": Row(
        "transductive", ("compare",),
        head(("compare",), "logreg_wide", norm="transductive", pca=300),
        "ComParE, per-speaker standardisation -> scaler -> PCA 300 -> LogReg, C "
        "tuned", _PAPER,
    ),
    "fusion compare+egemaps+mfcc + speaker-norm": Row(
        "transductive", _ALL3, head(_ALL3, "logreg_wide", norm="transductive", pca=300),
        "per-speaker standardisation of the three sets side by side -> scaler -> "
        "PCA 300 -> LogReg, C tuned", _PAPER,
    ),
    "vote compare+egemaps+mfcc + speaker-norm": Row(
        "transductive", _ALL3, head_vote(_VOTE3, norm="transductive"),
        "per-speaker standardisation, then the soft vote of the three LogRegs "
        "(ComParE C=0.001 fixed, eGeMAPS / MFCC C tuned)",
        _PAPER,
    ),
    "vote compare+egemaps+mfcc + speaker-norm + other corpus": Row(
        "transductive", _ALL3, head_vote(_VOTE3, norm="transductive"),
        "per-speaker standardisation (every speaker of both corpora with its own "
        "statistics), the three-head vote fitted on the training speakers plus "
        "the other corpus's speakers", _PAPER, extra=True,
    ),
    "vote compare+egemaps+mfcc + speaker-norm + self-training": Row(
        "transductive", _ALL3,
        head_vote(_VOTE3, norm="transductive", self_training=True),
        "per-speaker standardisation, the three-head vote, then one round of "
        "self-training on the test batch: refit with the most confident half "
        "of the test files and their predicted labels (TransductiveSelfTraining)",
        _PAPER,
    ),
    "compare-vote-enrol (registry settings)": Row(
        "transductive", _ALL3,
        head_vote(_VOTE3_FIXED, norm="transductive", self_training=True),
        "compare-vote-enrol as first registered (three heads), on cached "
        "features: the row above with eGeMAPS / MFCC C=0.1 fixed instead of tuned",
        _PAPER,
    ),
    "compare-vote-enrol + logmel (registry settings)": Row(
        "transductive", _ALL4,
        head_vote(_VOTE4_LOGMEL, norm="transductive", self_training=True),
        "the compare-vote-enrol row above plus the LogMelFunctionals head "
        "(scaler -> PCA 300 -> LogReg C=0.001), each speaker standardised with "
        "its own statistics, then self-training on the test batch",
        _PAPER,
    ),
    "compare-vote-enrol trimmed (registry settings)": Row(
        "transductive", _ALL4_TRIM,
        head_vote(_VOTE4_TRIM, norm="transductive", self_training=True),
        "the row above on the silence-trimmed recordings (TrimSilence first, "
        "as in 'compare-vote-speed trimmed (registry settings)')",
        _PAPER,
    ),
    "compare-vote-enrol speech-only (registry settings)": Row(
        "transductive", _ALL4_SPEECH,
        head_vote(_VOTE4_SPEECH, norm="transductive", self_training=True),
        "the enrolment row on the speech only at a fixed loudness "
        "(TrimSilence(pauses=True), LoudnessNormalizer, as in 'compare-vote-speed "
        "speech-only (registry settings)')",
        _PAPER,
    ),
    "vote compare+egemaps+mfcc + speaker-norm + other corpus + self-training": Row(
        "transductive", _ALL3,
        head_vote(_VOTE3, norm="transductive", self_training=True),
        "the two rows above together: other corpus's speakers in every training "
        "part, then self-training on the test batch", _PAPER, extra=True,
    ),
}


# --------------------------------------------------------------------------- #
# data
# --------------------------------------------------------------------------- #


def _sorted_bunch(b):
    order = np.argsort(b.data)
    return (
        np.asarray(b.data)[order],
        np.asarray(b.target)[order],
        np.asarray(b.groups)[order],
    )


class Data:
    """Paths, labels, speakers and cached feature matrices of one corpus."""

    def __init__(self, paths, y, groups, matrix_fn):
        self.paths, self.y, self.groups = paths, y, groups
        self._matrix_fn = matrix_fn

    def features(self, names):
        mats, blocks, start = [], {}, 0
        for n in names:
            m = self._matrix_fn(n)
            blocks[n] = slice(start, start + m.shape[1])
            start += m.shape[1]
            mats.append(m)
        return np.hstack(mats), blocks


def load_data(data_home, cache_dir, n_jobs):
    from sklearn_ser.datasets import load_cross_corpus, load_ravdess, load_tess

    rav = _sorted_bunch(load_ravdess(Path(data_home) / "ravdess_speech"))
    tess = _sorted_bunch(load_tess(Path(data_home) / "tess"))
    cache = {}

    def matrix(corpus, paths, name):
        key = (corpus, name)
        if key not in cache:
            t0 = time.perf_counter()
            compute = pitch_corpus_features if PITCH in name else corpus_features
            cache[key] = compute(list(paths), name, cache_dir=cache_dir, n_jobs=n_jobs)
            print(
                f"[features] {corpus} {name} {cache[key].shape} "
                f"{time.perf_counter() - t0:.1f}s",
                file=sys.stderr,
                flush=True,
            )
        return cache[key]

    out = {
        "ravdess": Data(*rav, lambda n: matrix("ravdess", rav[0], n)),
        "tess": Data(*tess, lambda n: matrix("tess", tess[0], n)),
    }
    cc = load_cross_corpus(
        ravdess_home=Path(data_home) / "ravdess_speech",
        tess_home=Path(data_home) / "tess",
    )
    index = {p: ("ravdess", i) for i, p in enumerate(rav[0])}
    index.update({p: ("tess", i) for i, p in enumerate(tess[0])})
    where = [index[str(p)] for p in cc.data]

    def cross_matrix(n):
        mats = {c: out[c]._matrix_fn(n) for c in ("ravdess", "tess")}
        return np.stack([mats[c][i] for c, i in where])

    out["cross"] = Data(
        np.asarray(cc.data), np.asarray(cc.target), np.asarray(cc.groups), cross_matrix
    )
    return out


# --------------------------------------------------------------------------- #
# evaluation loop
# --------------------------------------------------------------------------- #


def _consumes(est, method):
    try:
        return bool(est.get_metadata_routing().consumes(method, ["groups"]))
    except AttributeError:
        return False


def _find_search(est):
    """The (first) fitted search inside ``est`` (itself, a Pipeline step, a
    ``TrainCopies``' estimator), or None."""
    if hasattr(est, "best_params_"):
        return est
    inner = getattr(est, "estimator_", None)
    if inner is not None:
        return _find_search(inner)
    steps = getattr(est, "steps", None)
    if steps:
        return _find_search(steps[-1][1])
    return None


def _other_corpus(data, corpus, inputs):
    """(X, y, groups) of the other corpus's files whose emotion ``corpus``
    has, labels in ``corpus``'s names, speakers prefixed with the corpus."""
    from sklearn_ser.datasets import TESS_TO_RAVDESS

    if corpus not in ("ravdess", "tess"):
        raise ValueError(
            f"rows with extra=True need a single-corpus protocol, not {corpus!r}"
        )
    other = "tess" if corpus == "ravdess" else "ravdess"
    mapping = (
        TESS_TO_RAVDESS
        if other == "tess"
        else {v: k for k, v in TESS_TO_RAVDESS.items()}
    )
    d = data[other]
    y = np.array([mapping.get(v, v) for v in d.y])
    keep = np.isin(y, np.unique(data[corpus].y))
    X = d.paths if inputs == "paths" else d.features(inputs)[0]
    groups = np.array([f"{other}/{s}" for s in d.groups[keep]])
    return X[keep], y[keep], groups


def run_row(name, row, data, protocol, profile, seed=0, verbose=0):
    """Scores of one row on one protocol: per fold and mean ± std."""
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

    from sklearn_ser.model_selection import get_protocol

    corpus, proto = PROTOCOLS[protocol]
    d = data[corpus]
    if row.inputs == "paths":
        X, blocks = d.paths, None
    else:
        X, blocks = d.features(row.inputs)
    y, g = d.y, d.groups
    extra = _other_corpus(data, corpus, row.inputs) if row.extra else None
    folds = []
    for k, (tr, te) in enumerate(get_protocol(proto).split(X, y, g)):
        if row.folds is not None and k not in row.folds:
            continue
        t0 = time.perf_counter()
        est = row.build(profile=profile, blocks=blocks, seed=seed)
        if extra is not None:
            from sklearn_ser.augment import ExtraTrainingData

            est = ExtraTrainingData(est, *extra)
        fit_kw = {"groups": g[tr]} if _consumes(est, "fit") else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X[tr], y[tr], **fit_kw)
        model = getattr(est, "best_estimator_", est)
        pred_kw = {"groups": g[te]} if _consumes(model, "predict") else {}
        pred = np.asarray(model.predict(X[te], **pred_kw))
        fold = {
            "fold": k,
            "train_speakers": sorted(set(g[tr].tolist())),
            "test_speakers": sorted(set(g[te].tolist())),
            "n_train": int(len(tr)),
            "n_test": int(len(te)),
            "uar": float(balanced_accuracy_score(y[te], pred)),
            "war": float(accuracy_score(y[te], pred)),
            "f1_macro": float(f1_score(y[te], pred, average="macro")),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        search = _find_search(est)
        if search is not None:
            fold["best_params"] = {
                k2: float(v) for k2, v in search.best_params_.items()
            }
        assert not set(fold["train_speakers"]) & set(fold["test_speakers"])
        folds.append(fold)
        if verbose:
            print(
                f"  [{name} | {protocol}] fold {k}: UAR {fold['uar']:.3f} "
                f"({fold['seconds']}s)",
                file=sys.stderr,
                flush=True,
            )
    out = {"folds": folds}
    for m in ("uar", "war", "f1_macro"):
        vals = [f[m] for f in folds]
        out[m] = {"mean": float(np.mean(vals)), "std": float(np.std(vals))}
    return out


# --------------------------------------------------------------------------- #
# tables
# --------------------------------------------------------------------------- #


def _cell(res, metric="uar"):
    if res is None:
        return "-"
    s = res[metric]
    return f"{s['mean']:.3f} ± {s['std']:.3f}"


def _goal(protocol, regime, res):
    goal = GOALS.get((protocol, regime))
    if goal is None or res is None:
        return None
    return bool(res["uar"]["mean"] >= goal)


def merge(profile):
    """Rebuild the merged JSON + Markdown from every row file of ``profile``."""
    folder = ROW_DIR / profile
    rows = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    order = {n: i for i, n in enumerate(ROWS)}
    rows.sort(key=lambda r: (r["regime"] != "strict", order.get(r["row"], 999), r["row"]))
    protocols = list(PROTOCOLS)
    lines = [
        f"# Speaker-independent accuracy ({profile} profile)",
        "",
        f"Command: `python benchmarks/speaker_independent.py --profile {profile}`",
        "",
        "UAR (balanced accuracy), mean ± std over the folds of each protocol: "
        "emobox-ravdess = 6 EmoBox actor folds (8 emotions); tess-loso = train "
        "on one TESS speaker, test on the other, both ways (7 emotions); "
        "cross-corpus = RAVDESS -> TESS and TESS -> RAVDESS (7 shared emotions). "
        "Goals from issue 11: RAVDESS strict >= 0.65, transductive >= 0.70; "
        "TESS strict >= 0.55, transductive >= 0.70.",
        "",
    ]
    best = {}
    for regime, title in (
        ("strict", "Strict: nothing computed from the test speakers"),
        (
            "transductive",
            "Transductive: each test speaker standardised with its own "
            "unlabelled statistics (enrolment)",
        ),
    ):
        sel = [r for r in rows if r["regime"] == regime]
        if not sel:
            continue
        lines += [f"## {title}", ""]
        head = "| row | " + " | ".join(protocols) + " | description |"
        lines += [head, "|" + "---|" * (len(protocols) + 2)]
        for r in sel:
            cells = [_cell(r["results"].get(p)) for p in protocols]
            lines.append(f"| {r['row']} | " + " | ".join(cells) + f" | {r['description']} |")
            for p in protocols:
                res = r["results"].get(p)
                if res and (
                    (p, regime) not in best
                    or res["uar"]["mean"] > best[p, regime][1]["uar"]["mean"]
                ):
                    best[p, regime] = (r["row"], res)
        lines.append("")
    lines += [
        "## Goals (best row of each regime; selected on the test folds, so "
        "an optimistic summary of the table above)",
        "",
        "| protocol | regime | goal | best row | UAR | WAR | macro F1 | met | anchors (issue 11) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    goals = []
    for p in protocols:
        for regime in ("strict", "transductive"):
            if (p, regime) not in best:
                continue
            row, res = best[p, regime]
            goal = GOALS.get((p, regime))
            met = _goal(p, regime, res)
            goals.append(
                {"protocol": p, "regime": regime, "goal": goal, "best_row": row,
                 "uar": res["uar"], "met": met}
            )
            lines.append(
                f"| {p} | {regime} | {goal if goal else 'none'} | {row} | "
                f"{_cell(res)} | {_cell(res, 'war')} | {_cell(res, 'f1_macro')} | "
                f"{'-' if met is None else ('met' if met else 'not met')} | "
                f"{ANCHORS.get((p, regime), '')} |"
            )
    machines = {r["machine"]["cpu"] for r in rows}
    lines += ["", "## Machine (first row's run)", "", machine_markdown(rows[0]["machine"])]
    if len(machines) > 1:
        lines.append(f"- rows were run on: {sorted(machines)}")
    lines += [
        "",
        "Per-fold scores (UAR, WAR, macro F1, test speakers, tuned C) are in "
        f"`speaker_independent_{profile}.json` and `speaker_independent/{profile}/`.",
    ]
    md = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"speaker_independent_{profile}.md").write_text(md)
    (RESULTS / f"speaker_independent_{profile}.json").write_text(
        json.dumps({"profile": profile, "rows": rows, "goals": goals}, indent=1)
    )
    return md


# --------------------------------------------------------------------------- #
# command line
# --------------------------------------------------------------------------- #


def _slug(name):
    return "".join(c if c.isalnum() or c in "+-." else "_" for c in name).strip("_")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=(
            "Speaker-independent ablation (issue 11): every row on emobox-ravdess, "
            "tess-loso and cross-corpus; strict and transductive rows in separate "
            "tables. Results: benchmarks/results/speaker_independent_<profile>.{json,md}."
        )
    )
    ap.add_argument("--profile", choices=("quick", "paper"), default="quick",
                    help="quick: MFCC/eGeMAPS rows, fixed C; paper: every row, "
                    "C tuned by speaker-grouped inner CV")
    ap.add_argument("--rows", default=None,
                    help="comma-separated row names (default: every row of the profile)")
    ap.add_argument("--protocols", default=",".join(PROTOCOLS),
                    help=f"comma-separated subset of {list(PROTOCOLS)}")
    ap.add_argument("--data-home", default=os.environ.get("SER_DATA"),
                    help="folder holding ravdess_speech/ and tess/ (default $SER_DATA)")
    ap.add_argument("--cache-dir", default=str(DEFAULT_CACHE),
                    help="joblib.Memory folder for the feature matrices")
    ap.add_argument("--n-jobs", type=int, default=1,
                    help="threads for feature extraction (results do not depend on it)")
    ap.add_argument("--list", action="store_true", help="list the rows and exit")
    ap.add_argument("--merge-only", action="store_true",
                    help="only rebuild the merged table from the row files")
    ap.add_argument("-v", "--verbose", action="count", default=0)
    args = ap.parse_args(argv)

    if args.list:
        for n, r in ROWS.items():
            print(f"{n:45s} {r.regime:13s} {','.join(r.profiles):11s} {r.description}")
        return 0
    if args.merge_only:
        print(merge(args.profile))
        return 0
    if not args.data_home:
        ap.error("give --data-home or set SER_DATA")
    import sklearn

    sklearn.set_config(enable_metadata_routing=True)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    names = (
        [n.strip() for n in args.rows.split(",")]
        if args.rows
        else [n for n, r in ROWS.items() if args.profile in r.profiles]
    )
    unknown = [n for n in names if n not in ROWS]
    if unknown:
        ap.error(f"unknown rows {unknown}; see --list")
    protocols = [p.strip() for p in args.protocols.split(",")]
    data = load_data(args.data_home, args.cache_dir, args.n_jobs)
    folder = ROW_DIR / args.profile
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        row = ROWS[name]
        path = folder / f"{_slug(name)}.json"
        previous = json.loads(path.read_text()) if path.exists() else {"results": {}}
        record = {
            "row": name,
            "regime": row.regime,
            "description": row.description,
            "inputs": list(row.inputs) if row.inputs != "paths" else "paths",
            "profile": args.profile,
            "machine": machine_info(),
            "results": dict(previous.get("results", {})),
            "seconds": {},
        }
        mine = {}
        for p in protocols:
            if row.extra and PROTOCOLS[p][0] == "cross":
                continue
            t0 = time.perf_counter()
            res = run_row(name, row, data, p, args.profile, verbose=args.verbose)
            mine[p] = (res, round(time.perf_counter() - t0, 1))
            if path.exists():
                # another run of this row (other protocols) may have written
                # since this one started: keep its results
                on_disk = json.loads(path.read_text())
                record["results"] = dict(on_disk.get("results", {}))
                record["seconds"] = dict(on_disk.get("seconds", {}))
            for q, (r_q, sec_q) in mine.items():
                record["results"][q] = r_q
                record["seconds"][q] = sec_q
            print(
                f"{name:45s} {p:15s} UAR {_cell(res)} ({record['seconds'][p]}s, "
                f"load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
            path.write_text(json.dumps(record, indent=1))
    print(merge(args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
