"""A corpus is a row of data (:class:`CorpusSpec`); one function loads any row.

A row says where a corpus is found (folder names, what its file names look
like), how one file name becomes metadata (``parse``), which metadata field is
the target and which the speaker group, and its DESCR. :func:`load_spec`
does the rest for every row: find the root, list the audio, verify a
manifest, parse every name (reporting bad ones), build the Bunch. The public
``load_<name>`` of a plain row is :func:`row_loader` of the row (the loaders'
one signature); a loader with an extra option (RAVDESS's ``vocal_channel``,
MER's ``quadrants``) filters the records between parsing and
:func:`spec_bunch`. The table of rows is :data:`sklearn_ser.datasets.CORPORA`.
"""

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

from ._base import (
    _ON_BAD_NAME,
    _check_choice,
    _check_flag,
    _find_roots,
    _list_audio,
    _make_bunch,
    _missing_error,
    _parse_all,
    _verify_root,
)

__all__ = ["CorpusSpec"]


@dataclass(frozen=True)
class CorpusSpec:
    """One corpus: where it is, how its file names parse, what is target and group.

    A row of :data:`sklearn_ser.datasets.CORPORA`. Only ``name`` and
    ``description`` are needed for a corpus whose loader does its own
    parsing (the embedded sample, a one-folder-per-class tree, a combination
    of rows); the other fields describe a corpus that the one loader reads
    from its file names.

    Parameters
    ----------
    name : str
        Registry key; the public loader is ``load_<name>``.
    description : str
        One line for listings (``sklearn-ser list``).
    title : str, default=""
        Name used in messages (``"CREMA-D"``); default: ``name``.
    folders : tuple of str, default=()
        Folder names the corpus is looked for under ``data_home``
        (case-insensitive, up to two levels down; earlier names preferred).
    pattern : re.Pattern or None, default=None
        Matches the file stems of the corpus; used to recognise its root.
    scheme : str, default=""
        The name scheme in words, quoted in bad-name errors.
    parse : callable or None, default=None
        ``parse(path: pathlib.Path) -> dict`` of metadata for one file;
        raises ``_BadName`` (a ``ValueError``) for a name off the scheme.
    columns : tuple of str, default=()
        Metadata columns, ``"path"`` first (``metadata`` / ``frame`` order).
    descr : str, default=""
        The Bunch's ``DESCR``.
    target : str, default="emotion"
        Metadata field holding the label.
    group : str or None, default="speaker"
        Metadata field holding the group (speaker, artist ...); None: no
        groups.
    dtypes : mapping, default={}
        pandas dtypes of ``frame`` columns (``{"actor": "int64"}``).
    fetch_hint : str, default=""
        Appended to the not-found error (e.g. "fetch_ravdess() downloads it").
    parser_for_root : callable or None, default=None
        ``parser_for_root(root) -> parse``: for corpora whose metadata is
        partly in a file beside the audio (e.g. a CSV of artists); when
        given it replaces ``parse``.
    needs_data_home : bool, default=True
        False for the sample shipped in the package.
    speakers : bool, default=True
        False when groups exist only on request (``load_folder(speaker=)``).
    """

    name: str
    description: str
    title: str = ""
    folders: tuple = ()
    pattern: Optional[re.Pattern] = None
    scheme: str = ""
    parse: Optional[Callable] = None
    columns: tuple = ()
    descr: str = ""
    target: str = "emotion"
    group: Optional[str] = "speaker"
    dtypes: Mapping = field(default_factory=dict)
    fetch_hint: str = ""
    parser_for_root: Optional[Callable] = None
    needs_data_home: bool = True
    speakers: bool = True

    @property
    def loader(self):
        """Name of the public loader function, ``load_<name>``."""
        return f"load_{self.name}"

    @property
    def label(self):
        """``title``, or ``name`` when no title is given."""
        return self.title or self.name


_COMMON_PARAMS = """\
    return_X_y : bool, default=False
        If True, return ``(X, y)``: the file paths and the label strings
        (``pandas.Series`` of both when ``as_frame=True``) instead of a
        Bunch. Speaker groups are not part of the tuple, to keep
        scikit-learn's two-element contract; use the Bunch's ``groups``
        for speaker-independent splits.
    as_frame : bool, default=False
        If True, ``frame`` is a :class:`pandas.DataFrame` of all the parsed
        metadata (one row per file, in ``filenames`` order). pandas is only
        imported then.
    verify : bool, default=False
        If True, check the files under the corpus root against its
        ``MANIFEST.tsv`` (columns path, seconds, sha256) and raise
        ``OSError`` listing missing, extra and altered files. Warns when the
        root has no manifest.
    on_bad_name : {'raise', 'warn'}, default='raise'
        What to do with audio files whose names do not follow the corpus'
        name scheme (or that duplicate another file's recording): raise a
        ``ValueError`` naming them, or skip them with a warning that names
        them. Files are never dropped silently."""

