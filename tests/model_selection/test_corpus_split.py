"""EmoBox RAVDESS folds, TESS leave-one-speaker-out and cross-corpus splits."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import cross_validate

from sklearn_ser.model_selection import (
    EMOBOX_RAVDESS_FOLDS,
    CrossCorpusSplit,
    PredefinedSpeakerFolds,
    corpus_of,
    evaluate,
    get_protocol,
)


def test_emobox_folds_test_every_actor_once():
    flat = sorted(a for fold in EMOBOX_RAVDESS_FOLDS for a in fold)
    assert flat == list(range(1, 25))
    assert all(len(f) == 4 for f in EMOBOX_RAVDESS_FOLDS)


@pytest.mark.parametrize("fmt", [int, lambda a: f"Actor_{a:02d}", lambda a: f"{a:02d}"])
def test_predefined_folds_match_speaker_id_formats(fmt):
    actors = np.repeat(np.arange(1, 25), 3)
    groups = np.array([fmt(int(a)) for a in actors])
    splits = list(get_protocol("emobox-ravdess").split(None, None, groups))
    assert len(splits) == 6
    for (train, test), fold in zip(splits, EMOBOX_RAVDESS_FOLDS):
        np.testing.assert_array_equal(np.unique(actors[test]), sorted(fold))
        assert not set(actors[train]) & set(fold)
        assert len(train) + len(test) == len(actors)


def test_predefined_folds_refuse_missing_or_repeated_speakers():
    groups = np.repeat([1, 2, 3], 2)
    with pytest.raises(ValueError, match=r"Test speakers \[4\]"):
        list(PredefinedSpeakerFolds([[1], [4]]).split(groups=groups))
    with pytest.raises(ValueError, match="two folds"):
        list(PredefinedSpeakerFolds([[1], [1, 2]]).split(groups=groups))
    with pytest.raises(ValueError, match="groups=None"):
        list(PredefinedSpeakerFolds([[1]]).split(np.zeros(6)))


def test_cross_corpus_from_groups_and_from_corpus_array():
    groups = np.array(["A/s1", "A/s2", "B/t1", "B/t1", "C/u"])
    splits = [(tr.tolist(), te.tolist()) for tr, te in CrossCorpusSplit().split(groups=groups)]
    assert len(splits) == 6 == CrossCorpusSplit().get_n_splits(groups=groups)
    assert splits[0] == ([0, 1], [2, 3])  # A -> B
    cv = CrossCorpusSplit(corpus_of(groups), pairs=[("B", "A")])
    assert [(tr.tolist(), te.tolist()) for tr, te in cv.split(groups=groups)] == [
        ([2, 3], [0, 1])
    ]
    with pytest.raises(ValueError, match="'<corpus>/<speaker>'"):
        list(CrossCorpusSplit().split(groups=["s1", "s2"]))
    with pytest.raises(ValueError, match="pair"):
        list(CrossCorpusSplit(pairs=[("A", "Z")]).split(groups=groups))


@pytest.mark.data
def test_emobox_on_real_ravdess(ravdess_root):
    from sklearn_ser.datasets import load_ravdess

    b = load_ravdess(ravdess_root)
    res = evaluate(
        DummyClassifier(strategy="most_frequent"),
        np.zeros((len(b.target), 1)),
        b.target,
        b.groups,
        protocol="emobox-ravdess",
    )
    assert res.n_folds == 6
    assert all(f["n_test"] == 240 and f["n_shared_speakers"] == 0 for f in res.to_dict()["folds"])
    np.testing.assert_array_equal(np.sort(res.indices), np.arange(1440))


@pytest.mark.data
def test_cross_corpus_on_real_data(data_root, ravdess_root, tess_root):
    from sklearn_ser.datasets import CROSS_CORPUS_EMOTIONS, load_cross_corpus

    b = load_cross_corpus(ravdess_home=ravdess_root, tess_home=tess_root)
    assert tuple(b.target_names) == CROSS_CORPUS_EMOTIONS
    assert "calm" not in set(b.target)
    rav = b.corpus == "RAVDESS"
    assert rav.sum() == 1440 - 192  # calm: 2 intensities x 2 x 2 x 24
    assert set(b.groups[~rav]) == {"TESS/OAF", "TESS/YAF"}
    for corpus in ("RAVDESS", "TESS"):
        assert set(b.target[b.corpus == corpus]) == set(CROSS_CORPUS_EMOTIONS)
    cv = get_protocol("cross-corpus")
    scores = cross_validate(
        DummyClassifier(strategy="stratified", random_state=0),
        np.zeros((len(b.target), 1)),
        b.target,
        groups=b.groups,
        cv=cv,
        scoring="balanced_accuracy",
    )["test_score"]
    assert len(scores) == 2
    (tr0, te0), (tr1, te1) = cv.split(groups=b.groups)
    assert set(b.corpus[tr0]) == {"RAVDESS"} and set(b.corpus[te0]) == {"TESS"}
    np.testing.assert_array_equal(tr1, te0)


def test_inner_speaker_kfold_groups_by_speaker_and_falls_back(recwarn):
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from sklearn_ser.model_selection import InnerSpeakerKFold, SpeakerIndependenceWarning

    g = np.repeat(np.arange(6), 10)
    y = np.tile([0, 1], 30)
    splits = list(InnerSpeakerKFold(3).split(None, y, g))
    assert len(splits) == 3
    for tr, te in splits:
        assert not set(g[tr]) & set(g[te])
    one = np.zeros(30, dtype=int)
    with pytest.warns(SpeakerIndependenceWarning, match="one speaker"):
        assert len(list(InnerSpeakerKFold(3).split(None, y[:30], one))) == 3
    # metadata routing reaches it inside a search
    X = np.random.default_rng(0).normal(size=(60, 2))
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1]}, cv=InnerSpeakerKFold(3))
        search.fit(X, y, groups=g)
        assert search.n_splits_ == 3
        s = cross_validate(
            LogisticRegression(), X, y, cv=get_protocol("speaker-kfold"), params={"groups": g}
        )
        assert len(s["test_score"]) == 5
