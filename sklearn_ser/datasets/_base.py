"""Where corpora live (``data_home`` resolution) and the machinery every loader shares.

A corpus is a row of data (:class:`~sklearn_ser.datasets.CorpusSpec`, see
:mod:`sklearn_ser.datasets._spec`): the folder names it is shipped or archived
under, a function that parses one file name into a metadata dict, and a DESCR
text. The steps every loader shares -- finding the root, listing audio files,
verifying a manifest, reporting bad names, building the
:class:`~sklearn.utils.Bunch` -- live here.
"""

import csv
import hashlib
import os
import re
import warnings
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["get_data_home", "DATA_HOME_ENV", "AUDIO_EXTENSIONS"]

DATA_HOME_ENV = "SER_DATA"

#: File extensions (lower case) that the loaders list as audio. Everything
#: libsndfile reads; ``.mp3`` needs libsndfile >= 1.1.
AUDIO_EXTENSIONS = (
    ".wav",
    ".wave",
    ".flac",
    ".ogg",
    ".oga",
    ".opus",
    ".aif",
    ".aiff",
    ".aifc",
    ".mp3",
    ".au",
    ".caf",
    ".w64",
)

_MANIFEST = "MANIFEST.tsv"
_ON_BAD_NAME = ("raise", "warn")
_VOCAL = ("speech", "song", "all")


def get_data_home(data_home=None):
    """Return the folder holding the corpora.

    Resolution order: the ``data_home`` argument, then the ``SER_DATA``
    environment variable, then ``~/sklearn_ser_data``. The folder is not
    created; loaders report where they looked when a corpus is missing.
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or "~/sklearn_ser_data"
    return Path(os.path.expanduser(os.fspath(data_home)))


def _home_origin(data_home):
    """Say where ``data_home`` came from, for error messages."""
    if data_home is not None:
        return "the data_home argument"
    if os.environ.get(DATA_HOME_ENV):
        return f"the {DATA_HOME_ENV} environment variable"
    return f"the default (neither data_home nor {DATA_HOME_ENV} was set)"


# --------------------------------------------------------------------------- #
# Listing files and finding corpus roots
# --------------------------------------------------------------------------- #


def _skip_dir(name):
    return name.startswith(".") or name == "__MACOSX"


def _is_audio_name(name):
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in (
        AUDIO_EXTENSIONS
    )


def _list_audio(root):
    """All audio files under ``root``, recursively, sorted by path.

    Hidden files and folders (``.*``) and macOS ``__MACOSX`` resource folders
    are skipped; symbolic links are followed.
    """
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if not _skip_dir(d))
        out.extend(os.path.join(dirpath, f) for f in filenames if _is_audio_name(f))
    return sorted(out)


def _looks_like(folder, name_re, max_depth=3):
    """True when a file whose stem matches ``name_re`` is at most
    ``max_depth`` levels below ``folder`` (stops at the first hit)."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    level = [folder]
    for _ in range(max_depth):
        nxt = []
        for d in level:
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError:
                continue
            for e in entries:
                if e.is_dir() and not _skip_dir(e.name):
                    nxt.append(e.path)
                elif _is_audio_name(e.name) and name_re.match(Path(e.name).stem):
                    return True
        level = nxt
    return False


def _child_dirs(folder):
    try:
        return sorted(
            (e for e in os.scandir(folder) if e.is_dir() and not _skip_dir(e.name)),
            key=lambda e: e.name,
        )
    except OSError:
        return []


def _find_roots(data_home, names, name_re):
    """Locate a corpus.

    Returns ``(roots, looked)``: the folders that hold the corpus, best
    first (empty when nothing was found), and a list of human-readable
    places looked at. First choice: a sub-folder (or sub-sub-folder) of
    ``data_home`` whose name is one of ``names`` (case-insensitive, earlier
    names preferred) and that holds files named like the corpus (up to
    three levels down). Otherwise ``data_home`` itself, when such files sit
    in it or one folder down.
    """
    home = get_data_home(data_home)
    looked = []
    if not home.is_dir():
        looked.append(
            f"{home} (does not exist; the corpus is looked for in it, or under it in "
            "a folder named " + ", ".join(repr(n) for n in names) + ")"
        )
        return [], looked
    wanted = [n.lower() for n in names]
    found = {}
    level1 = _child_dirs(home)
    candidates = list(level1)
    for e in level1:
        candidates.extend(_child_dirs(e.path))
    for entry in candidates:
        key = entry.name.lower()
        if key in wanted:
            if _looks_like(entry.path, name_re):
                found.setdefault(Path(entry.path), wanted.index(key))
            else:
                looked.append(
                    f"{entry.path} (exists, but holds no files named like the corpus)"
                )
    if found:
        return sorted(found, key=lambda p: (found[p], str(p))), looked
    looked.append(
        f"sub-folders of {home} (two levels) named " + ", ".join(repr(n) for n in names)
    )
    # No named folder: data_home is the corpus root itself when files named
    # like the corpus sit directly in it or one folder down (Actor_01/...).
    if _looks_like(home, name_re, max_depth=2):
        return [home], looked
    looked.append(
        f"{home} itself (no files named like the corpus in it or one level down)"
    )
    return [], looked


def _missing_error(corpus, data_home, looked, loader, fetch_hint=""):
    where = "\n  - ".join(looked)
    return FileNotFoundError(
        f"{corpus} not found. data_home resolved to {get_data_home(data_home)} "
        f"(from {_home_origin(data_home)}). Looked at:\n  - {where}\n"
        f"Point at it with {loader}(data_home='/path/to/corpus_or_its_parent') or set "
        f"the {DATA_HOME_ENV} environment variable to the folder that holds it."
        + (f" {fetch_hint}" if fetch_hint else "")
    )


