"""TemperedVotingClassifier: temperatures fitted across speakers, and the vote."""

import numpy as np
import pytest
import sklearn
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from sklearn_ser import Pipeline
from sklearn_ser.ensemble import TemperedVotingClassifier, fit_temperature


def test_fit_temperature_recovers_the_temperature_of_the_labels():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(20000, 4))
    for t_true in (0.5, 2.0):
        p = softmax(logits / t_true, axis=1)
        y = (p.cumsum(axis=1) > rng.random((len(p), 1))).argmax(axis=1)
        t = fit_temperature(log_proba=log_softmax(logits, axis=1), y=y)
        assert t == pytest.approx(t_true, rel=0.05)


def _speakers_data(n_speakers=8, n_per_class=10, seed=0):
    """Column 0 carries the class for every speaker (weakly); columns 1-4 are
    a per-speaker, per-class prototype, so a 1-nearest-neighbour member is
    perfect on the speakers it has seen and guesses on new ones."""
    rng = np.random.default_rng(seed)
    classes = np.array(["angry", "calm", "sad"])
    X, y, g = [], [], []
    for s in range(n_speakers):
        protos = rng.normal(0, 3, size=(3, 4))
        for k in range(3):
            n = n_per_class
            col0 = rng.normal(k * 1.0, 1.0, size=(n, 1))
            rest = protos[k] + rng.normal(0, 0.3, size=(n, 4))
            X.append(np.hstack([col0, rest]))
            y += [classes[k]] * n
            g += [f"spk{s}"] * n
    return np.vstack(X), np.array(y), np.array(g)


def _members():
    signal = make_pipeline(
        ColumnTransformer([("c0", "passthrough", [0])]), LogisticRegression()
    )
    memo = make_pipeline(
        ColumnTransformer([("proto", "passthrough", [1, 2, 3, 4])]),
        KNeighborsClassifier(n_neighbors=1),
    )
    return [("signal", signal), ("memo", memo)]


def test_a_member_that_only_knows_its_training_speakers_is_tempered_away():
    X, y, g = _speakers_data()
    X_new, y_new, _ = _speakers_data(n_speakers=4, seed=1)
    vote = TemperedVotingClassifier(_members()).fit(X, y, groups=g)
    t_signal, t_memo = vote.temperatures_
    assert vote.n_splits_ == 5
    assert t_memo > 5 and t_signal < 2 and t_memo > 3 * t_signal
    plain = VotingClassifier(_members(), voting="soft").fit(X, y)
    uar_plain = balanced_accuracy_score(y_new, plain.predict(X_new))
    uar_tempered = balanced_accuracy_score(y_new, vote.predict(X_new))
    assert uar_tempered > uar_plain + 0.1


def test_probabilities_are_the_weighted_mean_of_the_tempered_members():
    X, y, g = _speakers_data()
    vote = TemperedVotingClassifier(_members(), weights=[2, 1]).fit(X, y, groups=g)
    expected = [
        softmax(np.log(np.maximum(est.predict_proba(X), 1e-12)) / t, axis=1)
        for est, t in zip(vote.estimators_, vote.temperatures_)
    ]
    expected = (2 * expected[0] + expected[1]) / 3
    np.testing.assert_allclose(vote.predict_proba(X), expected, rtol=1e-6)
    np.testing.assert_array_equal(
        vote.predict(X), vote.classes_[expected.argmax(axis=1)]
    )
    assert vote.transform(X).shape == (len(X), 2 * 3)


@pytest.mark.parametrize("groups", [None, "one", "two"])
def test_without_enough_speakers_it_is_the_plain_soft_vote_and_says_so(groups):
    X, y, g = _speakers_data()
    groups = {None: None, "one": np.zeros(len(y)), "two": g == "spk0"}[groups]
    with pytest.warns(UserWarning, match="no temperature is fitted"):
        vote = TemperedVotingClassifier(_members()).fit(X, y, groups=groups)
    np.testing.assert_array_equal(vote.temperatures_, [1.0, 1.0])
    assert vote.n_splits_ == 0
    plain = VotingClassifier(_members(), voting="soft").fit(X, y)
    np.testing.assert_allclose(vote.predict_proba(X), plain.predict_proba(X))


def test_fewer_speakers_than_folds_uses_one_fold_per_speaker():
    X, y, g = _speakers_data(n_speakers=3)
    vote = TemperedVotingClassifier(_members(), cv=5).fit(X, y, groups=g)
    assert vote.n_splits_ == 3


def test_bad_groups_and_parameters_are_named():
    X, y, g = _speakers_data()
    with pytest.raises(ValueError, match="one speaker id per sample"):
        TemperedVotingClassifier(_members()).fit(X, y, groups=g[:-1])
    with pytest.raises(ValueError, match="'cv' parameter"):
        TemperedVotingClassifier(_members(), cv=1).fit(X, y, groups=g)
    assert "voting" not in TemperedVotingClassifier(_members()).get_params()
    clone(TemperedVotingClassifier(_members(), cv=3, min_groups=4))


def test_speakers_reach_the_vote_through_a_pipeline_with_routing():
    X, y, g = _speakers_data()
    with sklearn.config_context(enable_metadata_routing=True):
        vote = TemperedVotingClassifier(_members()).set_fit_request(groups=True)
        pipe = Pipeline([("vote", vote)]).fit(X, y, groups=g)
    assert pipe.named_steps["vote"].n_splits_ == 5
    # without routing, a Pipeline takes them as step parameters
    pipe = Pipeline([("vote", TemperedVotingClassifier(_members()))])
    pipe.fit(X, y, vote__groups=g)
    assert pipe.named_steps["vote"].n_splits_ == 5
