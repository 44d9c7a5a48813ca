"""GridSearchCV / BayesSearchCV over pipelines with speakers routed to the inner CV."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_ser import Pipeline
from sklearn_ser.model_selection import bayes_search, get_protocol, prefix_search_space

pytestmark = pytest.mark.data


class _SpeakerSpy(ClassifierMixin, BaseEstimator):
    """SVC that reads the speaker from X's last column and logs who it saw."""

    log = []

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        type(self).log.append(("fit", set(X[:, -1].astype(int))))
        self.svc_ = SVC(C=self.C).fit(X[:, :-1], y)
        self.classes_ = self.svc_.classes_
        return self

    def predict(self, X):
        type(self).log.append(("predict", set(X[:, -1].astype(int))))
        return self.svc_.predict(X[:, :-1])


def _check_log(log, n_inner):
    pairs = [
        (a[1], b[1])
        for a, b in zip(log, log[1:])
        if a[0] == "fit" and b[0] == "predict"
    ]
    assert len(pairs) >= n_inner
    for train_speakers, test_speakers in pairs[:n_inner]:
        assert train_speakers and test_speakers
        assert not train_speakers & test_speakers


@pytest.fixture
def spy_data(ravdess_small_features):
    X, y, groups, _ = ravdess_small_features
    Xs = StandardScaler().fit_transform(X)
    return np.column_stack([Xs, groups]), y, groups


def test_grid_search_routes_groups_to_speaker_cv(spy_data):
    X, y, groups = spy_data
    _SpeakerSpy.log = []
    search = GridSearchCV(
        _SpeakerSpy(), {"C": [0.5, 5.0]}, cv=get_protocol("speaker-kfold")
    )
    search.fit(X, y, groups=groups)
    n_folds = get_protocol("speaker-kfold").get_n_splits(groups=groups)
    assert search.n_splits_ == n_folds == 4  # 4 actors < 5 folds -> LOSO
    _check_log(_SpeakerSpy.log, 2 * n_folds)
    assert search.best_params_["C"] in (0.5, 5.0)


def test_bayes_search_small_budget_real_features(ravdess_small_features, spy_data):
    from skopt.space import Real

    X, y, groups, _ = ravdess_small_features
    pipe = Pipeline([StandardScaler(), SVC()])
    search = bayes_search(
        pipe,
        {
            "C": Real(1e-2, 1e2, prior="log-uniform"),
            "gamma": Real(1e-3, 1e0, prior="log-uniform"),
        },
        cv="speaker-kfold",
        n_iter=6,
        random_state=0,
    )
    assert search.optimizer_kwargs == {"base_estimator": "GP", "acq_func": "EI"}
    assert set(search.search_spaces) == {"svc__C", "svc__gamma"}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y, groups=groups)
    assert len(search.cv_results_["params"]) == 6
    assert 0.0 < search.best_score_ <= 1.0
    # the best score is the mean of its speaker-fold scores
    i = search.best_index_
    folds = [
        search.cv_results_[f"split{k}_test_score"][i] for k in range(search.n_splits_)
    ]
    assert search.best_score_ == pytest.approx(np.mean(folds))
    # groups really reach the inner CV of BayesSearchCV
    Xs, _, _ = spy_data
    _SpeakerSpy.log = []
    spy = bayes_search(
        _SpeakerSpy(),
        {"C": Real(0.1, 10.0)},
        cv="speaker-kfold",
        n_iter=2,
        random_state=0,
    )
    spy.fit(Xs, y, groups=groups)
    _check_log(_SpeakerSpy.log, 2 * 4)


def test_prefix_search_space_errors():
    from skopt.space import Integer

    pipe = Pipeline([StandardScaler(), SVC()])
    assert set(
        prefix_search_space(pipe, {"C": Integer(1, 3), "svc__gamma": Integer(1, 2)})
    ) == {"svc__C", "svc__gamma"}
    with pytest.raises(ValueError, match="'filters_1' is not a parameter"):
        prefix_search_space(pipe, {"filters_1": Integer(16, 256)})


@pytest.mark.slow
@pytest.mark.lean
def test_emotionunet_bayes_search_with_paper_space(ravdess_files):
    """S2's space (narrowed to a tiny budget) over STFT + EmotionUnet, speaker CV."""
    import os

    from skopt.space import Categorical, Integer

    from sklearn_ser.features import STFT
    from sklearn_ser.models import EMOTIONUNET_SEARCH_SPACE, EmotionUnet

    files = [f for f in ravdess_files if int(os.path.basename(f)[-7:-5]) <= 3]
    stems = [os.path.basename(f).split("-") for f in files]
    y = np.array([s[2] for s in stems])
    groups = np.array([int(s[6][:2]) for s in stems])
    pipe = Pipeline(
        [
            STFT(sr=16000, duration=2.0),
            EmotionUnet(epochs=2, batch_size=32, random_state=0),
        ]
    )
    space = dict(EMOTIONUNET_SEARCH_SPACE)
    assert set(space) >= {
        "learning_rate",
        "epochs",
        "batch_size",
        "dense_units",
        *(f"filters_{i}" for i in range(1, 7)),
    }
    space.update(
        {
            "epochs": Integer(1, 2),
            "batch_size": Categorical([32, 64]),
            **{f"filters_{i}": Integer(8, 16) for i in range(1, 7)},
            "dense_units": Integer(16, 32),
        }
    )
    search = bayes_search(pipe, space, cv="speaker-kfold", n_iter=2, random_state=0)
    search.fit(files, y, groups=groups)
    assert search.n_splits_ == 3
    assert len(search.cv_results_["params"]) == 2
    assert 8 <= search.best_params_["emotionunet__filters_1"] <= 16
