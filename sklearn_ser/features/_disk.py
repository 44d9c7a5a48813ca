"""Out-of-core feature extraction: a directory of ``.npy`` shards.

(Over 500 lines because the writer, :func:`extract_to_disk`, and the reader,
:class:`FeatureShards`, of one on-disk format are kept together: the layout
below, its manifest and its atomic-write rules are defined in one module.)

:func:`extract_to_disk` runs a (fitted) feature transformer over ``X`` in
chunks of ``chunk_size`` rows and writes each chunk's features to its own
``.npy`` file; :class:`FeatureShards` reads the directory back as a
memory-mapped, array-like object that never loads more than the rows asked
for.

Layout of the directory
-----------------------
``manifest.json``
    Format and version, the transformer's class, repr and hash, the hash of
    ``X``, ``n_samples``, ``chunk_size``, ``n_shards``, the per-sample shape
    and dtype of the features (known after the first shard), and ``done``:
    the shards written completely. It is replaced atomically (temporary
    file, ``fsync``, ``os.replace``) after every shard.
``index.json``
    ``X``'s order: the list of paths when ``X`` holds only paths (else
    ``null``), written once.
``shard_000000.npy``, ``shard_000001.npy``, ...
    Rows ``[i * chunk_size, (i + 1) * chunk_size)`` of the features, in
    NumPy's ``.npy`` format (readable without this package, memory-mappable
    with ``np.load(mmap_mode="r")``). A shard is first written to
    ``shard_XXXXXX.npy.tmp-*``, flushed to disk and then renamed, so a file
    named ``shard_XXXXXX.npy`` is always whole; a shard counts as done only
    once ``manifest.json`` lists it.

Why ``.npy``: it is NumPy's own format (no extra dependency), stores the
shape and dtype in its header, and memory-maps, which is all a batch reader
needs; Zarr or HDF5 would add a dependency for no gain here.
"""

import copy
import json
import os
import re
import uuid
from collections import OrderedDict
from numbers import Integral
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from joblib import hash as joblib_hash
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.validation import check_is_fitted

from ..utils import progress

__all__ = ["FeatureShards", "extract_to_disk"]

_FORMAT = "sklearn-ser.feature-shards"
_VERSION = 1
_MANIFEST = "manifest.json"
_INDEX = "index.json"
_SHARD = "shard_{:06d}.npy"
_OURS = re.compile(r"^shard_\d{6}\.npy(\.tmp-.*)?$|^(manifest|index)\.json(\.tmp-.*)?$")
_RUNTIME = {"n_jobs": None, "verbose": 0, "memory": None}


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _atomic_write(path, write, *, sync_dir=True):
    """Write ``path`` through a temporary file, fsync it, then rename it.

    ``sync_dir=False`` leaves the rename to be made durable by the next
    fsync of the folder (the manifest's, which follows every shard).
    """
    path = Path(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex}")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if sync_dir:
        _fsync_dir(path.parent)


def _write_json(path, obj):
    _atomic_write(path, lambda f: f.write(json.dumps(obj, indent=1).encode()))


def _transformer_hash(transformer):
    """Hash of the transformer's parameters and fitted state.

    The runtime parameters (``n_jobs``, ``verbose``, ``memory``, at any depth
    of a Pipeline) are set to fixed values on a copy first: they change how
    fast the features are computed, never what they are.
    """
    est = copy.deepcopy(transformer)
    if hasattr(est, "get_params"):
        runtime = {
            k: _RUNTIME[k.rsplit("__", 1)[-1]]
            for k in est.get_params(deep=True)
            if k.rsplit("__", 1)[-1] in _RUNTIME
        }
        # the deepest keys first, so a nested value is not overwritten
        for k in sorted(runtime, key=lambda s: -s.count("__")):
            est.set_params(**{k: runtime[k]})
    return joblib_hash(est)


def _is_path(item):
    return isinstance(item, (str, os.PathLike))


def _check_X(X):
    if isinstance(X, (str, bytes, os.PathLike)):
        raise ValueError(
            "X must be a batch (a list of paths or waveforms, or a 2-D array). "
            f"Received a single path: {X!r}"
        )
    if not isinstance(X, np.ndarray):
        X = list(X)
    if len(X) == 0:
        raise ValueError("X is empty: expected at least one path or waveform")
    return X


def _check_transformer(transformer):
    if not hasattr(transformer, "transform"):
        raise TypeError(
            "transformer must have a transform method. "
            f"Received: {type(transformer).__name__}"
        )
    if get_tags(transformer).requires_fit:
        # extraction never fits: fitting would need the whole corpus at once
        check_is_fitted(
            transformer,
            msg=(
                f"{type(transformer).__name__} must be fitted before "
                "extract_to_disk (fit it on a sample of X, or give it a fixed "
                "length such as max_frames or duration)"
            ),
        )


