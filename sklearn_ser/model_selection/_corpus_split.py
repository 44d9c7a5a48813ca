"""Fixed speaker folds (EmoBox RAVDESS) and cross-corpus splits.

Both follow scikit-learn's CV-splitter interface (``split(X, y, groups)``,
``get_n_splits``) plus the toolkit's ``split_with_validation`` and
``explain``, so they work as ``cv=`` in ``cross_validate`` and the searches
and as ``protocol=`` in :func:`~sklearn_ser.model_selection.evaluate`.
"""

import re
import warnings

import numpy as np

from ._split import (
    FileKFold,
    SpeakerIndependenceWarning,
    SpeakerKFold,
    _BaseSplitter,
    _check_groups,
    _n_samples,
)

__all__ = [
    "EMOBOX_RAVDESS_FOLDS",
    "CrossCorpusSplit",
    "InnerSpeakerKFold",
    "PredefinedSpeakerFolds",
    "corpus_of",
]

#: Test actors of each of the six EmoBox RAVDESS folds (Ma et al., Interspeech
#: 2024, ``data/ravdess``); every actor is tested exactly once.
EMOBOX_RAVDESS_FOLDS = (
    (1, 11, 20, 21),
    (4, 10, 12, 14),
    (8, 9, 19, 23),
    (3, 5, 7, 24),
    (2, 15, 16, 18),
    (6, 13, 17, 22),
)

_TRAILING_INT = re.compile(r"(\d+)$")


