"""Named evaluation protocols: the papers' splits and their honest versions."""

from dataclasses import dataclass, field

from ._corpus_split import (
    EMOBOX_RAVDESS_FOLDS,
    CrossCorpusSplit,
    PredefinedSpeakerFolds,
)
from ._split import (
    FileKFold,
    LeaveOneSpeakerOut,
    RandomHoldout,
    SpeakerHoldout,
    SpeakerKFold,
    _groups_request,
)

__all__ = ["Protocol", "get_protocol", "list_protocols", "PROTOCOL_ALIASES"]


@dataclass
class Protocol:
    """A named splitter with its provenance.

    A ``Protocol`` is itself a scikit-learn CV splitter (``split``,
    ``get_n_splits``), so it can be passed as ``cv=`` anywhere, and it has
    ``split_with_validation`` yielding ``(train, validation, test)``.

    Attributes
    ----------
    name : str
    description : str
        One line.
    paper : str
        Which seed paper uses it (``"S0"`` …) or ``""`` for toolkit protocols.
    speaker_independent : bool
    splitter : splitter object
    counterpart : str or None
        The speaker-independent version of a paper protocol, or the paper
        protocol a speaker-independent one mirrors.
    """

    name: str
    description: str
    paper: str
    speaker_independent: bool
    splitter: object = field(repr=False)
    counterpart: str = None

    def split(self, X=None, y=None, groups=None):
        return self.splitter.split(X, y, groups)

    def split_with_validation(self, X=None, y=None, groups=None):
        return self.splitter.split_with_validation(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.splitter.get_n_splits(X, y, groups)

    def get_metadata_routing(self):
        return _groups_request(f"Protocol {self.name!r}")

    def explain(self, groups=None):
        """Notes on how this protocol treats the given speakers (list of str)."""
        return list(self.splitter.explain(groups))

    def to_dict(self):
        return {
            "name": self.name,
            "description": self.description,
            "paper": self.paper,
            "speaker_independent": self.speaker_independent,
            "splitter": repr(self.splitter),
            "counterpart": self.counterpart,
        }


_REGISTRY = {
    "s0-random-67-33": (
        "random 67/33 train/test split over files (S0, MFCC -> DT/SVM)",
        "S0",
        False,
        lambda rs: RandomHoldout(test_size=0.33, random_state=rs),
        "speaker-holdout-67-33",
    ),
    "s0-random-80-20": (
        "random 80/20 train/test split over files (S0, spectrogram images)",
        "S0",
        False,
        lambda rs: RandomHoldout(test_size=0.20, random_state=rs),
        "speaker-holdout-80-20",
    ),
    "s2-random-65-10-25": (
        "stratified random 65/10/25 train/validation/test split over files (S2)",
        "S2",
        False,
        lambda rs: RandomHoldout(
            test_size=0.25, validation_size=0.10, stratify=True, random_state=rs
        ),
        "speaker-holdout-65-10-25",
    ),
    "s4-kfold": (
        "stratified 5-fold cross-validation over files (S4)",
        "S4",
        False,
        lambda rs: FileKFold(5, random_state=rs),
        "speaker-kfold",
    ),
    "speaker-holdout-67-33": (
        "about 67% of speakers train, 33% test; no shared speaker",
        "",
        True,
        lambda rs: SpeakerHoldout(test_size=0.33, random_state=rs),
        "s0-random-67-33",
    ),
    "speaker-holdout-80-20": (
        "about 80% of speakers train, 20% test; no shared speaker",
        "",
        True,
        lambda rs: SpeakerHoldout(test_size=0.20, random_state=rs),
        "s0-random-80-20",
    ),
    "speaker-holdout-65-10-25": (
        "about 65/10/25% of speakers train/validation/test; no shared speaker",
        "",
        True,
        lambda rs: SpeakerHoldout(
            test_size=0.25, validation_size=0.10, random_state=rs
        ),
        "s2-random-65-10-25",
    ),
    "s1-speaker-10-10": (
        "10 test, 10 validation speakers, the rest train (S1; scaled by n/91 on small corpora)",
        "S1",
        True,
        lambda rs: SpeakerHoldout(
            n_test_speakers=10,
            n_validation_speakers=10,
            reference_speakers=91,
            random_state=rs,
        ),
        None,
    ),
    "speaker-kfold": (
        "5-fold cross-validation over speakers (StratifiedGroupKFold)",
        "",
        True,
        lambda rs: SpeakerKFold(5, random_state=rs),
        "s4-kfold",
    ),
    "loso": (
        "leave-one-speaker-out: one fold per speaker",
        "",
        True,
        lambda rs: LeaveOneSpeakerOut(),
        None,
    ),
    "emobox-ravdess": (
        "EmoBox's 6 fixed RAVDESS actor folds (4 test actors each; Ma et al., 2024)",
        "",
        True,
        lambda rs: PredefinedSpeakerFolds(EMOBOX_RAVDESS_FOLDS),
        None,
    ),
    "cross-corpus": (
        "train on one corpus, test on another, every direction "
        "(groups '<corpus>/<speaker>', see load_cross_corpus)",
        "",
        True,
        lambda rs: CrossCorpusSplit(),
        None,
    ),
}

#: Short names accepted by :func:`get_protocol`.
PROTOCOL_ALIASES = {"speaker": "speaker-kfold", "leave-one-speaker-out": "loso"}


def list_protocols():
    """Names and one-line descriptions of the registered protocols.

    Returns
    -------
    dict of str -> str
    """
    return {name: spec[0] for name, spec in _REGISTRY.items()}


def get_protocol(name, *, random_state=0):
    """Return the named :class:`Protocol`.

    Parameters
    ----------
    name : str or Protocol
        A key of :func:`list_protocols` or an alias (``"speaker"`` =
        ``"speaker-kfold"``, ``"leave-one-speaker-out"`` = ``"loso"``).
    random_state : int or None, default=0

    Examples
    --------
    >>> p = get_protocol("s0-random-67-33")
    >>> p.speaker_independent, p.counterpart
    (False, 'speaker-holdout-67-33')
    """
    if isinstance(name, Protocol):
        return name
    key = PROTOCOL_ALIASES.get(name, name)
    if key not in _REGISTRY:
        raise ValueError(
            f"Unknown protocol. Choose one of {sorted(_REGISTRY)} or an alias "
            f"{sorted(PROTOCOL_ALIASES)}. Received: protocol={name!r}"
        )
    desc, paper, speaker, factory, counterpart = _REGISTRY[key]
    return Protocol(key, desc, paper, speaker, factory(random_state), counterpart)