def _extract_chunk(transformer, X_chunk, path, index):
    """One task: features of one chunk, written to its shard. Returns metadata."""
    out = np.asarray(transformer.transform(X_chunk))
    if out.ndim == 0 or out.shape[0] != len(X_chunk):
        raise ValueError(
            f"{type(transformer).__name__}.transform returned shape {out.shape} "
            f"for a chunk of {len(X_chunk)} samples; expected one row per sample"
        )
    if out.dtype == object:
        raise ValueError(
            f"{type(transformer).__name__}.transform returned an object array; "
            "extract_to_disk needs features of one fixed shape per sample"
        )
    out = np.ascontiguousarray(out)
    _atomic_write(
        Path(path) / _SHARD.format(index), lambda f: np.save(f, out), sync_dir=False
    )
    return index, list(out.shape[1:]), out.dtype.str


def _clean_stale(path):
    """Remove temporary files left by an interrupted run."""
    for p in Path(path).iterdir():
        if ".tmp-" in p.name and _OURS.match(p.name):
            p.unlink(missing_ok=True)


def _read_manifest(path):
    mpath = Path(path) / _MANIFEST
    if not mpath.is_file():
        return None
    with open(mpath) as f:
        manifest = json.load(f)
    if manifest.get("format") != _FORMAT:
        raise ValueError(f"{mpath} is not a feature-shards manifest")
    return manifest


def _remove_ours(path):
    for p in Path(path).iterdir():
        if _OURS.match(p.name):
            p.unlink()


