"""Everything that takes n_jobs runs unchanged on a Dask cluster.

One ``LocalCluster`` (2 worker processes, 1 thread each) serves the whole
module. Each test runs the same code with ``n_jobs=1`` outside any backend
and under ``joblib.parallel_backend("dask")``, and requires identical
results. Parallel calls that joblib sends to Dask show up in the cluster's
task stream; ``require="sharedmem"`` calls stay on local threads.
"""

import os
import warnings

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_ser.features import (
    LMFB,
    MFCC,
    FrameStats,
    SpectralDescriptors,
    extract_to_disk,
)
from sklearn_ser.io import AudioLoader, load_audio_batch
from sklearn_ser.model_selection import SpeakerKFold, bayes_search

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Port 8787 is already in use" etc.
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="2GiB",
        )
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _on_cluster(client, fn):
    """``fn()`` under the Dask joblib backend; returns (result, n_tasks run)."""
    with distributed.get_task_stream(client) as stream:
        with parallel_backend("dask"):
            out = fn()
    return out, len(stream.data)


@pytest.fixture(scope="module")
def files(ravdess_files):
    """36 RAVDESS files spread over actors and emotions."""
    return ravdess_files[7::40][:36]


@pytest.fixture(scope="module")
def corpus(ravdess_files):
    """96 RAVDESS files (12 actors x 8 emotions): labels, speakers, and audio.

    ``X`` is the first 2 s of each file, decoded once here (the searches fit
    13 pipelines each; decoding is tested above), as a 2-D float32 array.
    """
    picked = [
        f
        for f in ravdess_files
        if int(os.path.basename(f).split("-")[6][:2]) <= 12
        and os.path.basename(f).split("-")[3:6] == ["01", "01", "01"]
    ]
    names = [os.path.basename(f).split("-") for f in picked]
    y = np.array([int(n[2]) for n in names])
    groups = np.array([int(n[6][:2]) for n in names])
    assert len(picked) == 96 and len(np.unique(y)) == 8
    X = AudioLoader(sr=16000, duration=2.0).fit_transform(picked)
    return X, y, groups


def test_load_audio_batch_runs_on_the_workers(client, files):
    serial = load_audio_batch(files, 16000, n_jobs=1)
    waves, n_tasks = _on_cluster(
        client, lambda: load_audio_batch(files, 16000, n_jobs=2)
    )
    assert n_tasks > 0  # the decoding ran in the worker processes
    assert len(waves) == len(serial)
    for a, b in zip(waves, serial):
        np.testing.assert_array_equal(a, b)
    loaded, _ = _on_cluster(
        client, lambda: AudioLoader(duration=3.0, n_jobs=2).fit_transform(files)
    )
    np.testing.assert_array_equal(
        loaded, AudioLoader(duration=3.0).fit_transform(files)
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda n_jobs: MFCC(sr=16000, n_mfcc=20, max_frames=300, n_jobs=n_jobs),
        lambda n_jobs: LMFB(sr=16000, n_mels=40, max_frames=300, n_jobs=n_jobs),
        lambda n_jobs: SpectralDescriptors(max_frames=120, n_jobs=n_jobs),
    ],
    ids=["MFCC", "LMFB", "SpectralDescriptors"],
)
def test_feature_transformers_identical_on_cluster(client, files, make):
    serial = make(1).fit_transform(files)
    parallel, _ = _on_cluster(client, lambda: make(2).fit_transform(files))
    np.testing.assert_array_equal(parallel, serial)


def test_extract_to_disk_one_task_per_chunk(client, files, tmp_path, chunked_transform):
    mfcc = MFCC(n_mfcc=20, max_frames=300)
    shards, n_tasks = _on_cluster(
        client, lambda: extract_to_disk(mfcc, files, tmp_path, chunk_size=8)
    )
    # the chunks ran on the workers (joblib may batch several chunks into one
    # task when they are quick, so the count is not fixed)
    assert n_tasks > 0
    assert shards.n_shards == 5
    np.testing.assert_array_equal(np.asarray(shards), chunked_transform(mfcc, files, 8))


def _pipeline():
    return Pipeline(
        [
            ("mfcc", MFCC(sr=16000, n_fft=512, hop_length=160, max_frames=400)),
            ("stats", FrameStats()),
            ("scale", StandardScaler()),
            ("svc", SVC()),
        ]
    )


def test_grid_search_same_on_cluster(client, corpus):
    X, y, groups = corpus

    def search(n_jobs):
        return GridSearchCV(
            _pipeline(),
            {"mfcc__n_mfcc": [13, 20], "svc__C": [1.0, 10.0]},
            cv=SpeakerKFold(n_splits=3),
            n_jobs=n_jobs,
        ).fit(X, y, groups=groups)

    serial = search(1)
    dist, n_tasks = _on_cluster(client, lambda: search(-1))
    # the fits ran on the workers (joblib's auto-batching groups quick fits into
    # fewer tasks, so their number depends on timing)
    assert n_tasks > 0
    assert dist.best_params_ == serial.best_params_
    for key in ("mean_test_score", *(f"split{i}_test_score" for i in range(3))):
        np.testing.assert_array_equal(dist.cv_results_[key], serial.cv_results_[key])
    np.testing.assert_array_equal(dist.predict(X[:16]), serial.predict(X[:16]))


def test_bayes_search_same_on_cluster(client, corpus):
    from skopt.space import Integer, Real

    X, y, groups = corpus
    space = {
        "mfcc__n_mfcc": Integer(12, 24),
        "svc__C": Real(0.1, 100, prior="log-uniform"),
    }

    def search(n_jobs):
        return bayes_search(
            _pipeline(),
            space,
            cv=SpeakerKFold(n_splits=3),
            n_iter=3,
            n_jobs=n_jobs,
            random_state=0,
        ).fit(X, y, groups=groups)

    serial = search(1)
    dist, n_tasks = _on_cluster(client, lambda: search(-1))
    assert n_tasks > 0  # the fits ran on the workers (auto-batched, see above)
    assert dist.best_params_ == serial.best_params_
    assert dist.cv_results_["params"] == serial.cv_results_["params"]
    np.testing.assert_array_equal(
        dist.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
