"""Splitters for the papers' protocols and their speaker-independent versions.

All splitters follow scikit-learn's CV-splitter interface (``split(X, y,
groups)`` yielding ``(train, test)`` index arrays and ``get_n_splits``), so
they can be given as ``cv=`` to ``cross_validate``, ``GridSearchCV`` or
``BayesSearchCV``. Those with a validation part also have
``split_with_validation(X, y, groups)`` yielding ``(train, validation,
test)``; their plain ``split`` yields ``(train, test)`` with the validation
indices left out of both (they are never trained on, never tested on).

Speaker-independent splitters take ``groups`` = speaker ids and never put the
same speaker on both sides of a split. When a corpus has fewer speakers than
a splitter needs (TESS has two), they fall back to leave-one-speaker-out —
with two speakers: train on one, test on the other, then the reverse — emit
a :class:`SpeakerIndependenceWarning` and say so in :meth:`explain`.
"""

import warnings

import numpy as np
from sklearn.model_selection import (
    KFold,
    LeaveOneGroupOut,
    StratifiedGroupKFold,
    StratifiedKFold,
    train_test_split,
)
from sklearn.utils import check_random_state

__all__ = [
    "FileKFold",
    "LeaveOneSpeakerOut",
    "RandomHoldout",
    "SpeakerHoldout",
    "SpeakerIndependenceWarning",
    "SpeakerKFold",
]


class SpeakerIndependenceWarning(UserWarning):
    """A speaker-independent protocol had to be weakened for this corpus."""


def _check_fraction(name, value, *, allow_zero=False):
    lo_ok = value >= 0 if allow_zero else value > 0
    if not (isinstance(value, (int, float, np.floating)) and lo_ok and value < 1):
        raise ValueError(
            f"{name} must be a fraction in {'[0' if allow_zero else '(0'}, 1). "
            f"Received: {name}={value!r}"
        )


def _check_groups(groups, n_samples):
    if groups is None:
        raise ValueError(
            "This splitter is speaker-independent and needs groups (one speaker "
            "id per sample). Received: groups=None"
        )
    groups = np.asarray(groups)
    if groups.shape != (n_samples,):
        raise ValueError(
            f"groups must have one speaker id per sample ({n_samples}). "
            f"Received: groups with shape {groups.shape}"
        )
    return groups


def _n_samples(X, y, groups):
    for a in (X, y, groups):
        if a is not None:
            return len(a)
    raise ValueError("split needs X, y or groups")


def _stratify_or_none(y, test_count, n_samples):
    """``y`` when a stratified split is possible, else ``None``."""
    if y is None:
        return None
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if (
        counts.min() < 2
        or test_count < len(counts)
        or n_samples - test_count < len(counts)
    ):
        return None
    return np.asarray(y)


def _two_speaker_text(speakers):
    a, b = (_plain(s) for s in speakers)
    return (
        f"only 2 speakers ({a!r}, {b!r}): speaker-independent evaluation here means "
        f"training on one speaker and testing on the other, then the reverse "
        f"(leave-one-speaker-out, 2 folds). Scores measure transfer between these "
        f"two voices only, not generalisation to new speakers in general."
    )


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def _groups_request(owner):
    """Metadata routing: a splitter consumes ``groups`` in ``split``.

    Lets scikit-learn route ``groups`` to our splitters when metadata routing
    is enabled (``cross_validate(..., params={"groups": g})``), as it does
    for its own group splitters.
    """
    from sklearn.utils.metadata_routing import MetadataRequest

    request = MetadataRequest(owner=owner)
    request.split.add_request(param="groups", alias=True)
    return request


