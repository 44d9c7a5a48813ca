"""Soft voting across feature sets with X = audio paths (issue 11, ensembles)."""

import numpy as np
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ser.datasets import load_sample
from sklearn_ser.features import MFCC, FrameStats, OpenSmileFunctionals


def test_voting_over_pipelines_on_different_feature_sets_takes_paths():
    b = load_sample()
    keep = np.isin(b.groups, ["Actor_01", "Actor_02", "Actor_03"])
    X, y, g = b.data[keep], b.target[keep], b.groups[keep]
    train, test = g != "Actor_03", g == "Actor_03"
    members = [
        (
            "egemaps",
            make_pipeline(
                OpenSmileFunctionals(feature_set="eGeMAPSv02"),
                StandardScaler(),
                LogisticRegression(C=0.1, class_weight="balanced", max_iter=2000),
            ),
        ),
        (
            "mfcc",
            make_pipeline(
                MFCC(sr=16000, n_mfcc=20),
                FrameStats(stats=("mean", "std")),
                StandardScaler(),
                LogisticRegression(C=0.1, class_weight="balanced", max_iter=2000),
            ),
        ),
    ]
    vote = VotingClassifier(members, voting="soft").fit(X[train], y[train])
    proba = vote.predict_proba(X[test])
    # soft voting = the mean of the members' probabilities, each member
    # having computed its own features from the same paths
    each = [est.predict_proba(X[test]) for est in vote.estimators_]
    np.testing.assert_allclose(proba, np.mean(each, axis=0), rtol=1e-6)
    np.testing.assert_array_equal(
        vote.predict(X[test]), vote.classes_[np.argmax(proba, axis=1)]
    )
    assert proba.shape == (test.sum(), len(np.unique(y[train])))
