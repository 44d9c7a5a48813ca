"""Cache keys that follow the library code a cached function runs.

joblib.Memory keys a cached function by its own source and arguments only: a
change to the library code it calls (a feature's arithmetic, the decoder)
would leave stale matrices in the cache, and a benchmark would report them as
new results. :func:`source_version` hashes the sklearn_ser source behind the
given objects: the modules that define them, and every sklearn_ser module
those import, transitively (static imports, read with :mod:`ast`, including
imports inside functions). :func:`versioned` turns it into a cache folder, so
existing caches of other library versions are left alone (never read).

Only sklearn_ser's own source is hashed; third-party packages enter through
``packages`` (their installed versions).
"""

import ast
import hashlib
import importlib.util
import inspect
import os
from importlib import metadata

__all__ = ["source_modules", "source_version", "versioned"]

_ROOT = "sklearn_ser"


def _module_name(obj):
    if isinstance(obj, str):
        return obj
    if inspect.ismodule(obj):
        return obj.__name__
    module = inspect.getmodule(obj)
    if module is None:
        raise TypeError(f"cannot find the module of {obj!r}")
    return module.__name__


def _origin(name):
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return spec.origin


def _imports(name, path):
    """sklearn_ser modules imported anywhere in module ``name`` (file ``path``)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    is_package = os.path.basename(path) == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = importlib.util.resolve_name("." * node.level + base, package)
            found.add(base)
            # "from pkg import submodule" imports a module, not a name
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == _ROOT or m.startswith(_ROOT + ".")}


def source_modules(*objects):
    """Sorted sklearn_ser module names behind ``objects`` (modules, their
    names, classes or functions): their modules and, transitively, every
    sklearn_ser module those import. A class also brings the modules of its
    sklearn_ser base classes."""
    todo = set()
    for obj in objects:
        todo.add(_module_name(obj))
        if inspect.isclass(obj):
            todo.update(_module_name(k) for k in obj.__mro__[1:])
    todo = {m for m in todo if m == _ROOT or m.startswith(_ROOT + ".")}
    seen = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _origin(name)
        seen[name] = path
        if path is not None:
            todo.update(_imports(name, path) - set(seen))
    return sorted(n for n, p in seen.items() if p is not None)


def source_version(*objects, packages=()):
    """12-hex SHA-1 of the source of :func:`source_modules` ``(*objects)``
    and the installed versions of ``packages``."""
    h = hashlib.sha1()
    for name in source_modules(*objects):
        h.update(name.encode() + b"\0")
        with open(_origin(name), "rb") as f:
            h.update(f.read())
    for pkg in packages:
        h.update(f"{pkg}=={metadata.version(pkg)}".encode())
    return h.hexdigest()[:12]


def versioned(cache_dir, *objects, packages=()):
    """``cache_dir/lib-<source_version>``: a joblib.Memory location that a
    change to the library code behind ``objects`` moves."""
    return os.path.join(
        os.fspath(cache_dir), "lib-" + source_version(*objects, packages=packages)
    )