class _BaseSplitter:
    """Shared behaviour: ``split`` derived from ``split_with_validation``."""

    def get_metadata_routing(self):
        return _groups_request(type(self).__name__)

    def split(self, X=None, y=None, groups=None):
        for train, _val, test in self.split_with_validation(X, y, groups):
            yield train, test

    def explain(self, groups=None):
        """Plain-text notes on how this splitter treats these ``groups``."""
        return []

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class RandomHoldout(_BaseSplitter):
    """One random train/(validation)/test split over files (the papers' protocol).

    Speakers are ignored, so with speaker-labelled corpora the same voices
    are in training and test (S0's 67/33 and 80/20, S2's 65/10/25).

    Parameters
    ----------
    test_size : float, default=0.33
        Fraction of all samples in the test part.
    validation_size : float, default=0.0
        Fraction of all samples in the validation part (S2: 0.10).
    stratify : bool, default=False
        Keep class proportions in every part (S2 does; S0 does not say).
    random_state : int, RandomState or None, default=0

    Examples
    --------
    >>> import numpy as np
    >>> y = np.repeat(["a", "b"], 10)
    >>> tr, va, te = next(RandomHoldout(test_size=0.25, validation_size=0.1,
    ...                                 stratify=True).split_with_validation(y=y))
    >>> len(tr), len(va), len(te)
    (13, 2, 5)
    """

    def __init__(
        self, *, test_size=0.33, validation_size=0.0, stratify=False, random_state=0
    ):
        self.test_size = test_size
        self.validation_size = validation_size
        self.stratify = stratify
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return 1

    def split_with_validation(self, X=None, y=None, groups=None):
        _check_fraction("test_size", self.test_size)
        _check_fraction("validation_size", self.validation_size, allow_zero=True)
        if self.test_size + self.validation_size >= 1:
            raise ValueError(
                "test_size + validation_size must be < 1. Received: "
                f"test_size={self.test_size}, validation_size={self.validation_size}"
            )
        n = _n_samples(X, y, groups)
        idx = np.arange(n)
        rs = check_random_state(self.random_state)
        n_test = int(round(self.test_size * n))
        strat = _stratify_or_none(y, n_test, n) if self.stratify else None
        rest, test = train_test_split(
            idx, test_size=n_test, stratify=strat, random_state=rs
        )
        val = np.array([], dtype=int)
        if self.validation_size > 0:
            n_val = int(round(self.validation_size * n))
            strat = None
            if self.stratify and y is not None:
                strat = _stratify_or_none(np.asarray(y)[rest], n_val, len(rest))
            rest, val = train_test_split(
                rest, test_size=n_val, stratify=strat, random_state=rs
            )
        yield np.sort(rest), np.sort(val), np.sort(test)

    def explain(self, groups=None):
        notes = [
            "random split over files: the same speakers appear in training and "
            "test, so scores include speaker recognition (the papers' protocol)."
        ]
        return notes


class FileKFold(_BaseSplitter):
    """k-fold cross-validation over files (S4), stratified by class by default.

    Parameters
    ----------
    n_splits : int, default=5
    stratify : bool, default=True
    shuffle : bool, default=True
    random_state : int or None, default=0
    """

    def __init__(self, n_splits=5, *, stratify=True, shuffle=True, random_state=0):
        self.n_splits = n_splits
        self.stratify = stratify
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def _cv(self):
        rs = self.random_state if self.shuffle else None
        cls = StratifiedKFold if self.stratify else KFold
        return cls(self.n_splits, shuffle=self.shuffle, random_state=rs)

    def split_with_validation(self, X=None, y=None, groups=None):
        n = _n_samples(X, y, groups)
        Xd = np.zeros((n, 1))
        empty = np.array([], dtype=int)
        for train, test in self._cv().split(Xd, y if self.stratify else None):
            yield train, empty, test

    def explain(self, groups=None):
        return [
            f"{self.n_splits}-fold cross-validation over files: the same speakers "
            "appear in training and test folds (the papers' protocol)."
        ]


