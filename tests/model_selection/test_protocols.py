"""Every protocol on the real corpora: sizes, and speaker separation."""

import warnings

import numpy as np
import pytest

from sklearn_ser.model_selection import (
    LeaveOneSpeakerOut,
    RandomHoldout,
    SpeakerHoldout,
    SpeakerIndependenceWarning,
    SpeakerKFold,
    get_protocol,
    list_protocols,
)

pytestmark = pytest.mark.data

# Corpus-specific protocols (fixed RAVDESS actors, '<corpus>/<speaker>' groups)
# have their own tests in test_corpus_split.py.
CORPUS_SPECIFIC = {"emobox-ravdess", "cross-corpus"}
SPEAKER_PROTOCOLS = [
    n
    for n in list_protocols()
    if get_protocol(n).speaker_independent and n not in CORPUS_SPECIFIC
]
PAPER_PROTOCOLS = [
    n for n in list_protocols() if not get_protocol(n).speaker_independent
]


def _splits(name, X, y, groups):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SpeakerIndependenceWarning)
        return list(get_protocol(name).split_with_validation(X, y, groups))


@pytest.mark.parametrize("name", SPEAKER_PROTOCOLS)
def test_speaker_protocols_never_share_a_speaker_ravdess(name, ravdess_meta_all):
    X, y, groups = ravdess_meta_all
    splits = _splits(name, X, y, groups)
    assert splits
    for train, val, test in splits:
        parts = [set(groups[train]), set(groups[val]), set(groups[test])]
        assert parts[0] and parts[2]
        assert not parts[0] & parts[2]
        assert not parts[0] & parts[1]
        assert not parts[1] & parts[2]
        # disjoint and within range
        allidx = np.concatenate([train, val, test])
        assert len(np.unique(allidx)) == len(allidx)
        # every class is in training (each RAVDESS actor has all 8)
        assert set(y[train]) == set(y)


def test_speaker_kfold_tests_every_file_once(ravdess_meta_all):
    X, y, groups = ravdess_meta_all
    tests = np.concatenate([te for _, _, te in _splits("speaker-kfold", X, y, groups)])
    np.testing.assert_array_equal(np.sort(tests), np.arange(len(y)))
    loso = _splits("loso", X, y, groups)
    assert len(loso) == 24
    assert all(len(set(groups[te])) == 1 for _, _, te in loso)


def test_s1_counts_on_91_and_24_speakers(ravdess_meta_all):
    X, y, groups = ravdess_meta_all
    # 24 actors: 10+10 would leave 4 to train; scaled by 24/91 -> 3/3/18
    with pytest.warns(SpeakerIndependenceWarning, match="scaled"):
        ((train, val, test),) = get_protocol("s1-speaker-10-10").split_with_validation(
            X, y, groups
        )
    assert [len(set(groups[p])) for p in (train, val, test)] == [18, 3, 3]
    # a CREMA-D-sized speaker set (91) keeps S1's exact 10 / 10 / 71
    g91 = np.repeat(np.arange(91), 6)
    y91 = np.tile(list("abcdef"), 91)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SpeakerIndependenceWarning)
        ((train, val, test),) = SpeakerHoldout(
            n_test_speakers=10, n_validation_speakers=10, reference_speakers=91
        ).split_with_validation(None, y91, g91)
    assert [len(set(g91[p])) for p in (train, val, test)] == [71, 10, 10]


@pytest.mark.parametrize("name", PAPER_PROTOCOLS)
def test_paper_protocol_sizes_and_leak(name, ravdess_meta_all):
    X, y, groups = ravdess_meta_all
    splits = _splits(name, X, y, groups)
    n = len(y)
    expected = {
        "s0-random-67-33": (0.33, 0.0),
        "s0-random-80-20": (0.20, 0.0),
        "s2-random-65-10-25": (0.25, 0.10),
        "s4-kfold": (0.20, 0.0),
    }[name]
    for train, val, test in splits:
        assert len(test) == pytest.approx(expected[0] * n, abs=1)
        assert len(val) == pytest.approx(expected[1] * n, abs=1)
        assert len(train) + len(val) + len(test) == n
        # a random file split puts (nearly) every speaker on both sides:
        assert len(set(groups[train]) & set(groups[test])) == 24
    assert get_protocol(name).counterpart in SPEAKER_PROTOCOLS


def test_s2_split_is_stratified(ravdess_meta_all):
    X, y, groups = ravdess_meta_all
    ((train, val, test),) = _splits("s2-random-65-10-25", X, y, groups)
    for part in (train, val, test):
        labels, counts = np.unique(y[part], return_counts=True)
        expected = len(part) * np.unique(y, return_counts=True)[1] / len(y)
        assert np.all(np.abs(counts - expected) <= 1)


@pytest.mark.parametrize("name", SPEAKER_PROTOCOLS)
def test_tess_two_speakers_means_train_on_one_test_on_other(name, tess_meta_all):
    X, y, groups = tess_meta_all
    assert set(groups) == {"OAF", "YAF"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        splits = list(get_protocol(name).split_with_validation(X, y, groups))
    if name != "loso":
        assert any(issubclass(w.category, SpeakerIndependenceWarning) for w in caught)
    assert len(splits) == 2
    tested = []
    for train, val, test in splits:
        assert set(groups[train]) | set(groups[val]) == {"OAF", "YAF"} - set(
            groups[test]
        )
        assert len(set(groups[test])) == 1
        tested.append(groups[test][0])
    assert sorted(tested) == ["OAF", "YAF"]
    text = " ".join(get_protocol(name).explain(groups))
    assert "only 2 speakers" in text and "training on one speaker" in text


def test_one_speaker_is_refused():
    g = np.zeros(10, dtype=int)
    for splitter in (SpeakerKFold(), SpeakerHoldout(), LeaveOneSpeakerOut()):
        with pytest.raises(ValueError, match="at least 2 speakers"):
            list(splitter.split(None, np.arange(10) % 2, g))
    with pytest.raises(ValueError, match="Received: groups=None"):
        list(SpeakerKFold().split(np.zeros(10), np.arange(10) % 2))


def test_bad_parameters_name_the_value():
    with pytest.raises(ValueError, match="test_size=1.5"):
        list(RandomHoldout(test_size=1.5).split(np.zeros(10)))
    with pytest.raises(ValueError, match="protocol='nope'"):
        get_protocol("nope")


def test_protocols_work_as_sklearn_cv(ravdess_small_features):
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y, groups, _ = ravdess_small_features
    proto = get_protocol("speaker-kfold")
    scores = cross_val_score(
        make_pipeline(StandardScaler(), SVC()), X, y, groups=groups, cv=proto
    )
    assert len(scores) == 4  # 4 actors: leave-one-speaker-out
    assert np.all((scores >= 0) & (scores <= 1))
