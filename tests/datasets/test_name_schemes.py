"""Loaders of corpora we do not ship (TurEV-DB, CREMA-D, EMO-DB, one folder per
class), bad names and audio extensions, on small trees of real RAVDESS clips
(the package's sample) copied under correctly named paths."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sklearn_ser.datasets import (
    load_crema_d,
    load_emodb,
    load_folder,
    load_ravdess,
    load_tess,
    load_turev_db,
)
from sklearn_ser.io import load_audio


def rel(bunch, root):
    return [Path(f).relative_to(root).as_posix() for f in bunch.filenames]


# --------------------------------------------------------------------------- #
# TurEV-DB
# --------------------------------------------------------------------------- #

TUREV = {
    "Angry/1358_kz_elma.wav": 0,
    "Angry/2211_kz_kapi.wav": 1,
    "Calm/1358_sk_elma.wav": 2,
    "Calm/4410_sk_su.wav": 3,
    "Happy/2211_mt_kapi.wav": 4,
    "Happy/4410_mt_masa_ustu.wav": 5,
    "Sad/1358_hl_kapi.wav": 6,
    "Sad/2211_hl_su.wav": 7,
}


def test_turev_db(make_tree, tmp_path):
    root = make_tree(TUREV, root="TurEV-DB")
    b = load_turev_db(tmp_path, as_frame=True)  # found by its archive name
    assert rel(b, root) == sorted(TUREV)
    folder = [Path(p).parent.name.lower() for p in sorted(TUREV)]
    assert list(b.target) == folder
    assert list(b.target_names) == ["angry", "calm", "happy", "sad"]
    assert Counter(b.groups) == {"1358": 3, "2211": 3, "4410": 2}
    assert list(b.frame.columns) == [
        "path",
        "speaker",
        "emotion_code",
        "word",
        "emotion",
    ]
    assert b.frame.word.tolist()[
        b.frame.path.str.endswith("masa_ustu.wav").argmax()
    ] == ("masa_ustu")
    assert "TurEV-DB" in b.DESCR and "kz" in b.DESCR
    # the corpus root itself works too
    assert (load_turev_db(root).filenames == b.filenames).all()


def test_turev_db_code_and_folder_disagree(make_tree):
    root = make_tree({**TUREV, "Happy/1358_hl_ev.wav": 9})
    with pytest.raises(ValueError, match=r"Happy/1358_hl_ev\.wav.*means sad"):
        load_turev_db(root)
    root = make_tree({"Angry/1358_xx_ev.wav": 0, "Angry/1358_kz_ev.wav": 1}, root="t2")
    with pytest.raises(ValueError, match="1358_xx_ev.wav"):
        load_turev_db(root)


# --------------------------------------------------------------------------- #
# CREMA-D
# --------------------------------------------------------------------------- #

CREMA = {
    "AudioWAV/1001_DFA_ANG_XX.wav": 0,
    "AudioWAV/1001_IEO_HAP_HI.wav": 1,
    "AudioWAV/1002_TIE_SAD_LO.wav": 2,
    "AudioWAV/1002_IWW_NEU_XX.wav": 3,
    "AudioWAV/1091_WSI_FEA_MD.wav": 4,
    "AudioWAV/1091_ITH_DIS_XX.wav": 5,
}


def test_crema_d(make_tree, tmp_path):
    make_tree(CREMA, root="downloads")
    b = load_crema_d(tmp_path / "downloads", as_frame=True)  # finds AudioWAV/
    assert len(b.filenames) == 6
    codes = {
        "ANG": "angry",
        "HAP": "happy",
        "SAD": "sad",
        "NEU": "neutral",
        "FEA": "fear",
        "DIS": "disgust",
    }
    expected = [codes[Path(p).stem.split("_")[2]] for p in sorted(CREMA)]
    assert list(b.target) == expected
    assert list(b.groups) == [Path(p).stem[:4] for p in sorted(CREMA)]
    f = b.frame
    row = f[f.path.str.endswith("1091_WSI_FEA_MD.wav")].iloc[0]
    assert (row.actor, row.sentence, row.level, row.emotion) == (
        1091,
        "WSI",
        "medium",
        "fear",
    )
    assert row.statement == "We'll stop in a couple of minutes"


def test_crema_d_bad_names(make_tree):
    root = make_tree(
        {**CREMA, "AudioWAV/1001_DFA_JOY_XX.wav": 6, "AudioWAV/10x1_DFA.wav": 7}
    )
    with pytest.raises(ValueError) as info:
        load_crema_d(root)
    msg = str(info.value)
    assert "2 file(s)" in msg and "1001_DFA_JOY_XX.wav" in msg and "10x1_DFA.wav" in msg
    assert "'JOY'" in msg


# --------------------------------------------------------------------------- #
# EMO-DB
# --------------------------------------------------------------------------- #

EMODB = {
    "wav/03a01Fa.wav": 0,
    "wav/03a01Wa.wav": 1,
    "wav/08b10Lc.wav": 2,
    "wav/09a05Eb.wav": 3,
    "wav/13b03Ab.wav": 4,
    "wav/16a07Ta.wav": 5,
    "wav/11b09Nd.wav": 6,
}


def test_emodb(make_tree, tmp_path):
    make_tree(EMODB, root="EMO-DB")
    b = load_emodb(tmp_path, as_frame=True)
    letters = {
        "W": "anger",
        "L": "boredom",
        "E": "disgust",
        "A": "fear",
        "F": "happiness",
        "T": "sadness",
        "N": "neutral",
    }
    assert list(b.target) == [letters[Path(p).stem[5]] for p in sorted(EMODB)]
    assert len(b.target_names) == 7
    assert list(b.groups) == [Path(p).stem[:2] for p in sorted(EMODB)]
    f = b.frame.set_index(b.frame.path.map(lambda p: Path(p).stem))
    assert (
        f.loc["03a01Fa", "gender"] == "male" and f.loc["08b10Lc", "gender"] == "female"
    )
    assert (f.loc["16a07Ta", "text"], f.loc["16a07Ta", "version"]) == ("a07", "a")


def test_emodb_bad_name_warn_option(make_tree):
    root = make_tree({**EMODB, "wav/03a01Xa.wav": 7})
    with pytest.raises(ValueError, match="03a01Xa.wav"):
        load_emodb(root)
    with pytest.warns(UserWarning, match=r"(?s)03a01Xa\.wav.*skipped"):
        b = load_emodb(root, on_bad_name="warn")
    assert len(b.filenames) == len(EMODB)
    with pytest.raises(ValueError, match="Received: on_bad_name='ignore'"):
        load_emodb(root, on_bad_name="ignore")


# --------------------------------------------------------------------------- #
# RAVDESS / TESS names, duplicates and audio extensions
# --------------------------------------------------------------------------- #


def test_ravdess_bad_names_are_named(make_tree):
    root = make_tree(
        {
            "Actor_01/03-01-03-01-01-01-01.flac": 0,
            "Actor_01/03-01-09-01-01-01-01.flac": 1,  # emotion 09
            "Actor_01/03-01-01-02-01-01-01.flac": 2,  # neutral, strong
            "Actor_02/03-01-03-01-01-01-04.flac": 3,  # actor 04 in Actor_02
            "Actor_02/take1.flac": 4,
        }
    )
    with pytest.raises(ValueError) as info:
        load_ravdess(root)
    msg = str(info.value)
    assert "4 file(s)" in msg
    for name in [
        "03-01-09-01-01-01-01",
        "03-01-01-02-01-01-01",
        "03-01-03-01-01-01-04",
        "take1",
    ]:
        assert name in msg
    assert "emotion code 09" in msg and "neutral has no strong" in msg


def test_duplicate_recordings_are_reported(make_tree):
    # two copies of the corpus under one named folder
    root = make_tree(
        {
            "ravdess/copy1/Actor_01/03-01-03-01-01-01-01.flac": 0,
            "ravdess/copy2/Actor_01/03-01-03-01-01-01-01.flac": 0,
            "ravdess/copy1/Actor_01/03-01-04-01-01-01-01.flac": 1,
        }
    )
    with pytest.raises(
        ValueError, match=r"copy2/Actor_01/03-01-03-01-01-01-01\.flac \(duplicate of"
    ):
        load_ravdess(root)
    with pytest.warns(UserWarning, match="duplicate of"):
        b = load_ravdess(root, on_bad_name="warn")
    assert [Path(f).parent.parent.name for f in b.filenames] == ["copy1", "copy1"]
    # the same recording as .flac and .wav
    root = make_tree(
        {
            "Actor_02/03-01-03-01-01-01-02.flac": 2,
            "Actor_02/03-01-03-01-01-01-02.wav": 2,
        },
        root="r2",
    )
    with pytest.raises(ValueError, match=r"03-01-03-01-01-01-02\.wav \(duplicate of"):
        load_ravdess(root)


def test_any_audio_extension_and_hidden_files(tmp_path, sample_clips):
    """Real audio re-encoded to WAV, OGG, AIFF and FLAC (upper-case suffix)."""
    root = tmp_path / "Audio_Speech_Actors_01-24"
    (root / "Actor_01").mkdir(parents=True)
    y, sr = sf.read(sample_clips[0], dtype="float32")
    names = {
        "03-01-01-01-01-01-01.wav": "WAV",
        "03-01-02-01-01-01-01.ogg": "OGG",
        "03-01-03-01-01-01-01.aiff": "AIFF",
        "03-01-04-01-01-01-01.FLAC": "FLAC",
    }
    for name, fmt in names.items():
        sf.write(root / "Actor_01" / name, y, sr, format=fmt)
    # not audio, hidden or macOS metadata: ignored
    (root / "Actor_01" / "notes.txt").write_text("x")
    (root / "Actor_01" / "._03-01-05-01-01-01-01.wav").write_bytes(b"\0" * 10)
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "03-01-06-01-01-01-01.wav").write_bytes(b"\0" * 10)
    b = load_ravdess(tmp_path)
    assert [Path(f).name for f in b.filenames] == sorted(names)
    assert list(b.target) == ["neutral", "calm", "happy", "sad"]
    assert all(load_audio(f).size > 0 for f in b.filenames)


def test_tess_bad_names(make_tree):
    root = make_tree(
        {
            "OAF_angry/OAF_back_angry.wav": 0,
            "YAF_fear/YAF_back_fear.wav": 1,
            "YAF_fear/YAF_back_scared.wav": 2,
            "OAF_fear/XYZ_back_fear.wav": 3,
        }
    )
    with pytest.raises(ValueError) as info:
        load_tess(root)
    assert "YAF_back_scared.wav" in str(info.value) and "XYZ_back_fear.wav" in str(
        info.value
    )


def test_parameter_validation(tmp_path):
    with pytest.raises(ValueError, match="Received: vocal_channel='both'"):
        load_ravdess(tmp_path, vocal_channel="both")
    with pytest.raises(ValueError, match="Received: as_frame='yes'"):
        load_tess(tmp_path, as_frame="yes")


# --------------------------------------------------------------------------- #
# One folder per class
# --------------------------------------------------------------------------- #

FOLDER = {
    "happy/anna_001.wav": 0,
    "happy/ben_002.wav": 1,
    "happy/extra/anna_003.wav": 2,
    "sad/anna_004.wav": 3,
    "sad/cleo_005.wav": 4,
    "neutral/ben_006.wav": 5,
}


def test_load_folder_labels_and_no_groups(make_tree):
    root = make_tree(FOLDER)
    b = load_folder(root, as_frame=True)
    assert rel(b, root) == sorted(FOLDER)
    assert list(b.target) == [p.split("/")[0] for p in sorted(FOLDER)]
    assert list(b.target_names) == ["happy", "neutral", "sad"]
    assert b.groups is None
    assert list(b.frame.columns) == ["path", "label"]
    assert "3 classes" in b.DESCR


def test_load_folder_speaker_regex_and_callable(make_tree):
    root = make_tree(FOLDER)
    b = load_folder(root, speaker=r"^(?P<speaker>[a-z]+)_")
    assert list(b.groups) == [Path(p).stem.split("_")[0] for p in sorted(FOLDER)]
    b2 = load_folder(root, speaker=lambda p: p.stem[:1].upper())
    assert list(b2.groups) == [g[0].upper() for g in b.groups]
    with pytest.raises(ValueError, match=r"ben_002\.wav.*does not match"):
        load_folder(root, speaker=r"^(anna|cleo)_")
    with pytest.raises(ValueError, match="Received: speaker=3"):
        load_folder(root, speaker=3)


def test_load_folder_errors(make_tree, tmp_path):
    root = make_tree({**FOLDER, "loose.wav": 0})
    with pytest.raises(ValueError, match=r"loose\.wav \(not inside a class sub-folder"):
        load_folder(root)
    with pytest.warns(UserWarning, match="loose.wav"):
        assert len(load_folder(root, on_bad_name="warn").filenames) == len(FOLDER)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_folder(tmp_path / "missing")
    (tmp_path / "empty" / "happy").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="no audio files"):
        load_folder(tmp_path / "empty")


def test_x_of_paths_loads(make_tree):
    root = make_tree(FOLDER)
    X, y = load_folder(root, return_X_y=True)
    assert isinstance(X, np.ndarray) and X.dtype.kind == "U"
    assert load_audio(X[0], sr=16000).dtype == np.float32


def test_public_api_is_exported_and_documented():
    import sklearn_ser.datasets as ds

    loaders = [n for n in ds.__all__ if n.startswith(("load_", "fetch_"))]
    assert sorted(loaders) == sorted(
        [
            "fetch_ravdess",
            "load_crema_d",
            "load_cross_corpus",
            "load_emodb",
            "load_folder",
            "load_mer_4q",
            "load_ravdess",
            "load_ravdess_tess",
            "load_sample",
            "load_tess",
            "load_turev_db",
        ]
    )
    for name in loaders:
        doc = getattr(ds, name).__doc__
        assert "Parameters\n    ----------" in doc and "Returns\n    -------" in doc
        assert "%(" not in doc