_RETURNS = """\
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (= ``filenames``): ndarray of str, the audio paths sorted
        by path; ``target``: ndarray of str labels; ``target_names``: the
        sorted unique labels; ``groups``: ndarray of str speaker ids;
        ``metadata``: dict of column name -> object ndarray with every
        parsed field; ``frame``: DataFrame of the same when ``as_frame``,
        else None; ``DESCR``: source, license, citation and name scheme.
    (X, y) : tuple
        When ``return_X_y=True``."""


def _doc(func):
    """Fill the shared parameter and return sections of a loader's docstring."""
    func.__doc__ = func.__doc__.replace("    %(common)s", _COMMON_PARAMS).replace(
        "    %(returns)s", _RETURNS
    )
    return func


def _check_common(return_X_y, as_frame, verify, on_bad_name):
    _check_flag("return_X_y", return_X_y)
    _check_flag("as_frame", as_frame)
    _check_flag("verify", verify)
    _check_choice("on_bad_name", on_bad_name, _ON_BAD_NAME)


def spec_files(
    spec, data_home, *, verify, loader=None, folders=None, title=None, fetch_hint=None
):
    """Find the root of ``spec``'s corpus and list its audio files.

    ``folders`` / ``title`` / ``fetch_hint`` override the row's (a loader
    option such as RAVDESS's song part has its own folder names). Returns
    ``(root, files)``.
    """
    roots, looked = _find_roots(data_home, folders or spec.folders, spec.pattern)
    if not roots:
        raise _missing_error(
            title or spec.label,
            data_home,
            looked,
            loader or spec.loader,
            spec.fetch_hint if fetch_hint is None else fetch_hint,
        )
    root = roots[0]
    files = _list_audio(root)
    if verify:
        _verify_root(root, files, spec.label)
    return root, files


def spec_parse(spec, root, files, *, on_bad_name, parse=None):
    """Parse ``files`` (found under ``root``) with ``spec``'s parser.

    ``parse``: the parser already built for ``root`` by the row's
    ``parser_for_root``, when the loader needs it afterwards (MER's metadata).
    """
    if parse is None and spec.parser_for_root is not None:
        parse = spec.parser_for_root(root)
    elif parse is None:
        parse = spec.parse
    return _parse_all(
        files,
        parse,
        corpus=spec.label,
        scheme=spec.scheme,
        on_bad_name=on_bad_name,
    )


def spec_records(spec, data_home, *, verify, on_bad_name, loader=None):
    """The parsed metadata records (one dict per file) of ``spec``'s corpus."""
    root, files = spec_files(spec, data_home, verify=verify, loader=loader)
    return spec_parse(spec, root, files, on_bad_name=on_bad_name)


def spec_bunch(spec, records, *, as_frame, return_X_y, descr=None):
    """The loaders' Bunch (or ``(X, y)``) from ``spec``'s records."""
    return _make_bunch(
        records,
        columns=list(spec.columns),
        target=spec.target,
        group=spec.group,
        descr=spec.descr if descr is None else descr,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtypes=dict(spec.dtypes),
    )


def load_spec(
    spec,
    data_home=None,
    *,
    return_X_y=False,
    as_frame=False,
    verify=False,
    on_bad_name="raise",
):
    """Load the corpus of one :class:`CorpusSpec` row (the one loader)."""
    _check_common(return_X_y, as_frame, verify, on_bad_name)
    records = spec_records(spec, data_home, verify=verify, on_bad_name=on_bad_name)
    return spec_bunch(spec, records, as_frame=as_frame, return_X_y=return_X_y)


def row_loader(spec, doc):
    """The public ``load_<name>`` of a row that has no option of its own.

    The returned function has the loaders' documented signature
    ``(data_home=None, *, return_X_y, as_frame, verify, on_bad_name)``, calls
    :func:`load_spec` on ``spec`` and carries ``doc`` (with ``%(common)s`` /
    ``%(returns)s`` filled in) as its docstring; it is named ``spec.loader``
    and lives in :mod:`sklearn_ser.datasets`, where it is exported.
    """

    def load(
        data_home=None,
        *,
        return_X_y=False,
        as_frame=False,
        verify=False,
        on_bad_name="raise",
    ):
        return load_spec(
            spec,
            data_home,
            return_X_y=return_X_y,
            as_frame=as_frame,
            verify=verify,
            on_bad_name=on_bad_name,
        )

    load.__name__ = load.__qualname__ = spec.loader
    load.__module__ = "sklearn_ser.datasets"
    load.__doc__ = doc
    return _doc(load)
