"""Ensembles of whole pipelines (one per feature set).

:class:`GeometricVotingClassifier` combines its members' class
probabilities by their (weighted) geometric mean instead of the arithmetic
mean of scikit-learn's ``VotingClassifier(voting="soft")``.
"""

from ._voting import GeometricVotingClassifier

__all__ = ["GeometricVotingClassifier"]
