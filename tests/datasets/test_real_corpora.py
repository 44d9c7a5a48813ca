"""RAVDESS, TESS and the combined S0 table on the real shipped corpora.

Expected counts are computed here from each corpus' MANIFEST.tsv with a
plain parse of the names, independently of the loaders.
"""

import csv
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from sklearn_ser.datasets import (
    TESS_ACTORS,
    load_ravdess,
    load_ravdess_tess,
    load_tess,
)

pytestmark = pytest.mark.data

RAVDESS_WORDS = [
    "neutral",
    "calm",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
    "surprised",
]


def manifest(root):
    with open(Path(root) / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def ravdess_expected(root):
    """(relative path -> (emotion, actor)) from the manifest."""
    out = {}
    for row in manifest(root):
        fields = Path(row["path"]).stem.split("-")
        out[row["path"]] = (RAVDESS_WORDS[int(fields[2]) - 1], int(fields[6]))
    return out


def tess_expected(root):
    """(relative path -> (emotion, speaker)): emotion from the last name
    field, speaker from the folder (one original file is named OA_...)."""
    words = {"ps": "pleasant_surprise"}
    out = {}
    for row in manifest(root):
        p = Path(row["path"])
        emo = p.stem.rsplit("_", 1)[1]
        out[row["path"]] = (words.get(emo, emo), p.parent.name[:3])
    return out


@pytest.fixture(scope="module")
def ravdess(data_root, ravdess_root):
    return load_ravdess(data_root, as_frame=True)


@pytest.fixture(scope="module")
def tess(data_root, tess_root):
    return load_tess(data_root, as_frame=True)


# --------------------------------------------------------------------------- #
# RAVDESS
# --------------------------------------------------------------------------- #


def test_ravdess_counts_match_manifest(ravdess, ravdess_root):
    expected = ravdess_expected(ravdess_root)
    assert len(expected) == 1440
    got = {
        Path(f).relative_to(ravdess_root).as_posix(): (t, int(g.split("_")[1]))
        for f, t, g in zip(
            ravdess.filenames, ravdess.target, ravdess.groups, strict=True
        )
    }
    assert got == expected
    counts = Counter(ravdess.target)
    assert counts == Counter(e for e, _ in expected.values())
    assert counts["neutral"] == 96
    assert all(counts[w] == 192 for w in RAVDESS_WORDS[1:])
    assert list(ravdess.target_names) == sorted(RAVDESS_WORDS)


def test_ravdess_speakers_and_metadata(ravdess):
    groups = Counter(ravdess.groups)
    assert len(groups) == 24 and set(groups.values()) == {60}
    assert sorted(groups) == [f"Actor_{i:02d}" for i in range(1, 25)]
    f = ravdess.frame
    assert list(f.columns) == [
        "path",
        "speaker",
        "actor",
        "gender",
        "modality",
        "vocal_channel",
        "emotion",
        "intensity",
        "statement",
        "repetition",
    ]
    assert (f.gender == np.where(f.actor % 2 == 1, "male", "female")).all()
    assert (f.vocal_channel == "speech").all() and (f.modality == "audio-only").all()
    # neutral only at normal intensity; 12 male and 12 female actors
    assert set(f.intensity[f.emotion == "neutral"]) == {"normal"}
    assert f.groupby("gender").actor.nunique().to_dict() == {"female": 12, "male": 12}
    assert (f.path.to_numpy() == ravdess.filenames).all()
    assert (f.emotion.to_numpy() == ravdess.target).all()
    assert (ravdess.metadata["actor"] == f.actor.to_numpy()).all()


def test_ravdess_bunch_layout(ravdess, ravdess_root):
    assert ravdess.data is ravdess.filenames
    assert list(ravdess.filenames) == sorted(ravdess.filenames)
    assert all(os.path.isfile(p) for p in ravdess.filenames[:5])
    assert "CC BY-NC-SA" in ravdess.DESCR and "1188976" in ravdess.DESCR
    X, y = load_ravdess(ravdess_root, return_X_y=True)
    assert (X == ravdess.filenames).all() and (y == ravdess.target).all()
    Xs, ys = load_ravdess(ravdess_root, return_X_y=True, as_frame=True)
    assert Xs.name == "path" and ys.name == "emotion" and len(Xs) == 1440
    assert load_ravdess(ravdess_root).frame is None


def test_ravdess_vocal_channel_that_is_absent(data_root, ravdess_root):
    with pytest.raises(FileNotFoundError, match="song"):
        load_ravdess(ravdess_root, vocal_channel="song")
    with pytest.raises(FileNotFoundError, match="song"):
        load_ravdess(data_root, vocal_channel="all")


# --------------------------------------------------------------------------- #
# TESS
# --------------------------------------------------------------------------- #


def test_tess_counts_match_manifest(tess, tess_root):
    expected = tess_expected(tess_root)
    assert len(expected) == 2798
    got = {
        Path(f).relative_to(tess_root).as_posix(): (t, g)
        for f, t, g in zip(tess.filenames, tess.target, tess.groups, strict=True)
    }
    assert got == expected
    assert Counter(tess.target) == Counter(e for e, _ in expected.values())
    assert len(tess.target_names) == 7 and "pleasant_surprise" in tess.target_names
    assert Counter(tess.groups) == Counter(s for _, s in expected.values())
    assert sorted(set(tess.groups)) == ["OAF", "YAF"]


def test_tess_metadata(tess):
    f = tess.frame
    assert list(f.columns) == ["path", "speaker", "gender", "age", "word", "emotion"]
    assert set(f.gender) == {"female"}
    assert f.groupby("speaker").age.first().to_dict() == {"OAF": 64, "YAF": 26}
    # 200 words, each spoken by both speakers
    assert f.word.nunique() == 200
    row = f[f.path.str.endswith("OAF_back_fear.flac")].iloc[0]
    assert (row.word, row.emotion, row.speaker) == ("back", "fear", "OAF")
    odd = f[f.path.str.endswith("OA_bite_neutral.flac")].iloc[0]
    assert (odd.speaker, odd.word, odd.emotion) == ("OAF", "bite", "neutral")


# --------------------------------------------------------------------------- #
# Combined S0 table
# --------------------------------------------------------------------------- #


def test_ravdess_tess_table(data_root, ravdess_root, tess_root):
    b = load_ravdess_tess(data_root, as_frame=True)
    f = b.frame
    rav, tes = ravdess_expected(ravdess_root), tess_expected(tess_root)
    assert len(f) == len(rav) + len(tes) == 4238
    assert list(f.columns) == [
        "path",
        "source",
        "actor",
        "gender",
        "intensity",
        "statement",
        "repetition",
        "emotion",
    ]
    assert Counter(f.source) == {"RAVDESS": 1440, "TESS": 2798}
    # TESS speakers become actors 25 (YAF) and 26 (OAF)
    assert TESS_ACTORS == {"YAF": 25, "OAF": 26}
    t = f[f.source == "TESS"]
    folder_speaker = t.path.map(lambda p: Path(p).parent.name[:3])
    assert ((folder_speaker == "YAF") == (t.actor == 25)).all()
    assert set(t.actor) == {25, 26} and set(t.gender) == {"female"}
    assert t.intensity.isna().all() and t.repetition.isna().all()
    assert set(f.actor) == set(range(1, 27))
    # one vocabulary: RAVDESS's eight words
    assert list(b.target_names) == sorted(RAVDESS_WORDS)
    mapping = {"fear": "fearful", "pleasant_surprise": "surprised"}
    expected = Counter(e for e, _ in rav.values()) + Counter(
        mapping.get(e, e) for e, _ in tes.values()
    )
    assert Counter(b.target) == expected
    assert expected["fearful"] == 192 + 400 and expected["calm"] == 192
    assert set(b.groups) == {f"Actor_{i:02d}" for i in range(1, 27)}
    r = f[f.source == "RAVDESS"]
    assert set(r.statement) == {
        "Kids are talking by the door",
        "Dogs are sitting by the door",
    }
    assert t.statement.str.startswith("Say the word ").all()


def test_ravdess_tess_separate_homes(tmp_path, ravdess_root, tess_root):
    b = load_ravdess_tess(ravdess_home=ravdess_root, tess_home=tess_root)
    assert len(b.filenames) == 4238
    with pytest.raises(FileNotFoundError, match="TESS"):
        load_ravdess_tess(ravdess_home=ravdess_root, tess_home=tmp_path)


# --------------------------------------------------------------------------- #
# Where corpora are found
# --------------------------------------------------------------------------- #


def test_data_home_from_argument_env_and_default(
    monkeypatch, tmp_path, data_root, ravdess
):
    monkeypatch.setenv("SER_DATA", str(data_root))
    assert (load_ravdess().filenames == ravdess.filenames).all()
    assert len(load_tess().filenames) == 2798
    # the argument wins over the environment
    monkeypatch.setenv("SER_DATA", str(tmp_path / "nowhere"))
    assert len(load_ravdess(data_root).filenames) == 1440
    # the default: ~/sklearn_ser_data
    monkeypatch.delenv("SER_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "sklearn_ser_data").mkdir()
    os.symlink(
        data_root / "ravdess_speech", tmp_path / "sklearn_ser_data" / "ravdess_speech"
    )
    assert len(load_ravdess().filenames) == 1440


def test_original_archive_names(tmp_path, ravdess_root, tess_root):
    home = tmp_path / "home"
    home.mkdir()
    os.symlink(ravdess_root, home / "Audio_Speech_Actors_01-24")
    (home / "downloads").mkdir()
    os.symlink(tess_root, home / "downloads" / "TESS Toronto emotional speech set data")
    r = load_ravdess(home)
    assert len(r.filenames) == 1440
    assert r.filenames[0].startswith(str(home / "Audio_Speech_Actors_01-24"))
    t = load_tess(home)
    assert len(t.filenames) == 2798
    assert len(load_ravdess_tess(home).filenames) == 4238
    # underscore spelling of the TESS archive, and the root passed directly
    other = tmp_path / "other"
    other.mkdir()
    os.symlink(tess_root, other / "TESS_Toronto_emotional_speech_set_data")
    assert len(load_tess(other).filenames) == 2798
    assert len(load_tess(tess_root).filenames) == 2798


def test_missing_corpus_says_where_and_how(monkeypatch, tmp_path):
    monkeypatch.setenv("SER_DATA", str(tmp_path))
    (tmp_path / "tess").mkdir()  # exists but empty
    with pytest.raises(OSError) as info:
        load_tess()
    msg = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    assert str(tmp_path) in msg and "SER_DATA" in msg and "data_home=" in msg
    assert "holds no files named like the corpus" in msg
    with pytest.raises(FileNotFoundError, match="fetch_ravdess") as info:
        load_ravdess(tmp_path / "does_not_exist")
    assert "does not exist" in str(info.value)
    assert "the data_home argument" in str(info.value)


# --------------------------------------------------------------------------- #
# verify=True
# --------------------------------------------------------------------------- #


def test_verify_passes_on_the_real_corpora(data_root, ravdess, tess):
    assert (load_ravdess(data_root, verify=True).filenames == ravdess.filenames).all()
    assert len(load_tess(data_root, verify=True).filenames) == 2798


def _linked_copy(src, dst):
    """A copy of ``src`` made of symlinks to its files (fast), with its manifest."""
    for row in manifest(src):
        target = dst / row["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(src / row["path"], target)
    shutil.copyfile(src / "MANIFEST.tsv", dst / "MANIFEST.tsv")


def test_verify_detects_altered_missing_and_extra_files(tmp_path, ravdess_root):
    root = tmp_path / "ravdess_speech"
    _linked_copy(ravdess_root, root)
    assert len(load_ravdess(root, verify=True).filenames) == 1440
    altered = root / "Actor_03/03-01-05-02-01-01-03.flac"
    data = bytearray(altered.read_bytes())
    data[-100] ^= 0xFF
    altered.unlink()
    altered.write_bytes(bytes(data))
    (root / "Actor_07/03-01-02-01-01-01-07.flac").unlink()
    extra = root / "Actor_07/03-01-02-01-01-01-07.wav"
    shutil.copyfile(ravdess_root / "Actor_07/03-01-03-01-01-01-07.flac", extra)
    # without verify the tree loads (the .wav stands in for the missing file)
    assert len(load_ravdess(root).filenames) == 1440
    with pytest.raises(OSError) as info:
        load_ravdess(root, verify=True)
    msg = str(info.value)
    assert "1 missing" in msg and "Actor_07/03-01-02-01-01-01-07.flac" in msg
    assert "1 extra" in msg and "Actor_07/03-01-02-01-01-01-07.wav" in msg
    assert (
        "1 with a different sha256" in msg
        and "Actor_03/03-01-05-02-01-01-03.flac" in msg
    )


def test_verify_without_manifest_warns(tmp_path, ravdess_root):
    root = tmp_path / "r"
    _linked_copy(ravdess_root, root)
    (root / "MANIFEST.tsv").unlink()
    with pytest.warns(UserWarning, match="MANIFEST.tsv does not exist"):
        b = load_ravdess(root, verify=True)
    assert len(b.filenames) == 1440
