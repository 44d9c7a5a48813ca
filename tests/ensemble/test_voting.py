"""GeometricVotingClassifier: the combination rule and the VotingClassifier contract."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from sklearn_ser.ensemble import GeometricVotingClassifier


class _Fixed(ClassifierMixin, BaseEstimator):
    """Predicts the same class probabilities ``p`` for every row."""

    def __init__(self, p=None):
        self.p = p

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.tile(np.asarray(self.p, float), (len(X), 1))

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (30, 3)), rng.normal(1.5, 1, (30, 3)),
              rng.normal(-1.5, 1, (30, 3))]  # fmt: skip
    y = np.repeat(["angry", "calm", "sad"], 30)
    return X, y


def test_probabilities_are_the_renormalised_weighted_geometric_mean(data):
    X, y = data
    members = [("lr", LogisticRegression()), ("nb", GaussianNB())]
    vote = GeometricVotingClassifier(members, weights=[2, 1]).fit(X, y)
    # floored at eps (GaussianNB gives some rows ~1e-20)
    p = [np.maximum(est.predict_proba(X), 1e-6) for est in vote.estimators_]
    expected = p[0] ** (2 / 3) * p[1] ** (1 / 3)
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(vote.predict_proba(X), expected, rtol=1e-6)
    assert list(vote.classes_) == ["angry", "calm", "sad"]
    np.testing.assert_array_equal(
        vote.predict(X), vote.classes_[expected.argmax(axis=1)]
    )


def test_a_class_one_member_rules_out_loses_where_the_mean_would_keep_it(data):
    X, y = data
    # A is sure of 'angry' and rules out 'sad'; B rules out 'angry'
    members = [("a", _Fixed([0.9, 0.1, 0.0])), ("b", _Fixed([0.0, 0.4, 0.6]))]
    arithmetic = VotingClassifier(members, voting="soft").fit(X, y)
    geometric = GeometricVotingClassifier(members).fit(X, y)
    assert arithmetic.predict(X[:1])[0] == "angry"  # (0.45, 0.25, 0.30)
    assert geometric.predict(X[:1])[0] == "calm"  # sqrt(0.04) beats eps-sized rest
    # eps keeps a zero from vetoing alone: a larger floor lets 'angry' back in
    lenient = GeometricVotingClassifier(members, eps=0.2).fit(X, y)
    assert lenient.predict_proba(X[:1])[0, 0] > geometric.predict_proba(X[:1])[0, 0]


def test_parameters_clone_and_validation(data):
    X, y = data
    vote = GeometricVotingClassifier([("lr", LogisticRegression())], eps=1e-3)
    params = clone(vote).get_params(deep=False)
    assert "voting" not in params and params["eps"] == 1e-3
    vote.set_params(lr__C=0.5)
    assert vote.fit(X, y).named_estimators_["lr"].C == 0.5
    with pytest.raises(ValueError, match="eps"):
        GeometricVotingClassifier([("lr", LogisticRegression())], eps=0).fit(X, y)
    with pytest.raises(ValueError, match="eps"):
        GeometricVotingClassifier([("lr", LogisticRegression())], eps=1.5).fit(X, y)