class LeaveOneSpeakerOut(_BaseSplitter):
    """Each speaker is the test set once; all other speakers train.

    With two speakers (TESS) this is the only speaker-independent protocol
    there is: train on one voice, test on the other, then the reverse.
    """

    def get_n_splits(self, X=None, y=None, groups=None):
        if groups is None:
            raise ValueError("LeaveOneSpeakerOut needs groups. Received: groups=None")
        return len(np.unique(groups))

    def split_with_validation(self, X=None, y=None, groups=None):
        n = _n_samples(X, y, groups)
        groups = _check_groups(groups, n)
        speakers = np.unique(groups)
        if len(speakers) < 2:
            raise ValueError(
                "Speaker-independent evaluation needs at least 2 speakers. "
                f"Received: groups with 1 speaker ({speakers[0]!r})"
            )
        empty = np.array([], dtype=int)
        for train, test in LeaveOneGroupOut().split(np.zeros((n, 1)), None, groups):
            yield train, empty, test

    def explain(self, groups=None):
        if groups is not None and len(np.unique(groups)) == 2:
            return [_two_speaker_text(list(np.unique(groups)))]
        return [
            "leave-one-speaker-out: each speaker is tested once by a model "
            "trained on all the others."
        ]


def _fallback_loso(groups, validation_size, y, random_state, reason):
    """Leave-one-speaker-out with validation drawn from the training files."""
    speakers = np.unique(groups)
    warnings.warn(reason, SpeakerIndependenceWarning, stacklevel=3)
    rs = check_random_state(random_state)
    for test_speaker in speakers:
        test = np.flatnonzero(groups == test_speaker)
        train = np.flatnonzero(groups != test_speaker)
        val = np.array([], dtype=int)
        if validation_size > 0:
            n_val = max(1, int(round(validation_size * len(groups))))
            strat = None
            if y is not None:
                strat = _stratify_or_none(np.asarray(y)[train], n_val, len(train))
            train, val = train_test_split(
                train, test_size=n_val, stratify=strat, random_state=rs
            )
        yield np.sort(train), np.sort(val), test


