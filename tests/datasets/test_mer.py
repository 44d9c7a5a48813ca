"""load_mer_4q: real files (counts from MANIFEST.tsv and the metadata CSV) and
synthetic trees for the layout errors."""

import csv
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from sklearn_ser.datasets import MER_QUADRANTS, MER_S4_QUADRANTS, load_mer_4q
from sklearn_ser.datasets._mer import UNKNOWN_ARTIST

META = "panda_dataset_taffc_metadata.csv"


def _manifest(root):
    with open(root / "MANIFEST.tsv", newline="") as fh:
        return [r["path"] for r in csv.DictReader(fh, delimiter="\t")]


def _artists(root):
    with open(root / META, newline="", encoding="utf-8") as fh:
        return {r["Song"]: r["Artist"].strip() for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def mer(mer_root):
    return load_mer_4q(mer_root)


def test_counts_match_manifest(mer, mer_root):
    listed = _manifest(mer_root)
    per_q = Counter(p.split("/")[0] for p in listed)
    assert mer.data.shape == (len(listed),)
    expected = Counter({MER_QUADRANTS[q]: n for q, n in per_q.items()})
    assert Counter(mer.target.tolist()) == expected
    assert list(mer.target_names) == sorted(expected)
    rel = sorted(Path(p).relative_to(mer_root).as_posix() for p in mer.filenames)
    assert rel == sorted(listed)
    # the label is the quadrant of the file's folder
    folders = [Path(p).parent.name for p in mer.filenames]
    assert [MER_QUADRANTS[f] for f in folders] == mer.target.tolist()


def test_groups_are_artists_from_metadata(mer, mer_root):
    artists = _artists(mer_root)
    songs = [Path(p).stem for p in mer.filenames]
    expected = [artists[s] or UNKNOWN_ARTIST for s in songs]
    assert mer.groups.tolist() == expected
    n_groups = len(set(expected))
    assert len(set(mer.groups)) == n_groups
    # artist-independent folds keep every artist on one side
    from sklearn.model_selection import StratifiedGroupKFold

    # artists spanning quadrants: from the CSV and from the Bunch
    by_csv, by_bunch = defaultdict(set), defaultdict(set)
    for s, t in zip(songs, mer.target):
        if artists[s]:
            by_csv[artists[s]].add(t)
    for g, t in zip(mer.groups, mer.target):
        if g != UNKNOWN_ARTIST:
            by_bunch[g].add(t)
    assert by_bunch == by_csv
    for train, test in StratifiedGroupKFold(10).split(mer.data, mer.target, mer.groups):
        assert not set(mer.groups[train]) & set(mer.groups[test])


def test_metadata_columns(mer, mer_root):
    artists = _artists(mer_root)
    assert mer.metadata["song"].tolist() == [Path(p).stem for p in mer.filenames]
    assert mer.metadata["artist"].tolist() == [artists[s] for s in mer.metadata["song"]]
    assert set(mer.metadata["quadrant"]) == set(MER_QUADRANTS)
    assert "Panda" in mer.DESCR and "artist" in mer.DESCR


def test_s4_three_classes(mer_root, mer):
    b = load_mer_4q(mer_root, quadrants=MER_S4_QUADRANTS)
    keep = np.isin(mer.metadata["quadrant"], MER_S4_QUADRANTS)
    assert b.data.tolist() == mer.data[keep].tolist()
    assert list(b.target_names) == ["Q1_happy", "Q2_angry", "Q3_sad"]
    X, y = load_mer_4q(mer_root, quadrants=["Q4"], return_X_y=True)
    assert set(y) == {"Q4_calm"} and len(X) == (~keep).sum()


def test_verify_and_frame(mer_root, mer):
    b = load_mer_4q(mer_root, verify=True, as_frame=True)
    assert b.frame.shape == (len(mer.data), 8)
    assert b.frame["path"].tolist() == mer.data.tolist()


@pytest.mark.parametrize("bad", ["Q5", ("Q1", "Q1"), (), 3])
def test_bad_quadrants(bad):
    with pytest.raises(ValueError, match="quadrants"):
        load_mer_4q("/nonexistent", quadrants=bad)


def _tree(tmp_path, mer_root, songs):
    """A copy of the metadata and empty audio files for ``songs`` (Q, id)."""
    root = tmp_path / "mer_4q"
    root.mkdir()
    shutil.copy(mer_root / META, root / META)
    for q, s in songs:
        (root / q).mkdir(exist_ok=True)
        (root / q / f"{s}.ogg").write_bytes(b"x")
    return root


def _songs(mer, n=2):
    out = []
    for q in MER_QUADRANTS:
        sel = mer.metadata["song"][mer.metadata["quadrant"] == q][:n]
        out += [(q, s) for s in sel]
    return out


@pytest.mark.filterwarnings("ignore:.*have no audio file")
def test_layout_errors(tmp_path, mer_root, mer):
    songs = _songs(mer)
    (q, s), (q2, _) = songs[0], songs[2]
    root = _tree(tmp_path, mer_root, songs[1:] + [(q2, s)])
    with pytest.raises(ValueError, match=f"{s}.*says {q}"):
        load_mer_4q(root)
    with pytest.warns(UserWarning, match="1 file"):
        b = load_mer_4q(root, on_bad_name="warn")
    assert s not in b.metadata["song"]
    (root / "Q1" / "MT0000000000.ogg").write_bytes(b"x")
    with pytest.raises(ValueError, match="MT0000000000.*not in"):
        load_mer_4q(root)


def test_missing_audio_warns_and_missing_csv_raises(tmp_path, mer_root, mer):
    songs = _songs(mer)
    root = _tree(tmp_path, mer_root, songs)
    with pytest.warns(UserWarning, match=f"{len(mer.data) - len(songs)} song"):
        b = load_mer_4q(root)
    assert len(b.data) == len(songs)
    (root / META).unlink()
    with pytest.raises(FileNotFoundError, match=META):
        load_mer_4q(root)
    with pytest.raises(FileNotFoundError, match="MER 4Q not found"):
        load_mer_4q(tmp_path / "nothing")
