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

This module holds the shared checks, the base class and the simple splitters;
the speaker-drawing ones (:class:`SpeakerHoldout`, :class:`SpeakerKFold`) are
in :mod:`._speaker_split`.
"""

import numpy as np
from sklearn.model_selection import (
    KFold,
    LeaveOneGroupOut,
    StratifiedKFold,
    train_test_split,
)
from sklearn.utils import check_random_state

from ..utils._groups import check_groups_shape
from ..utils._moved import moved_names
from ..utils._validation import to_builtin

__all__ = [
    "FileKFold",
    "LeaveOneSpeakerOut",
    "RandomHoldout",
    "SpeakerIndependenceWarning",
]

# Classes that lived here in sklearn-ser 0.1: model files saved then name
# this module (see sklearn_ser/utils/_moved.py).
__getattr__ = moved_names(
    __name__,
    {
        "SpeakerHoldout": "sklearn_ser.model_selection._speaker_split",
        "SpeakerKFold": "sklearn_ser.model_selection._speaker_split",
    },
)


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
    return check_groups_shape(groups, n_samples)


def _n_samples(X, y, groups):
    for a in (X, y, groups):
        if a is not None:
            return len(a)
    raise ValueError("split needs X, y or groups")


def _speakers(X, y, groups):
    """Checked ``groups`` and its sorted unique speakers (at least 2)."""
    groups = _check_groups(groups, _n_samples(X, y, groups))
    speakers = np.unique(groups)
    if len(speakers) < 2:
        raise ValueError(
            "Speaker-independent evaluation needs at least 2 speakers. "
            f"Received: groups with 1 speaker ({speakers[0]!r})"
        )
    return groups, speakers


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
    a, b = (to_builtin(s) for s in speakers)
    return (
        f"only 2 speakers ({a!r}, {b!r}): speaker-independent evaluation here means "
        f"training on one speaker and testing on the other, then the reverse "
        f"(leave-one-speaker-out, 2 folds). Scores measure transfer between these "
        f"two voices only, not generalisation to new speakers in general."
    )


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
        groups, speakers = _speakers(X, y, groups)
        empty = np.array([], dtype=int)
        for train, test in LeaveOneGroupOut().split(np.zeros((len(groups), 1)), None, groups):
            yield train, empty, test

    def explain(self, groups=None):
        if groups is not None and len(np.unique(groups)) == 2:
            return [_two_speaker_text(list(np.unique(groups)))]
        return [
            "leave-one-speaker-out: each speaker is tested once by a model "
            "trained on all the others."
        ]