class SpeakerHoldout(_BaseSplitter):
    """One speaker-independent train/(validation)/test split.

    Whole speakers go to each part. Give either fractions of the speakers
    (``test_size``, ``validation_size``) or counts (``n_test_speakers``,
    ``n_validation_speakers``; S1 uses 10 and 10 of CREMA-D's 91 actors).
    Among ``n_candidates`` random speaker draws the one whose per-part class
    proportions are closest to the whole corpus is kept (stratification by
    class as far as whole speakers allow).

    Counts that would leave fewer training speakers than held-out ones are
    scaled by ``n_speakers / reference_speakers`` (at least one speaker per
    part), with a :class:`SpeakerIndependenceWarning`: S1's 10/10 of 91 becomes
    3/3/18 on RAVDESS's 24 actors. With 2 speakers it falls back to
    leave-one-speaker-out (2 folds for TESS), drawing any validation part
    from the training speaker's files, with a
    :class:`SpeakerIndependenceWarning`; :meth:`explain` says the same.

    Parameters
    ----------
    test_size : float, default=0.33
        Fraction of speakers tested (rounded, at least one).
    validation_size : float, default=0.0
    n_test_speakers, n_validation_speakers : int or None
        Counts overriding the fractions.
    reference_speakers : int or None
        Corpus size the counts were chosen for (S1: 91 CREMA-D actors);
        default ``2 * (n_test_speakers + n_validation_speakers)``.
    n_candidates : int, default=50
    random_state : int or None, default=0
    """

    def __init__(
        self,
        *,
        test_size=0.33,
        validation_size=0.0,
        n_test_speakers=None,
        n_validation_speakers=None,
        reference_speakers=None,
        n_candidates=50,
        random_state=0,
    ):
        self.reference_speakers = reference_speakers
        self.test_size = test_size
        self.validation_size = validation_size
        self.n_test_speakers = n_test_speakers
        self.n_validation_speakers = n_validation_speakers
        self.n_candidates = n_candidates
        self.random_state = random_state

    def _wants_validation(self):
        if self.n_validation_speakers is not None:
            return self.n_validation_speakers > 0
        return self.validation_size > 0

    def _counts(self, n_speakers):
        """(n_test, n_val, scaled) for this many speakers."""
        if self.n_test_speakers is not None:
            n_test, n_val = (
                int(self.n_test_speakers),
                int(self.n_validation_speakers or 0),
            )
            if n_test < 1 or n_val < 0:
                raise ValueError(
                    "n_test_speakers must be >= 1 and n_validation_speakers >= 0. "
                    f"Received: n_test_speakers={self.n_test_speakers}, "
                    f"n_validation_speakers={self.n_validation_speakers}"
                )
            if n_speakers - n_test - n_val >= n_test + n_val:
                return n_test, n_val, False
            total = self.reference_speakers or 2 * (n_test + n_val)
            frac_t, frac_v = n_test / total, n_val / total
        else:
            _check_fraction("test_size", self.test_size)
            _check_fraction("validation_size", self.validation_size, allow_zero=True)
            frac_t, frac_v = self.test_size, self.validation_size
        n_test = max(1, int(round(frac_t * n_speakers)))
        n_val = max(1, int(round(frac_v * n_speakers))) if frac_v > 0 else 0
        while n_test + n_val >= n_speakers and n_test > 1:
            n_test -= 1
        while n_test + n_val >= n_speakers and n_val > 1:
            n_val -= 1
        return n_test, n_val, self.n_test_speakers is not None

    def get_n_splits(self, X=None, y=None, groups=None):
        if groups is not None and self._falls_back(len(np.unique(groups))):
            return len(np.unique(groups))
        return 1

    def _val_fraction(self):
        if self.n_test_speakers is not None:
            n_val = int(self.n_validation_speakers or 0)
            total = self.reference_speakers or 2 * (int(self.n_test_speakers) + n_val)
            return n_val / total
        return self.validation_size

    def _falls_back(self, n_speakers):
        return n_speakers == 2

    def split_with_validation(self, X=None, y=None, groups=None):
        n = _n_samples(X, y, groups)
        groups = _check_groups(groups, n)
        speakers = np.unique(groups)
        if len(speakers) < 2:
            raise ValueError(
                "Speaker-independent evaluation needs at least 2 speakers. "
                f"Received: groups with 1 speaker ({speakers[0]!r})"
            )
        if self._falls_back(len(speakers)):
            yield from _fallback_loso(
                groups,
                self._val_fraction(),
                y,
                self.random_state,
                self.explain(groups)[0],
            )
            return
        n_test, n_val, scaled = self._counts(len(speakers))
        if scaled:
            warnings.warn(
                self.explain(groups)[0], SpeakerIndependenceWarning, stacklevel=2
            )
        rs = check_random_state(self.random_state)
        y_arr = None if y is None else np.asarray(y)
        best, best_cost = None, np.inf
        for _ in range(max(1, int(self.n_candidates))):
            perm = rs.permutation(speakers)
            parts = (
                perm[:n_test],
                perm[n_test : n_test + n_val],
                perm[n_test + n_val :],
            )
            masks = [np.isin(groups, p) for p in parts]
            cost = 0.0
            if y_arr is not None:
                classes, total = np.unique(y_arr, return_counts=True)
                ref = total / total.sum()
                for m in masks:
                    if m.any():
                        cnt = np.array([(y_arr[m] == c).sum() for c in classes])
                        cost += np.abs(cnt / cnt.sum() - ref).sum()
            if cost < best_cost:
                best, best_cost = masks, cost
        test_m, val_m, train_m = best
        yield np.flatnonzero(train_m), np.flatnonzero(val_m), np.flatnonzero(test_m)

    def explain(self, groups=None):
        if groups is None:
            return ["whole speakers go to training, validation and test."]
        speakers = np.unique(groups)
        if len(speakers) == 2:
            text = _two_speaker_text(list(speakers))
            if self._wants_validation():
                text += (
                    " The validation files are drawn from the training "
                    "speaker's files (not speaker-independent from training)."
                )
            return [text]
        n_test, n_val, scaled = self._counts(len(speakers))
        base = (
            f"speaker-independent holdout: {n_test} test speakers, {n_val} "
            f"validation speakers, {len(speakers) - n_test - n_val} training "
            f"speakers of {len(speakers)}; no speaker is in two parts."
        )
        if scaled:
            base = (
                f"{len(speakers)} speakers are too few for "
                f"{self.n_test_speakers} test + {self.n_validation_speakers} "
                f"validation speakers with a training majority; the counts "
                f"were scaled by {len(speakers)}/"
                f"{self.reference_speakers or 2 * (self.n_test_speakers + (self.n_validation_speakers or 0))}. "
                + base
            )
        return [base]