def extract_to_disk(
    transformer,
    X,
    path,
    *,
    chunk_size=256,
    n_jobs=None,
    resume=True,
    verbose=0,
):
    """Compute ``transformer.transform(X)`` chunk by chunk into ``.npy`` shards.

    The features of rows ``[i * chunk_size, (i + 1) * chunk_size)`` of ``X``
    go to ``path/shard_{i:06d}.npy``; ``path/manifest.json`` says which
    shards are complete (see the module docstring for the layout). Neither
    the features nor the decoded audio of the whole of ``X`` are ever held
    in memory: the driver keeps only the manifest.

    Chunks are independent tasks of a :class:`joblib.Parallel` with
    ``n_jobs``, so under ``joblib.parallel_backend("dask")`` each chunk is a
    task on the Dask cluster; the workers then read the audio and write the
    shards themselves, so ``X``'s paths and ``path`` must be reachable from
    every worker (shared storage). The chunks depend only on
    ``chunk_size``, never on ``n_jobs``, so the shards are the same however
    the work is spread.

    Parameters
    ----------
    transformer : transformer
        Applied to each chunk with ``transform`` (never fitted here). A
        transformer that learns from the data (e.g. a frame count) must be
        fitted first; its output must have the same shape per sample in every
        chunk (fix it with ``max_frames`` or ``duration``).
    X : array-like of shape (n_samples,) or (n_samples, n_times)
        Paths and/or waveforms, as the transformer takes them.
    path : str or path-like
        Output folder, created if needed.
    chunk_size : int, default=256
        Rows per shard (and per task).
    n_jobs : int or None, default=None
        Chunks computed at once (:class:`joblib.Parallel`; ``None``: one at
        a time, or all the workers of an active ``parallel_backend``).
    resume : bool, default=True
        When ``path`` already holds shards of the same transformer, ``X`` and
        ``chunk_size``, compute only the missing ones. A folder written by a
        different transformer (other parameters or fitted state), another
        ``X`` or ``chunk_size`` raises ``ValueError``. ``resume=False``
        deletes the shards and manifest found in ``path`` and starts again.
    verbose : int, default=0
        ``> 0`` draws a progress bar over the chunks.

    Returns
    -------
    FeatureShards
        The features, memory-mapped from ``path``.

    Raises
    ------
    ValueError
        ``path`` holds another extraction (and ``resume=True``), or the
        transformer's output shape differs between chunks.

    Examples
    --------
    >>> import numpy as np, tempfile
    >>> from sklearn_ser.features import MFCC, extract_to_disk
    >>> waves = np.random.default_rng(0).standard_normal((5, 8000)) * 0.1
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mfcc = MFCC(n_mfcc=13, max_frames=20)
    ...     feats = extract_to_disk(mfcc, waves, d, chunk_size=2)
    ...     feats.shape, feats.n_shards
    ((5, 20, 13), 3)
    """
    if (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, Integral)
        or chunk_size < 1
    ):
        raise ValueError(
            "chunk_size must be a positive integer. "
            f"Received: chunk_size={chunk_size!r}"
        )
    X = _check_X(X)
    _check_transformer(transformer)
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    n = len(X)
    n_shards = -(-n // chunk_size)
    # paths are keyed by name, whatever container holds them
    items = [os.fspath(x) for x in X] if all(_is_path(x) for x in X) else None
    key = {
        "transformer_hash": _transformer_hash(transformer),
        "x_hash": joblib_hash(X if items is None else items),
        "n_samples": n,
        "chunk_size": int(chunk_size),
    }
    manifest = _read_manifest(path)
    if manifest is not None and not resume:
        _remove_ours(path)
        manifest = None
    if manifest is not None:
        changed = [k for k, v in key.items() if manifest.get(k) != v]
        if changed:
            what = {
                "transformer_hash": "transformer (parameters or fitted state)",
                "x_hash": "X",
                "n_samples": "number of samples",
                "chunk_size": "chunk_size",
            }
            raise ValueError(
                f"{path} holds features of another extraction (different "
                f"{', '.join(what[k] for k in changed)}; it was written by "
                f"{manifest.get('transformer_repr')}); use a new folder, or "
                "resume=False to delete those shards and start again. "
                f"Received: transformer={transformer!r}"
            )
    else:
        _write_json(path / _INDEX, {"X": items})
        manifest = {
            "format": _FORMAT,
            "version": _VERSION,
            "transformer": f"{type(transformer).__module__}."
            f"{type(transformer).__qualname__}",
            "transformer_repr": repr(transformer),
            **key,
            "n_shards": n_shards,
            "sample_shape": None,
            "dtype": None,
            "done": [],
        }
        _write_json(path / _MANIFEST, manifest)
    _clean_stale(path)
    done = {i for i in manifest["done"] if (path / _SHARD.format(i)).is_file()}
    if len(done) != len(manifest["done"]):  # a listed shard was deleted
        manifest["done"] = sorted(done)
        _write_json(path / _MANIFEST, manifest)
    todo = [i for i in range(n_shards) if i not in done]

    def record(index, shape, dtype):
        shape_str = ", ".join(map(str, shape))
        if manifest["sample_shape"] is None:
            manifest["sample_shape"], manifest["dtype"] = shape, dtype
        elif manifest["sample_shape"] != shape or manifest["dtype"] != dtype:
            raise ValueError(
                f"chunk {index} gave features of shape (n, {shape_str})"
                f" and dtype {dtype}, but earlier chunks gave "
                f"(n, {', '.join(map(str, manifest['sample_shape']))}) and "
                f"{manifest['dtype']}: the transformer's output depends on the "
                "batch; fix its length (max_frames/duration) or fit it first"
            )
        done.add(index)
        manifest["done"] = sorted(done)
        _write_json(path / _MANIFEST, manifest)

    tasks = (
        delayed(_extract_chunk)(
            transformer, X[i * chunk_size : (i + 1) * chunk_size], str(path), i
        )
        for i in todo
    )
    results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(tasks)
    for result in progress(
        results, total=len(todo), desc="extracting to disk", verbose=verbose
    ):
        record(*result)
    return FeatureShards(path)


class FeatureShards:
    """Features written by :func:`extract_to_disk`, read lazily from disk.

    An array-like of shape ``(n_samples, *sample_shape)``: ``len``,
    ``shape``, ``dtype``, ``ndim`` and indexing of the first axis with an
    int, a slice, an array of ints or a boolean mask (returning an
    in-memory ``ndarray`` holding only those rows). Shards are opened with
    ``np.load(mmap_mode="r")`` when first needed (at most ``max_open`` at a
    time). ``np.asarray(shards)`` loads everything.

    Parameters
    ----------
    path : str or path-like
        Folder written by :func:`extract_to_disk`; it must be complete.
    max_open : int, default=64
        Memory-mapped shards kept open.

    Attributes
    ----------
    shape : tuple of int
    dtype : numpy.dtype
    n_shards, chunk_size : int
    manifest : dict
        The parsed ``manifest.json``.
    filenames : list of str or None
        ``X``'s paths in order, when ``X`` held only paths.

    Examples
    --------
    Train a scikeras classifier block by block (``partial_fit`` runs one
    epoch over the rows it is given)::

        for epoch in range(10):
            for Xb, yb in shards.iter_batches(y, batch_size=4096, shuffle=True,
                                              random_state=epoch):
                clf.partial_fit(Xb, yb, classes=np.unique(y))

    or hand raw Keras a ``PyDataset``:
    ``model.fit(shards.to_keras(y_int, batch_size=32), epochs=10)``.
    """

    def __init__(self, path, *, max_open=64):
        self.path = Path(path)
        manifest = _read_manifest(self.path)
        if manifest is None:
            raise FileNotFoundError(
                f"{self.path / _MANIFEST} not found: not a folder written by "
                "extract_to_disk"
            )
        missing = sorted(set(range(manifest["n_shards"])) - set(manifest["done"]))
        if missing:
            raise ValueError(
                f"{self.path}: extraction incomplete, {len(missing)} of "
                f"{manifest['n_shards']} shards missing (first: {missing[0]}); run "
                "extract_to_disk again with the same arguments to finish it"
            )
        self.manifest = manifest
        self.n_shards = int(manifest["n_shards"])
        self.chunk_size = int(manifest["chunk_size"])
        self.shape = (int(manifest["n_samples"]), *manifest["sample_shape"])
        self.dtype = np.dtype(manifest["dtype"])
        self.max_open = int(max_open)
        self._open = OrderedDict()

    @property
    def filenames(self):
        with open(self.path / _INDEX) as f:
            return json.load(f)["X"]

    @property
    def ndim(self):
        return len(self.shape)

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return (
            f"FeatureShards({str(self.path)!r}, shape={self.shape}, "
            f"dtype={self.dtype}, n_shards={self.n_shards})"
        )

    def shard(self, i):
        """Shard ``i`` as a read-only memory map of its rows."""
        if i in self._open:
            self._open.move_to_end(i)
            return self._open[i]
        arr = np.load(self.path / _SHARD.format(i), mmap_mode="r")
        self._open[i] = arr
        while len(self._open) > self.max_open:
            self._open.popitem(last=False)
        return arr

    def _rows(self, idx):
        """Rows ``idx`` (1-D int array, any order) gathered into one ndarray."""
        out = np.empty((len(idx), *self.shape[1:]), dtype=self.dtype)
        which = idx // self.chunk_size
        order = np.argsort(which, kind="stable")
        bounds = np.flatnonzero(np.diff(which[order])) + 1
        for part in np.split(order, bounds):
            if len(part):
                s = int(which[part[0]])
                out[part] = self.shard(s)[idx[part] - s * self.chunk_size]
        return out

    def __getitem__(self, key):
        n = len(self)
        if isinstance(key, tuple):
            head, rest = key[0], key[1:]
            return self[head][(slice(None), *rest) if np.ndim(head) else rest]
        if isinstance(key, (Integral, np.integer)) and not isinstance(key, bool):
            i = int(key)
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for {n} samples")
            i %= n
            s = i // self.chunk_size
            return np.array(self.shard(s)[i - s * self.chunk_size])
        if isinstance(key, slice):
            return self._rows(np.arange(n)[key])
        idx = np.asarray(key)
        if idx.dtype == bool:
            if idx.shape != (n,):
                raise IndexError(
                    f"boolean index of shape {idx.shape} does not match {n} samples"
                )
            idx = np.flatnonzero(idx)
        elif idx.dtype.kind not in "iu" or idx.ndim != 1:
            raise IndexError(
                "FeatureShards takes an int, a slice, a 1-D array of ints or a "
                f"boolean mask. Received: {key!r}"
            )
        if idx.size and (idx.min() < -n or idx.max() >= n):
            raise IndexError(f"index out of bounds for {n} samples")
        return self._rows(idx % n if idx.size else idx.astype(np.intp))

    def __array__(self, dtype=None, copy=None):
        out = self._rows(np.arange(len(self)))
        return out if dtype is None else out.astype(dtype, copy=False)

    def iter_batches(self, y=None, *, batch_size=256, shuffle=False, random_state=None):
        """Yield ``X_batch`` (or ``(X_batch, y_batch)`` with ``y``) in memory.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or None
        batch_size : int, default=256
        shuffle : bool, default=False
            Visit the rows in a random order (drawn from ``random_state``).
        random_state : int, RandomState or None

        Yields
        ------
        ndarray or tuple of ndarray
        """
        order = _order(len(self), shuffle, random_state)
        if y is not None:
            y = _check_y(y, len(self))
        for lo in range(0, len(self), int(batch_size)):
            idx = order[lo : lo + int(batch_size)]
            yield self._rows(idx) if y is None else (self._rows(idx), y[idx])

    def to_keras(self, y, *, batch_size=32, shuffle=True, random_state=None, **kwargs):
        """A ``keras.utils.PyDataset`` of ``(X_batch, y_batch)`` for ``Model.fit``.

        Keras is imported only here. ``y`` goes to Keras as given (integer
        class indices for a sparse categorical loss). With ``shuffle`` the
        order is redrawn after every epoch. ``**kwargs`` go to ``PyDataset``
        (``workers``, ``use_multiprocessing``, ``max_queue_size``).
        """
        from ._disk_keras import ShardsDataset

        return ShardsDataset(
            self,
            _check_y(y, len(self)),
            batch_size=batch_size,
            shuffle=shuffle,
            random_state=random_state,
            **kwargs,
        )


def _order(n, shuffle, random_state):
    if shuffle:
        return check_random_state(random_state).permutation(n)
    return np.arange(n)


def _check_y(y, n):
    y = np.asarray(y)
    if y.shape[0] != n:
        raise ValueError(
            f"y has {y.shape[0]} labels but the shards hold {n} samples"
        )
    return y
