"""Ensembles of whole pipelines (one per feature set).

:class:`GeometricVotingClassifier` combines its members' class
probabilities by their (weighted) geometric mean instead of the arithmetic
mean of scikit-learn's ``VotingClassifier(voting="soft")``.
:class:`TemperedVotingClassifier` tempers each member's probabilities first,
with a temperature fitted on out-of-fold predictions across speakers, so that
no member outvotes the others by being over-confident on new voices.
"""

from ._tempered import TemperedVotingClassifier, fit_temperature
from ._voting import GeometricVotingClassifier

__all__ = ["GeometricVotingClassifier", "TemperedVotingClassifier", "fit_temperature"]