class SpeakerKFold(_BaseSplitter):
    """k-fold cross-validation over speakers, stratified by class where possible.

    Wraps :class:`~sklearn.model_selection.StratifiedGroupKFold`. With fewer
    speakers than ``n_splits`` it becomes leave-one-speaker-out (a
    :class:`SpeakerIndependenceWarning` says so); with two speakers that is
    train-on-one, test-on-the-other, twice.

    Parameters
    ----------
    n_splits : int, default=5
    validation_size : float, default=0.0
        When > 0, about this fraction of all speakers (at least one) is moved
        from each training fold to a validation part.
    shuffle : bool, default=True
    random_state : int or None, default=0
    """

    def __init__(
        self, n_splits=5, *, validation_size=0.0, shuffle=True, random_state=0
    ):
        self.n_splits = n_splits
        self.validation_size = validation_size
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        if groups is not None:
            return min(self.n_splits, len(np.unique(groups)))
        return self.n_splits

    def split_with_validation(self, X=None, y=None, groups=None):
        if not isinstance(self.n_splits, (int, np.integer)) or self.n_splits < 2:
            raise ValueError(
                f"n_splits must be an int >= 2. Received: n_splits={self.n_splits!r}"
            )
        _check_fraction("validation_size", self.validation_size, allow_zero=True)
        n = _n_samples(X, y, groups)
        groups = _check_groups(groups, n)
        speakers = np.unique(groups)
        if len(speakers) < 2:
            raise ValueError(
                "Speaker-independent evaluation needs at least 2 speakers. "
                f"Received: groups with 1 speaker ({speakers[0]!r})"
            )
        if len(speakers) < self.n_splits or (
            self.validation_size > 0 and len(speakers) < 3
        ):
            yield from _fallback_loso(
                groups,
                self.validation_size,
                y,
                self.random_state,
                self.explain(groups)[0],
            )
            return
        rs = check_random_state(self.random_state)
        cv = StratifiedGroupKFold(
            self.n_splits,
            shuffle=self.shuffle,
            random_state=self.random_state if self.shuffle else None,
        )
        yy = np.zeros(n) if y is None else np.asarray(y)
        for train, test in cv.split(np.zeros((n, 1)), yy, groups):
            val = np.array([], dtype=int)
            if self.validation_size > 0:
                train_speakers = np.unique(groups[train])
                n_val = max(1, int(round(self.validation_size * len(speakers))))
                n_val = min(n_val, len(train_speakers) - 1)
                chosen = rs.choice(train_speakers, n_val, replace=False)
                vmask = np.isin(groups[train], chosen)
                val, train = train[vmask], train[~vmask]
            yield train, val, test

    def explain(self, groups=None):
        if groups is None:
            return [f"{self.n_splits}-fold cross-validation over speakers."]
        speakers = np.unique(groups)
        if len(speakers) == 2:
            return [_two_speaker_text(list(speakers))]
        if len(speakers) < self.n_splits:
            return [
                f"only {len(speakers)} speakers for {self.n_splits} folds: using "
                f"leave-one-speaker-out ({len(speakers)} folds) instead."
            ]
        return [
            f"{self.n_splits}-fold cross-validation over {len(speakers)} speakers "
            "(StratifiedGroupKFold): no speaker is in training and test of a fold."
        ]
