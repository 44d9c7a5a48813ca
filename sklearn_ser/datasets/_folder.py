"""Any corpus laid out as one sub-folder per class (:func:`load_folder`).

Not a :class:`CorpusSpec` row: the labels come from the folder names and the
speaker from a user-given pattern, so the parser is built per call.
"""

import os
import re
from pathlib import Path

from . import _descr
from ._base import (
    _BadName,
    _list_audio,
    _make_bunch,
    _parse_all,
    _skip_dir,
    _verify_root,
)
from ._spec import _check_common, _doc

__all__ = ["load_folder"]


def _speaker_parser(speaker):
    if speaker is None:
        return None
    if callable(speaker):
        return speaker
    if isinstance(speaker, str):
        try:
            rx = re.compile(speaker)
        except re.error as exc:
            raise ValueError(
                f"speaker must be a valid regular expression: {exc}. "
                f"Received: speaker={speaker!r}"
            ) from None

        def parse(path):
            m = rx.search(path.stem)
            if not m:
                raise _BadName(f"speaker pattern {speaker!r} does not match the stem")
            if "speaker" in rx.groupindex:
                return m.group("speaker")
            return m.group(1) if rx.groups else m.group(0)

        return parse
    raise ValueError(
        "speaker must be None, a regular expression (str) or a callable path -> str. "
        f"Received: speaker={speaker!r}"
    )


@_doc
def load_folder(
    root,
    *,
    speaker=None,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load any corpus laid out as one sub-folder per class.

    ``root/<label>/**/<file>``: the label is the name of the first-level
    sub-folder, files are found recursively below it (any audio extension;
    hidden files and folders skipped). Audio files directly in ``root``
    have no label and count as bad names.

    Parameters
    ----------
    root : str or path-like
        The folder holding the class sub-folders.
    speaker : None, str or callable, default=None
        How to get speaker groups. None: ``groups`` is None (a random split
        is then the only option; say so when reporting results). A regular
        expression is searched in each file stem and gives the group
        ``speaker`` (or the first group, or the whole match), e.g.
        ``r"^([^_]+)_"`` for ``<speaker>_...`` names. A callable gets the
        file's :class:`pathlib.Path` and returns the speaker id. A file the
        pattern does not match (or for which the callable raises
        ``ValueError``) is a bad name.
    %(common)s

    Returns
    -------
    %(returns)s
        ``target`` is the folder name; ``metadata`` / ``frame`` columns:
        path, label, speaker (when ``speaker`` is given).
    """
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    parse_speaker = _speaker_parser(speaker)
    if root is None:
        raise ValueError("load_folder needs the corpus folder. Received: root=None")
    root = Path(os.path.expanduser(os.fspath(root)))
    if not root.is_dir():
        raise FileNotFoundError(
            f"load_folder: {root} is not a folder. Pass the folder that holds one "
            "sub-folder per class."
        )
    files = _list_audio(root)
    if verify:
        _verify_root(root, files, f"the corpus at {root}")

    def parse(path):
        rel = path.relative_to(root)
        if len(rel.parts) < 2:
            raise _BadName("not inside a class sub-folder, so it has no label")
        rec = {"label": rel.parts[0]}
        if parse_speaker is not None:
            try:
                rec["speaker"] = str(parse_speaker(path))
            except ValueError as exc:
                raise _BadName(str(exc)) from None
        return rec

    records = _parse_all(
        [Path(f) for f in files],
        parse,
        corpus="one-folder-per-class",
        scheme="<root>/<label>/<file>",
        on_bad_name=on_bad_name,
        key=lambda r: r["path"],
    )
    if not records:
        classes = [
            e.name for e in root.iterdir() if e.is_dir() and not _skip_dir(e.name)
        ]
        raise FileNotFoundError(
            f"load_folder: no audio files in class sub-folders of {root} "
            f"(sub-folders: {classes or 'none'})"
        )
    columns = ["path", "label"] + (["speaker"] if parse_speaker is not None else [])
    labels = sorted({r["label"] for r in records})
    descr = _descr.FOLDER.format(
        root=root,
        n=len(records),
        k=len(labels),
        classes=", ".join(labels),
        groups="None (no speaker given)"
        if parse_speaker is None
        else f"{len({r['speaker'] for r in records})} speakers, "
        f"parsed with {speaker!r}",
    )
    return _make_bunch(
        records,
        columns=columns,
        target="label",
        group="speaker" if parse_speaker is not None else None,
        descr=descr,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )
