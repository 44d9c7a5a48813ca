"""Shared fixtures: where the real corpora are, and how their absence is handled.

Corpora are found under ``$SER_DATA`` (``ravdess_speech/``, ``tess/``,
``bad_inputs/``); when it is unset, the developer checkout's
``../shared/data`` is used if present. A missing corpus skips the test with a
reason, except when ``SER_REQUIRE_DATA=1`` (CI), where it fails instead.
"""

import os
import warnings
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _data_root():
    env = os.environ.get("SER_DATA")
    if env:
        return Path(env).expanduser()
    return REPO.parent / "shared" / "data"


def _require(name):
    path = _data_root() / name
    if not path.is_dir():
        msg = (
            f"corpus {name!r} not found at {path}; set SER_DATA to the folder that "
            f"holds {name}/"
        )
        if os.environ.get("SER_REQUIRE_DATA") == "1":
            pytest.fail(msg + " (SER_REQUIRE_DATA=1 makes this a failure)")
        pytest.skip(msg)
    return path


def require_musicnn():
    """Skip (fail under SER_REQUIRE_DATA=1, as in CI) without musicnn's weights."""
    import importlib.util

    if importlib.util.find_spec("musicnn") is None:
        msg = (
            "musicnn's weights are not installed: pip install --no-deps musicnn==0.1.0"
        )
        if os.environ.get("SER_REQUIRE_DATA") == "1":
            pytest.fail(msg + " (.ci/run installs them; SER_REQUIRE_DATA=1)")
        pytest.skip(msg)


@pytest.fixture(scope="session")
def musicnn_weights():
    """The musicnn package's MSD checkpoint folder (the weights ship inside it)."""
    require_musicnn()
    from sklearn_ser.models._musicnn import _default_weights

    return _default_weights("MSD_musicnn")


@pytest.fixture(scope="session")
def data_root():
    """The folder holding all corpora (may be incomplete)."""
    return _data_root()


@pytest.fixture(scope="session")
def ravdess_root():
    return _require("ravdess_speech")


@pytest.fixture(scope="session")
def tess_root():
    return _require("tess")


@pytest.fixture(scope="session")
def bad_inputs_dir():
    return _require("bad_inputs")


@pytest.fixture(scope="session")
def mer_root():
    """The MER four-quadrant music corpus (Q1..Q4 folders, metadata CSV)."""
    return _require("mer_4q")


@pytest.fixture(scope="session")
def ravdess_files(ravdess_root):
    """All 1440 RAVDESS speech files, sorted."""
    return sorted(str(p) for p in ravdess_root.rglob("*.flac"))


@pytest.fixture(scope="session")
def tess_files(tess_root):
    return sorted(str(p) for p in tess_root.rglob("*.flac"))


@pytest.fixture(scope="session")
def chunked_transform():
    """``f(transformer, X, size)``: ``transform`` on consecutive chunks of
    ``size`` samples, stacked, as ``extract_to_disk(chunk_size=size)`` runs it.

    The reference for bit-exact comparisons with chunked extraction: OpenBLAS
    rounds a float32 matrix product differently for different numbers of rows
    on some CPUs (its Haswell kernels, which it picks on AMD EPYC; a plain
    ``(A @ B)[:m]`` against ``A[:m] @ B`` differs by 1e-5 relative there), so
    features computed in other batches agree to float32 rounding only.
    """

    def transform(transformer, X, size):
        return np.concatenate(
            [transformer.transform(X[i : i + size]) for i in range(0, len(X), size)]
        )

    return transform


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def pytest_configure(config):
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow")
