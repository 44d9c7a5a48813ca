"""Speaker-independent splitters that draw whole speakers: :class:`SpeakerHoldout`
(one train/validation/test split) and :class:`SpeakerKFold` (k folds).

Both fall back to leave-one-speaker-out when a corpus has too few speakers
(TESS has two), with a :class:`SpeakerIndependenceWarning`.
"""

import warnings

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, train_test_split
from sklearn.utils import check_random_state

from ._split import (
    SpeakerIndependenceWarning,
    _BaseSplitter,
    _check_fraction,
    _speakers,
    _stratify_or_none,
    _two_speaker_text,
)

__all__ = ["SpeakerHoldout", "SpeakerKFold"]


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
        groups, speakers = _speakers(X, y, groups)
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
        groups, speakers = _speakers(X, y, groups)
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
        yy = np.zeros(len(groups)) if y is None else np.asarray(y)
        for train, test in cv.split(np.zeros((len(groups), 1)), yy, groups):
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
