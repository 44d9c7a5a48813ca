"""Evaluation protocols, splitters, ``evaluate`` and hyper-parameter search.

The papers' random splits (S0 67/33 and 80/20, S2 65/10/25, S4 k-fold) sit
beside their speaker-independent versions (speakers never shared between
training and test). ``get_protocol(name)`` returns a named protocol that is
also a scikit-learn CV splitter; ``evaluate`` runs one and returns an
:class:`EvaluationResult` for reports and plots.

Hyper-parameter search uses scikit-learn's ``GridSearchCV`` or skopt's
``BayesSearchCV`` (:func:`bayes_search` configures S2's GP + EI, 50 calls)
directly on Pipelines; pass speakers with ``search.fit(X, y, groups=groups)``
and a speaker-independent ``cv`` (e.g. ``get_protocol("speaker-kfold")``).
"""

from ._corpus_split import (
    EMOBOX_RAVDESS_FOLDS,
    CrossCorpusSplit,
    InnerSpeakerKFold,
    PredefinedSpeakerFolds,
    corpus_of,
)
from ._evaluate import (
    EvaluationResult,
    evaluate,
    fit_with_validation,
    predict_with_proba,
)
from ._protocols import PROTOCOL_ALIASES, Protocol, get_protocol, list_protocols
from ._search import bayes_search, prefix_search_space
from ._split import (
    FileKFold,
    LeaveOneSpeakerOut,
    RandomHoldout,
    SpeakerHoldout,
    SpeakerIndependenceWarning,
    SpeakerKFold,
)

__all__ = [
    "EMOBOX_RAVDESS_FOLDS",
    "CrossCorpusSplit",
    "InnerSpeakerKFold",
    "PredefinedSpeakerFolds",
    "corpus_of",
    "EvaluationResult",
    "FileKFold",
    "LeaveOneSpeakerOut",
    "PROTOCOL_ALIASES",
    "Protocol",
    "RandomHoldout",
    "SpeakerHoldout",
    "SpeakerIndependenceWarning",
    "SpeakerKFold",
    "bayes_search",
    "evaluate",
    "fit_with_validation",
    "get_protocol",
    "list_protocols",
    "predict_with_proba",
    "prefix_search_space",
]
