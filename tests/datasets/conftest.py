"""Fixtures of the dataset tests: real clips to build small corpora from."""

import shutil

import pytest

from sklearn_ser.datasets import SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_clips():
    """Real RAVDESS FLAC clips shipped in the package (120), sorted."""
    clips = sorted(SAMPLE_DIR.rglob("*.flac"))
    assert len(clips) >= 16
    return clips


@pytest.fixture
def make_tree(tmp_path, sample_clips):
    """Build a corpus tree of real audio under ``tmp_path``.

    ``make_tree({"Angry/spk1_kz_elma.flac": 0, ...}, root="turev")`` copies
    sample clip number ``i`` to each relative path and returns the root.
    """

    def make(layout, root="corpus"):
        base = tmp_path / root
        for rel, i in layout.items():
            dst = base / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sample_clips[i % len(sample_clips)], dst)
        return base

    return make
