"""Every docstring example in the package runs and prints what it shows.

The examples are collected from each module of ``sklearn_ser`` whose source
holds one (``>>>``) and run with :mod:`doctest`; ``# doctest: +SKIP`` marks
the few that need weights or a corpus. A module whose optional dependency is
not installed is skipped with the import error as the reason.
"""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import sklearn_ser

_ROOT = Path(sklearn_ser.__file__).parent


def _modules_with_examples():
    names = []
    for info in pkgutil.walk_packages([str(_ROOT)], "sklearn_ser."):
        rel = Path(*info.name.split(".")[1:])
        path = _ROOT / rel / "__init__.py" if info.ispkg else _ROOT / f"{rel}.py"
        if path.is_file() and ">>> " in path.read_text(encoding="utf-8"):
            names.append(info.name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_examples_are_found():
    """The collection itself works: the package has dozens of examples."""
    assert len(MODULES) >= 20
    assert "sklearn_ser.models._musicnn" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional dependency
        pytest.skip(f"{name} needs {exc.name or exc}")
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    report = []
    for test in finder.find(module, name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
