"""benchmarks/_cache_key.py: benchmark caches follow the library code they run."""

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
ck = pytest.importorskip("_cache_key")


@pytest.fixture
def toypkg(tmp_path, monkeypatch):
    """A package ``toypkg``: ``a`` imports ``b`` inside a function, ``b``
    imports ``sub.d``; ``c`` is imported by nobody."""
    root = tmp_path / "toypkg"
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "def f():\n    from .b import g\n    return g()\n",
        "b.py": "from toypkg.sub import d\n\ndef g():\n    return d.h()\n",
        "c.py": "X = 1\n",
        "sub/__init__.py": "",
        "sub/d.py": "import os\n\ndef h():\n    return 1\n",
    }
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(ck, "_ROOT", "toypkg")
    # finding a submodule imports its parents: forget another test's toypkg
    for name in [m for m in sys.modules if m.split(".")[0] == "toypkg"]:
        monkeypatch.delitem(sys.modules, name)
    yield root
    for name in [m for m in sys.modules if m.split(".")[0] == "toypkg"]:
        del sys.modules[name]


def test_source_modules_follow_imports_transitively(toypkg):
    assert ck.source_modules("toypkg.a") == [
        "toypkg.a",
        "toypkg.b",
        "toypkg.sub",
        "toypkg.sub.d",
    ]
    assert ck.source_modules("toypkg.c") == ["toypkg.c"]


def test_version_changes_with_imported_code_only(toypkg):
    before = ck.source_version("toypkg.a")
    location = ck.versioned("/cache", "toypkg.a")
    (toypkg / "c.py").write_text("X = 2\n")  # not imported by a
    assert ck.source_version("toypkg.a") == before
    (toypkg / "sub" / "d.py").write_text("def h():\n    return 2\n")
    assert ck.source_version("toypkg.a") != before
    assert ck.versioned("/cache", "toypkg.a") != location


def test_library_objects_bring_their_bases_and_the_decoder():
    from sklearn_ser.features import MFCC, MelodyStats

    mods = ck.source_modules(MFCC)
    assert {"sklearn_ser.features._mfcc", "sklearn_ser.features._base"} <= set(mods)
    assert "sklearn_ser.io._audio" in mods
    assert "sklearn_ser.features._melody" not in mods
    assert ck.source_version(MFCC) != ck.source_version(MelodyStats)
    assert ck.source_version(MFCC, packages=("numpy",)) != ck.source_version(MFCC)


def test_feature_sets_are_cached_by_their_own_code(tmp_path):
    si = pytest.importorskip("_si_features")
    loc = {
        n: si._location(tmp_path, n) for n in ("mfcc", "compare", "compare@speed0.9")
    }
    assert loc["mfcc"] != loc["compare"]
    assert loc["compare"] == loc["compare@speed0.9"]  # same code, other arguments
    assert Path(loc["mfcc"]).parent == tmp_path
