"""extract_to_disk / FeatureShards: shards, manifest, resume, reading back."""

import json
import os

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ser.features import (
    MFCC,
    FeatureShards,
    FrameStats,
    extract_to_disk,
)

# chunks a _Flaky transformer may still transform before it "dies"
_BUDGET = {"left": None, "calls": 0}


class _Flaky(TransformerMixin, BaseEstimator):
    """Wraps a transformer; raises once the module's budget of chunks is spent.

    The budget lives outside the parameters, so the rerun that resumes sees
    the same transformer (same hash) as the run that was interrupted.
    """

    def __init__(self, inner=None):
        self.inner = inner

    def fit(self, X, y=None):
        self.inner.fit(X)
        return self

    def transform(self, X):
        if _BUDGET["left"] is not None:
            if _BUDGET["left"] <= 0:
                raise RuntimeError("simulated crash")
            _BUDGET["left"] -= 1
        _BUDGET["calls"] += 1
        return self.inner.transform(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


class _Ragged(TransformerMixin, BaseEstimator):
    """Output width = batch size: differs between chunks."""

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return np.zeros((len(X), len(X)), np.float32)


class _Id(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return np.asarray(X)


@pytest.fixture
def budget():
    _BUDGET.update(left=None, calls=0)
    yield _BUDGET
    _BUDGET.update(left=None, calls=0)


@pytest.fixture(scope="module")
def files(ravdess_files):
    """30 real RAVDESS files (several actors and emotions)."""
    return ravdess_files[::48][:30]


@pytest.fixture(scope="module")
def mfcc():
    return MFCC(n_mfcc=13, n_fft=512, hop_length=160, max_frames=250)


@pytest.fixture(scope="module")
def reference(mfcc, files, chunked_transform):
    """The features in the extractions' chunks of 7 (see ``chunked_transform``)."""
    return chunked_transform(mfcc, files, 7)


@pytest.mark.data
def test_read_back_equals_transform(tmp_path, mfcc, files, reference):
    shards = extract_to_disk(mfcc, files, tmp_path, chunk_size=7)
    assert isinstance(shards, FeatureShards)
    assert shards.n_shards == 5 and len(shards) == 30
    assert shards.shape == reference.shape and shards.dtype == reference.dtype
    np.testing.assert_array_equal(np.asarray(shards), reference)
    # every shard is a plain .npy file holding its rows
    np.testing.assert_array_equal(
        np.load(tmp_path / "shard_000002.npy"), reference[14:21]
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["done"] == [0, 1, 2, 3, 4]
    assert manifest["sample_shape"] == [250, 13]
    assert manifest["dtype"] == "<f4"
    assert shards.filenames == list(files)
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]


@pytest.mark.data
def test_indexing_matches_numpy(tmp_path, mfcc, files, reference):
    shards = extract_to_disk(mfcc, files, tmp_path, chunk_size=7)
    np.testing.assert_array_equal(shards[3], reference[3])
    np.testing.assert_array_equal(shards[-1], reference[-1])
    for key in (slice(5, 23), slice(None, None, -3), slice(40, 50)):
        np.testing.assert_array_equal(shards[key], reference[key])
    idx = np.array([29, 0, 14, 14, 8, -2])
    np.testing.assert_array_equal(shards[idx], reference[idx])
    mask = np.arange(30) % 4 == 1
    np.testing.assert_array_equal(shards[mask], reference[mask])
    np.testing.assert_array_equal(shards[[2, 9], 5:7], reference[[2, 9], 5:7])
    np.testing.assert_array_equal(shards[4, 0], reference[4, 0])
    with pytest.raises(IndexError, match="out of bounds"):
        shards[30]
    with pytest.raises(IndexError, match="out of bounds"):
        shards[np.array([1, 31])]
    with pytest.raises(IndexError, match="boolean index"):
        shards[np.ones(4, dtype=bool)]


@pytest.mark.data
def test_batches_cover_every_row_once(tmp_path, mfcc, files, reference):
    shards = extract_to_disk(mfcc, files, tmp_path, chunk_size=7)
    y = np.arange(30)
    seen = [yb for _, yb in shards.iter_batches(y, batch_size=8)]
    assert [len(b) for b in seen] == [8, 8, 8, 6]
    batches = list(shards.iter_batches(y, batch_size=8, shuffle=True, random_state=1))
    got = np.concatenate([xb for xb, _ in batches])
    order = np.concatenate([yb for _, yb in batches])
    assert sorted(order) == list(range(30)) and list(order) != list(range(30))
    np.testing.assert_array_equal(got, reference[order])


@pytest.mark.data
def test_resume_after_crash_equals_one_shot(tmp_path, mfcc, files, reference, budget):
    flaky = _Flaky(mfcc)
    budget["left"] = 2
    with pytest.raises(RuntimeError, match="simulated crash"):
        extract_to_disk(flaky, files, tmp_path, chunk_size=7)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["done"] == [0, 1]
    with pytest.raises(ValueError, match="incomplete, 3 of 5"):
        FeatureShards(tmp_path)
    budget.update(left=None, calls=0)
    shards = extract_to_disk(flaky, files, tmp_path, chunk_size=7)
    assert budget["calls"] == 3  # only the missing chunks were computed
    np.testing.assert_array_equal(np.asarray(shards), reference)


@pytest.mark.data
def test_stale_tmp_and_unrecorded_shards_are_redone(
    tmp_path, mfcc, files, reference, budget
):
    budget["left"] = 1
    flaky = _Flaky(mfcc)
    with pytest.raises(RuntimeError):
        extract_to_disk(flaky, files, tmp_path, chunk_size=7)
    # a run killed while writing shard 1, and one killed between the rename of
    # shard 2 and the manifest update (garbage inside, to prove it is rewritten)
    (tmp_path / "shard_000001.npy.tmp-999-dead").write_bytes(b"\x93NUMPY partial")
    np.save(tmp_path / "shard_000002.npy", np.full((7, 250, 13), 7.0, np.float32))
    # and a listed shard deleted by hand
    (tmp_path / "shard_000000.npy").unlink()
    budget.update(left=None, calls=0)
    shards = extract_to_disk(flaky, files, tmp_path, chunk_size=7)
    assert budget["calls"] == 5
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    np.testing.assert_array_equal(np.asarray(shards), reference)


@pytest.mark.data
def test_changed_transformer_refuses_to_resume(
    tmp_path, mfcc, files, reference, chunked_transform
):
    extract_to_disk(mfcc, files, tmp_path, chunk_size=7)
    other = MFCC(n_mfcc=12, n_fft=512, hop_length=160, max_frames=250)
    with pytest.raises(ValueError, match=r"different transformer.*resume=False"):
        extract_to_disk(other, files, tmp_path, chunk_size=7)
    with pytest.raises(ValueError, match="different X"):
        extract_to_disk(mfcc, files[::-1], tmp_path, chunk_size=7)
    with pytest.raises(ValueError, match="chunk_size"):
        extract_to_disk(mfcc, files, tmp_path, chunk_size=8)
    # the same paths in another container are the same X
    again = extract_to_disk(mfcc, np.array(files, dtype=object), tmp_path, chunk_size=7)
    assert again.filenames == list(files)
    # n_jobs/verbose change speed, not features: the same extraction
    same = MFCC(n_mfcc=13, n_fft=512, hop_length=160, max_frames=250, n_jobs=2)
    np.testing.assert_array_equal(
        np.asarray(extract_to_disk(same, files, tmp_path, chunk_size=7)), reference
    )
    # resume=False starts again in the same folder
    shards = extract_to_disk(other, files, tmp_path, chunk_size=7, resume=False)
    np.testing.assert_array_equal(
        np.asarray(shards), chunked_transform(other, files, 7)
    )


@pytest.mark.data
def test_fitted_state_is_part_of_the_key(tmp_path, files, chunked_transform):
    """A Pipeline refitted on other data is another transformer."""
    pipe = make_pipeline(
        MFCC(n_mfcc=13, max_frames=100), FrameStats(), StandardScaler()
    )
    pipe.fit(files[:10])
    shards = extract_to_disk(pipe, files, tmp_path, chunk_size=11)
    np.testing.assert_array_equal(
        np.asarray(shards), chunked_transform(pipe, files, 11)
    )
    pipe.fit(files[10:])
    with pytest.raises(ValueError, match="different transformer"):
        extract_to_disk(pipe, files, tmp_path, chunk_size=11)


@pytest.mark.data
def test_unfitted_or_batch_dependent_transformer_is_refused(tmp_path, files):
    with pytest.raises(Exception, match="must be fitted before extract_to_disk"):
        extract_to_disk(MFCC(), files, tmp_path / "a", chunk_size=7)

    with pytest.raises(ValueError, match="output depends on the batch"):
        extract_to_disk(_Ragged().fit(files), files, tmp_path / "b", chunk_size=7)


def test_bad_arguments(tmp_path):
    waves = np.zeros((3, 1600), np.float32)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="chunk_size must be a positive"):
            extract_to_disk(MFCC(max_frames=5), waves, tmp_path, chunk_size=bad)
    with pytest.raises(ValueError, match="single path"):
        extract_to_disk(MFCC(max_frames=5), "a.wav", tmp_path)
    with pytest.raises(FileNotFoundError, match="not a folder written by"):
        FeatureShards(tmp_path / "nothing")


def test_keras_routes_train_without_the_whole_matrix(tmp_path):
    """PyDataset for raw Keras, and partial_fit of a BaseSERClassifier by blocks."""
    keras = pytest.importorskip("keras")
    from sklearn_ser.models import DenseClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)

    shards = extract_to_disk(_Id().fit(X), X, tmp_path, chunk_size=16)
    ds = shards.to_keras(y, batch_size=16, shuffle=True, random_state=0)
    assert len(ds) == 4
    batches = [ds[i] for i in range(len(ds))]
    np.testing.assert_array_equal(
        np.sort(np.concatenate([b[1] for b in batches])), np.sort(y)
    )
    xb, yb = batches[0]
    np.testing.assert_array_equal(xb, X[ds._order[:16]])
    np.testing.assert_array_equal(yb, y[ds._order[:16]])
    first = ds._order.copy()
    ds.on_epoch_end()
    assert not np.array_equal(first, ds._order)

    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(2, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    hist = model.fit(ds, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2

    clf = DenseClassifier(epochs=1, batch_size=16, random_state=0)
    labels = np.array(["neg", "pos"])[y]
    for xb, yb in shards.iter_batches(labels, batch_size=20):
        clf.partial_fit(xb, yb, classes=np.array(["neg", "pos"]))
    assert list(clf.classes_) == ["neg", "pos"]
    assert clf.predict(X).shape == (60,)
    assert set(clf.predict(X)) <= {"neg", "pos"}