def _speaker_key(value):
    """Integer speaker number of ``3``, ``"03"`` or ``"Actor_03"``; else the str."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    text = str(value.item() if isinstance(value, np.generic) else value)
    m = _TRAILING_INT.search(text)
    return int(m.group(1)) if m else text


class PredefinedSpeakerFolds(_BaseSplitter):
    """Cross-validation over a fixed list of test-speaker sets.

    Fold ``k`` tests on the speakers ``test_speakers[k]`` and trains on every
    other speaker present, so published speaker folds (EmoBox's six RAVDESS
    folds, :data:`EMOBOX_RAVDESS_FOLDS`) can be reproduced exactly. Speaker
    ids are matched by their trailing number when both sides have one
    (``1``, ``"01"`` and ``"Actor_01"`` are the same speaker), else as
    strings.

    Parameters
    ----------
    test_speakers : sequence of sequences
        The test speakers of each fold.

    Examples
    --------
    >>> import numpy as np
    >>> groups = np.repeat(["Actor_01", "Actor_02", "Actor_03"], 2)
    >>> cv = PredefinedSpeakerFolds([[1], [2, 3]])
    >>> [test.tolist() for _, test in cv.split(groups=groups)]
    [[0, 1], [2, 3, 4, 5]]
    """

    def __init__(self, test_speakers):
        self.test_speakers = test_speakers

    def _folds(self):
        folds = [tuple(_speaker_key(s) for s in fold) for fold in self.test_speakers]
        if not folds or any(len(f) == 0 for f in folds):
            raise ValueError(
                "test_speakers must be a non-empty list of non-empty speaker "
                f"lists. Received: test_speakers={self.test_speakers!r}"
            )
        flat = [s for f in folds for s in f]
        if len(set(flat)) != len(flat):
            raise ValueError(
                "A speaker is in the test set of two folds. "
                f"Received: test_speakers={self.test_speakers!r}"
            )
        return folds

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.test_speakers)

    def split_with_validation(self, X=None, y=None, groups=None):
        folds = self._folds()
        n = _n_samples(X, y, groups)
        groups = _check_groups(groups, n)
        keys = np.array([_speaker_key(g) for g in groups], dtype=object)
        present = set(keys.tolist())
        missing = [s for f in folds for s in f if s not in present]
        if missing:
            raise ValueError(
                f"Test speakers {missing} of the predefined folds are not in "
                f"groups (speakers present: {sorted(present, key=str)}). "
                "Received: groups without them"
            )
        empty = np.array([], dtype=int)
        for fold in folds:
            test_mask = np.isin(keys, np.array(fold, dtype=object))
            yield np.flatnonzero(~test_mask), empty, np.flatnonzero(test_mask)

    def explain(self, groups=None):
        n_spk = "" if groups is None else f" of {len(np.unique(groups))}"
        return [
            f"{len(self.test_speakers)} predefined speaker folds{n_spk} speakers "
            "(each fold's test speakers are fixed; no speaker is in training and "
            "test of a fold)."
        ]


def corpus_of(groups, *, separator="/"):
    """The corpus part of ``"<corpus>/<speaker>"`` group ids.

    Parameters
    ----------
    groups : array-like of str
    separator : str, default="/"

    Returns
    -------
    ndarray of str

    Examples
    --------
    >>> corpus_of(["RAVDESS/Actor_01", "TESS/OAF"]).tolist()
    ['RAVDESS', 'TESS']
    """
    out = []
    for g in np.asarray(groups).tolist():
        text = str(g)
        if separator not in text:
            raise ValueError(
                "Cross-corpus groups must be '<corpus>" + separator + "<speaker>' "
                "strings (see sklearn_ser.datasets.load_cross_corpus), or give "
                f"the corpus of each sample as corpus=. Received: group {g!r}"
            )
        out.append(text.split(separator, 1)[0])
    return np.asarray(out)


class CrossCorpusSplit(_BaseSplitter):
    """Train on one corpus, test on another: every ordered pair of corpora.

    With two corpora (RAVDESS and TESS) there are two splits: train on the
    first, test on the second, then the reverse. The corpus of each sample
    is given like :class:`~sklearn.model_selection.PredefinedSplit`'s
    ``test_fold`` (``corpus=`` array, one entry per sample), or, when
    ``corpus=None``, read from the speaker ``groups`` written as
    ``"<corpus>/<speaker>"`` (what
    :func:`~sklearn_ser.datasets.load_cross_corpus` returns), so the same
    groups also identify speakers for speaker normalisation and
    speaker-grouped inner tuning.

    Parameters
    ----------
    corpus : array-like of shape (n_samples,) or None, default=None
    pairs : sequence of (train_corpus, test_corpus) or None, default=None
        Which directions to run, in order; default every ordered pair in
        sorted corpus order.

    Examples
    --------
    >>> groups = ["RAVDESS/Actor_01", "RAVDESS/Actor_02", "TESS/OAF"]
    >>> [(tr.tolist(), te.tolist()) for tr, te in CrossCorpusSplit().split(groups=groups)]
    [([0, 1], [2]), ([2], [0, 1])]
    """

    def __init__(self, corpus=None, *, pairs=None):
        self.corpus = corpus
        self.pairs = pairs

    def _corpus(self, n, groups):
        if self.corpus is not None:
            corpus = np.asarray(self.corpus)
            if corpus.shape != (n,):
                raise ValueError(
                    f"corpus must have one entry per sample ({n}). "
                    f"Received: corpus with shape {corpus.shape}"
                )
            return corpus
        return corpus_of(_check_groups(groups, n))

    def _pairs(self, names):
        if self.pairs is None:
            return [(a, b) for a in names for b in names if a != b]
        pairs = [tuple(p) for p in self.pairs]
        for a, b in pairs:
            if a not in names or b not in names or a == b:
                raise ValueError(
                    f"pairs must name two different corpora among {list(names)}. "
                    f"Received: pair {(a, b)!r}"
                )
        return pairs

    def get_n_splits(self, X=None, y=None, groups=None):
        if self.pairs is not None:
            return len(self.pairs)
        if self.corpus is not None:
            k = len(np.unique(self.corpus))
        elif groups is not None:
            k = len(np.unique(corpus_of(groups)))
        else:
            k = 2
        return k * (k - 1)

    def split_with_validation(self, X=None, y=None, groups=None):
        n = _n_samples(X, y, groups)
        corpus = self._corpus(n, groups)
        names = sorted(np.unique(corpus).tolist())
        if len(names) < 2:
            raise ValueError(
                "Cross-corpus evaluation needs at least 2 corpora. "
                f"Received: only {names!r}"
            )
        empty = np.array([], dtype=int)
        for a, b in self._pairs(names):
            yield np.flatnonzero(corpus == a), empty, np.flatnonzero(corpus == b)

    def explain(self, groups=None):
        text = (
            "cross-corpus: train on all files of one corpus, test on all files "
            "of another (every ordered pair); no speaker, recording set-up or "
            "text is shared."
        )
        if groups is not None and self.corpus is None:
            names = sorted(np.unique(corpus_of(groups)).tolist())
            text += f" Corpora: {', '.join(names)}."
        return [text]


class InnerSpeakerKFold(_BaseSplitter):
    """Inner (tuning) cross-validation grouped by speaker, for any speaker count.

    Meant as the ``cv`` of a ``GridSearchCV`` / ``BayesSearchCV`` run inside
    the training part of an outer speaker-independent split, so that
    hyper-parameters are chosen on speakers the candidate model was not
    trained on: :class:`SpeakerKFold` (stratified group folds; with fewer
    speakers than ``n_splits``, leave-one-speaker-out). A training part with a single
    speaker (TESS leave-one-speaker-out) cannot be split by speaker; it is
    then split by files (:class:`FileKFold`, stratified) with a
    :class:`SpeakerIndependenceWarning`. Either way nothing of the outer
    test speakers is involved, since they are not in the data it splits.

    Parameters
    ----------
    n_splits : int, default=3
    random_state : int or None, default=0
        Seed of the (shuffled) stratified group folds.

    Examples
    --------
    >>> import numpy as np
    >>> g = np.repeat([1, 2, 3, 4], 4); y = np.tile([0, 1], 8)
    >>> [np.unique(g[te]).tolist() for _, te in InnerSpeakerKFold(2).split(y=y, groups=g)]
    [[2, 3], [1, 4]]
    """

    def __init__(self, n_splits=3, *, random_state=0):
        self.n_splits = n_splits
        self.random_state = random_state

    def _grouped(self):
        return SpeakerKFold(self.n_splits, random_state=self.random_state)

    def get_n_splits(self, X=None, y=None, groups=None):
        if groups is not None and len(np.unique(groups)) >= 2:
            return self._grouped().get_n_splits(X, y, groups)
        return self.n_splits

    def split_with_validation(self, X=None, y=None, groups=None):
        n = _n_samples(X, y, groups)
        groups = _check_groups(groups, n)
        if len(np.unique(groups)) >= 2:
            with warnings.catch_warnings():
                # fewer speakers than folds: leave-one-speaker-out, as intended
                warnings.simplefilter("ignore", SpeakerIndependenceWarning)
                yield from self._grouped().split_with_validation(X, y, groups)
            return
        warnings.warn(
            "InnerSpeakerKFold: the data holds one speaker, so the inner "
            f"folds split its files ({self.n_splits}-fold stratified), "
            "not speakers.",
            SpeakerIndependenceWarning,
            stacklevel=2,
        )
        yield from FileKFold(
            self.n_splits, random_state=self.random_state
        ).split_with_validation(X, y, groups)
