"""Downloading RAVDESS: temporary file, checksum, extraction, atomic move."""

import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from ._base import _check_flag, _home_origin, get_data_home
from ._ravdess_tess import load_ravdess

__all__ = ["fetch_ravdess", "RAVDESS_SPEECH_URL", "RAVDESS_SPEECH_MD5"]

#: The official RAVDESS audio-only speech archive (Zenodo record 1188976).
RAVDESS_SPEECH_URL = (
    "https://zenodo.org/records/1188976/files/Audio_Speech_Actors_01-24.zip"
)
#: Its md5, as published on the Zenodo record.
RAVDESS_SPEECH_MD5 = "bc696df654c87fed845eb13823edef8a"

_CHUNK = 1 << 20
# tqdm's bar with the amounts in MB (one decimal); without a Content-Length,
# the amount and rate only.
_BAR = (
    "{desc}: {percentage:3.0f}%|{bar:30}| {n:.1f}/{total:.1f} MB "
    "[{elapsed}, {rate_fmt}]"
)
_COUNTER = "{desc}: {n:.1f} MB [{elapsed}, {rate_fmt}]"


def _download(url, fh, hasher, *, verbose, desc, timeout=60):
    """Stream ``url`` into the open binary file ``fh``, updating ``hasher``.

    Draws a progress bar in MB on stderr (:mod:`tqdm`) when ``verbose``.
    Returns the number of bytes written.
    """
    from tqdm import tqdm  # a dependency; imported here to keep imports light

    with urllib.request.urlopen(url, timeout=timeout) as resp:
        total = resp.headers.get("Content-Length")
        total = int(total) if total and total.isdigit() else None
        done = 0
        with tqdm(
            total=None if total is None else total / 1e6,
            desc=desc,
            unit="MB",
            bar_format=_BAR if total else _COUNTER,
            file=sys.stderr,
            disable=not verbose,
            mininterval=0.2,
        ) as bar:
            while True:
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                fh.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                bar.update(len(chunk) / 1e6)
    if total is not None and done != total:
        raise OSError(f"download of {url} was cut short: got {done} of {total} bytes")
    return done


def _archive_root(folder):
    """The folder inside an extracted archive that holds the corpus: the
    extraction folder itself, or its single non-hidden sub-folder."""
    folder = Path(folder)
    subs = [
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.name != "__MACOSX"
    ]
    if any(p.is_dir() and p.name.lower().startswith("actor_") for p in subs):
        return folder
    dirs = [p for p in subs if p.is_dir()]
    if len(dirs) == 1 and not any(p.is_file() for p in subs):
        return _archive_root(dirs[0])
    return folder


def fetch_ravdess(
    data_home=None,
    *,
    download_if_missing=True,
    url=RAVDESS_SPEECH_URL,
    checksum=RAVDESS_SPEECH_MD5,
    checksum_type="md5",
    verbose=True,
    return_X_y=False,
    as_frame=False,
):
    """Load RAVDESS speech, downloading the official archive first if needed.

    When :func:`load_ravdess` finds the corpus under ``data_home`` it is
    loaded as is. Otherwise the archive at ``url`` is streamed into a
    temporary file inside ``data_home`` (with a progress bar), its checksum
    is checked, it is extracted into a temporary folder there and that
    folder is then renamed (an atomic move on one file system) to
    ``data_home/<archive name>`` (``Audio_Speech_Actors_01-24`` for the
    default). The temporary file and folder are removed whatever happens,
    so an interrupted or corrupted download never leaves a partial corpus
    behind.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder to look in and download into; None: ``SER_DATA``, else
        ``~/sklearn_ser_data``. Created if missing.
    download_if_missing : bool, default=True
        If False and the corpus is not there, raise ``OSError`` instead of
        downloading.
    url : str, default=RAVDESS_SPEECH_URL
        The zip archive (Zenodo record 1188976,
        ``Audio_Speech_Actors_01-24.zip``, about 208 MB).
    checksum : str or None, default=RAVDESS_SPEECH_MD5
        Expected hex digest of the archive; None skips the check (not
        recommended).
    checksum_type : str, default='md5'
        Any :mod:`hashlib` algorithm name ('md5', 'sha256', ...).
    verbose : bool, default=True
        Draw a byte progress bar on stderr while downloading.
    return_X_y, as_frame : bool, default=False
        As in :func:`load_ravdess`.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        What :func:`load_ravdess` returns for the speech channel.

    Raises
    ------
    OSError
        When the corpus is missing and ``download_if_missing=False``, when
        the download fails or is cut short, when the checksum differs or
        the archive is not a valid zip (nothing is left in ``data_home``).
    """
    _check_flag("download_if_missing", download_if_missing)
    _check_flag("verbose", verbose)
    try:
        hashlib.new(checksum_type)
    except (ValueError, TypeError):
        raise ValueError(
            f"checksum_type must be a hashlib algorithm such as 'md5' or 'sha256'. "
            f"Received: checksum_type={checksum_type!r}"
        ) from None
    home = get_data_home(data_home)
    try:
        return load_ravdess(home, return_X_y=return_X_y, as_frame=as_frame)
    except FileNotFoundError as exc:
        if not download_if_missing:
            raise FileNotFoundError(
                f"{exc}\nfetch_ravdess(download_if_missing=False) does not download; "
                "pass download_if_missing=True to get it from " + url
            ) from None
    name = Path(urlparse(url).path).name or "ravdess.zip"
    dest = home / (name[: -len(".zip")] if name.lower().endswith(".zip") else name)
    if dest.exists():
        raise OSError(
            f"{dest} exists but holds no RAVDESS speech files; remove or rename it "
            "and call fetch_ravdess() again"
        )
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp_zip = tempfile.mkstemp(
        prefix=".fetch_ravdess-", suffix=".zip.part", dir=home
    )
    tmp_dir = None
    try:
        hasher = hashlib.new(checksum_type)
        try:
            with os.fdopen(fd, "wb") as fh:
                _download(url, fh, hasher, verbose=verbose, desc=f"Downloading {name}")
        except (urllib.error.URLError, OSError) as exc:
            raise OSError(
                f"could not download {url}: {exc}. Download it by hand, unzip it into "
                f"{home} (from {_home_origin(data_home)}) and call load_ravdess()"
            ) from exc
        if checksum is not None and hasher.hexdigest() != checksum.strip().lower():
            raise OSError(
                f"{name} from {url} has {checksum_type} {hasher.hexdigest()}, expected "
                f"{checksum}: the download is corrupted or incomplete. "
                "Nothing was kept "
                f"in {home}; try again."
            )
        tmp_dir = tempfile.mkdtemp(prefix=".fetch_ravdess-", dir=home)
        try:
            with zipfile.ZipFile(tmp_zip) as zf:
                zf.extractall(tmp_dir)
        except zipfile.BadZipFile as exc:
            raise OSError(
                f"{name} from {url} is not a valid zip archive: {exc}"
            ) from exc
        os.rename(_archive_root(tmp_dir), dest)
    finally:
        if os.path.exists(tmp_zip):
            os.remove(tmp_zip)
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    return load_ravdess(dest, return_X_y=return_X_y, as_frame=as_frame)
