"""The table of corpora: every row has its loader, and a new row needs no new loader."""

import csv
from pathlib import Path

import numpy as np
import pytest

import sklearn_ser.datasets as ds
from sklearn_ser.cli import main as cli_main
from sklearn_ser.datasets import CORPORA, CorpusSpec, get_corpus_spec, list_corpora
from sklearn_ser.datasets._base import _BadName, _compile
from sklearn_ser.datasets._registry import load_corpus
from sklearn_ser.datasets._spec import load_spec


def test_every_row_has_its_loader_and_the_cli_lists_every_row(capsys):
    assert list(list_corpora()) == list(CORPORA)
    for name, spec in CORPORA.items():
        assert spec.name == name and spec.description
        assert callable(getattr(ds, spec.loader)) and spec.loader in ds.__all__
    assert cli_main(["list"]) == 0
    listed = capsys.readouterr().out
    corpus_part = listed[listed.index("\ncorpora"):]
    positions = [corpus_part.find(f"\n  {name} ") for name in CORPORA]
    assert -1 not in positions and positions == sorted(positions)
    for name in ("crema_d", "emodb", "turev_db", "ravdess", "tess", "sample"):
        assert name in CORPORA
    with pytest.raises(ValueError, match="Received: corpus='nope'"):
        get_corpus_spec("nope")


def test_load_corpus_calls_the_rows_loader(make_tree, tmp_path):
    sample = load_corpus("sample")
    np.testing.assert_array_equal(sample.data, ds.load_sample().data)
    root = make_tree({"wav/03a01Fa.wav": 0, "wav/08b02Wb.wav": 1}, root="EMO-DB")
    b = load_corpus("emodb", tmp_path)
    assert list(b.target) == ["happiness", "anger"] and list(b.groups) == ["03", "08"]
    assert Path(b.data[0]).parent == root / "wav"
    folder = load_corpus("folder", root, speaker=r"^(\d\d)")
    assert list(folder.target) == ["wav", "wav"] and list(folder.groups) == ["03", "08"]


def _parse_song(path):
    if not path.stem.startswith("MT"):
        raise _BadName("expected MT<digits>")
    return {"song": path.stem, "quadrant": path.parent.name}


def _artists_beside_audio(root):
    # metadata in a CSV beside the audio: the parser is built per root
    with open(Path(root) / "meta.csv", newline="") as fh:
        artist = {row["Song"]: row["Artist"] for row in csv.DictReader(fh)}

    def parse(path):
        rec = _parse_song(path)
        if rec["song"] not in artist:
            raise _BadName("not in meta.csv")
        return {**rec, "artist": artist[rec["song"]]}

    return parse


def test_a_new_corpus_is_one_row(make_tree, tmp_path):
    """A music corpus (quadrant folders, artists from a CSV) as a row only."""
    root = make_tree(
        {"Q1/MT01.wav": 0, "Q1/MT02.wav": 1, "Q3/MT03.wav": 2}, root="toy_mer"
    )
    (root / "meta.csv").write_text("Song,Artist\nMT01,A\nMT02,B\nMT03,A\n")
    spec = CorpusSpec(
        name="toy_mer",
        description="toy music corpus",
        title="Toy MER",
        folders=("toy_mer",),
        pattern=_compile(r"^MT\d+$"),
        scheme="Q<n>/MT<digits>",
        parser_for_root=_artists_beside_audio,
        columns=("path", "song", "quadrant", "artist"),
        descr="toy",
        target="quadrant",
        group="artist",
    )
    b = load_spec(spec, tmp_path)
    assert list(b.target) == ["Q1", "Q1", "Q3"]
    assert list(b.groups) == ["A", "B", "A"]
    assert list(b.metadata["song"]) == ["MT01", "MT02", "MT03"]
    (root / "Q1" / "MT09.wav").write_bytes((root / "Q1" / "MT01.wav").read_bytes())
    with pytest.raises(ValueError, match=r"MT09\.wav \(not in meta\.csv\)"):
        load_spec(spec, tmp_path)
    with pytest.raises(FileNotFoundError, match="Toy MER not found"):
        load_spec(spec, tmp_path / "elsewhere")