# --------------------------------------------------------------------------- #
# Verification against MANIFEST.tsv
# --------------------------------------------------------------------------- #


def _sha256(path, bufsize=1 << 20):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(bufsize), b""):
            h.update(block)
    return h.hexdigest()


def _verify_root(root, files, corpus):
    """Check ``files`` (all audio files under ``root``) against
    ``root/MANIFEST.tsv`` (columns ``path``, ``seconds``, ``sha256``).

    Raises ``OSError`` listing missing, extra and mismatched files. Warns
    when there is no manifest.
    """
    root = Path(root)
    manifest = root / _MANIFEST
    if not manifest.is_file():
        warnings.warn(
            f"verify=True but {manifest} does not exist; {corpus} was not verified",
            UserWarning,
            stacklevel=4,
        )
        return
    expected = {}
    with open(manifest, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if reader.fieldnames is None or not {"path", "sha256"} <= set(
            reader.fieldnames
        ):
            raise OSError(
                f"{manifest} must be a tab-separated table with columns path, seconds, "
                f"sha256; found columns {reader.fieldnames}"
            )
        for row in reader:
            expected[row["path"]] = row["sha256"].strip().lower()
    present = {Path(f).relative_to(root).as_posix(): f for f in files}
    missing = sorted(set(expected) - set(present))
    extra = sorted(set(present) - set(expected))
    mismatched = sorted(
        rel
        for rel in set(expected) & set(present)
        if _sha256(present[rel]) != expected[rel]
    )
    if missing or extra or mismatched:

        def show(title, items):
            if not items:
                return ""
            head = ", ".join(items[:20]) + (
                f", ... ({len(items) - 20} more)" if len(items) > 20 else ""
            )
            return f"\n  {len(items)} {title}: {head}"

        raise OSError(
            f"{corpus} at {root} does not match {manifest.name}:"
            + show("missing (listed in the manifest, not on disk)", missing)
            + show("extra (on disk, not in the manifest)", extra)
            + show("with a different sha256 (altered or corrupted)", mismatched)
        )


# --------------------------------------------------------------------------- #
# Parsing and the Bunch
# --------------------------------------------------------------------------- #


class _BadName(ValueError):
    """Raised by a parser when a file name does not follow its scheme."""


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(
            f"{name} must be one of {', '.join(repr(c) for c in choices)}. "
            f"Received: {name}={value!r}"
        )


def _check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False. Received: {name}={value!r}")


def _parse_all(files, parse, *, corpus, scheme, on_bad_name, key=None):
    """Parse every file; report the ones that do not parse and duplicates.

    ``parse(path) -> dict`` raises :class:`_BadName`. ``key(record)`` gives
    the identity of a recording (default: the file stem); two files with the
    same key (e.g. the same clip as .wav and .flac, or two copies of the
    corpus under one root) count as a bad name too.
    """
    records, bad = [], []
    seen = {}
    for f in files:
        try:
            rec = parse(Path(f))
        except _BadName as exc:
            bad.append(f"{f} ({exc})")
            continue
        rec = {"path": str(f), **rec}
        k = key(rec) if key is not None else Path(f).stem
        if k in seen:
            bad.append(f"{f} (duplicate of {seen[k]})")
            continue
        seen[k] = f
        records.append(rec)
    if bad:
        listing = "\n  - ".join(bad[:20])
        more = f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        msg = (
            f"{len(bad)} file(s) do not follow the {corpus} name scheme {scheme}:"
            f"\n  - {listing}{more}"
        )
        if on_bad_name == "raise":
            raise ValueError(
                msg
                + "\nRename or remove them, or pass on_bad_name='warn' to skip them "
                "with a warning."
            )
        warnings.warn(
            msg + "\nThey were skipped (on_bad_name='warn').", UserWarning, stacklevel=3
        )
    return records


def _to_frame(metadata, columns, dtypes):
    import pandas as pd

    frame = pd.DataFrame({c: metadata[c] for c in columns})
    for col, dtype in dtypes.items():
        if col in frame:
            frame[col] = frame[col].astype(dtype)
    return frame


def _make_bunch(
    records,
    *,
    columns,
    target,
    group,
    descr,
    as_frame,
    return_X_y,
    dtypes=None,
):
    """Build the loaders' :class:`~sklearn.utils.Bunch` from parsed records.

    ``columns`` is the ordered list of metadata keys (``path`` first),
    ``target`` the key holding the label and ``group`` the key holding the
    speaker id (or ``None``: no groups).
    """
    if not records:
        raise ValueError("no usable audio files were left after skipping bad names")
    records = sorted(records, key=lambda r: r["path"])
    metadata = {c: np.array([r.get(c) for r in records], dtype=object) for c in columns}
    filenames = np.array([r["path"] for r in records], dtype=str)
    y = np.array([r[target] for r in records], dtype=str)
    groups = (
        None if group is None else np.array([str(r[group]) for r in records], dtype=str)
    )
    frame = _to_frame(metadata, columns, dtypes or {}) if as_frame else None
    if return_X_y:
        if as_frame:
            return frame["path"], frame[target]
        return filenames, y
    return Bunch(
        data=filenames,
        target=y,
        target_names=np.unique(y),
        groups=groups,
        filenames=filenames,
        metadata=metadata,
        frame=frame,
        DESCR=descr,
    )


def _compile(pattern):
    return re.compile(pattern, re.IGNORECASE)
