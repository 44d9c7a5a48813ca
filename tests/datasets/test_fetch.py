"""fetch_ravdess end to end against a local HTTP server serving a small zip
built from real RAVDESS clips (the package sample) in the original layout."""

import hashlib
import http.server
import threading
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from sklearn_ser.datasets import (
    RAVDESS_SPEECH_MD5,
    RAVDESS_SPEECH_URL,
    SAMPLE_DIR,
    fetch_ravdess,
)

ARCHIVE = "Audio_Speech_Actors_01-24.zip"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A zip of 8 real clips, Actor_NN/ at its top level like the original;
    returns (bytes, {relative path: emotion code})."""
    clips = sorted(SAMPLE_DIR.glob("Actor_0[12]/*.flac"))[::4][:8]
    assert len(clips) == 8
    path = tmp_path_factory.mktemp("zip") / ARCHIVE
    with zipfile.ZipFile(path, "w") as zf:
        for c in clips:
            zf.write(c, f"{c.parent.name}/{c.name}")
    members = {f"{c.parent.name}/{c.name}": c.stem.split("-")[2] for c in clips}
    return path.read_bytes(), members


@pytest.fixture(autouse=True)
def _no_proxy_for_localhost(monkeypatch):
    """urllib honours *_proxy variables; the local server must be reached directly."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def server(archive):
    """Serve the archive (and a corrupted copy) on 127.0.0.1, ephemeral port."""
    good = archive[0]
    files = {
        f"/{ARCHIVE}": good,
        "/corrupt.zip": good[: len(good) // 2] + b"\0" * (len(good) - len(good) // 2),
        "/notzip.zip": b"this is not a zip archive" * 100,
    }
    hits = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] += 1
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield base, hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def md5(data):
    return hashlib.md5(data).hexdigest()


def test_defaults_are_the_official_archive():
    assert RAVDESS_SPEECH_URL == (
        "https://zenodo.org/records/1188976/files/Audio_Speech_Actors_01-24.zip"
    )
    assert RAVDESS_SPEECH_MD5 == "bc696df654c87fed845eb13823edef8a"


def test_fetch_downloads_checks_extracts_and_loads(tmp_path, server, archive, capsys):
    base, hits = server
    data, members = archive
    home = tmp_path / "home"  # does not exist yet
    b = fetch_ravdess(home, url=f"{base}/{ARCHIVE}", checksum=md5(data), verbose=True)
    dest = home / "Audio_Speech_Actors_01-24"
    assert [Path(f).relative_to(dest).as_posix() for f in b.filenames] == sorted(
        members
    )
    words = {
        "01": "neutral",
        "02": "calm",
        "03": "happy",
        "04": "sad",
        "05": "angry",
        "06": "fearful",
        "07": "disgust",
        "08": "surprised",
    }
    assert list(b.target) == [words[members[m]] for m in sorted(members)]
    assert set(b.groups) == {"Actor_01", "Actor_02"}
    # files are byte-identical to the archive members; only the corpus is left
    for m in members:
        assert (dest / m).read_bytes() == (SAMPLE_DIR / m).read_bytes()
    assert [p.name for p in home.iterdir()] == ["Audio_Speech_Actors_01-24"]
    err = capsys.readouterr().err
    assert f"Downloading {ARCHIVE}" in err and "MB" in err
    # present now: loaded without downloading again
    b2 = fetch_ravdess(home, url=f"{base}/{ARCHIVE}", checksum=md5(data), verbose=False)
    assert (b2.filenames == b.filenames).all()
    assert hits[f"/{ARCHIVE}"] == 1


def test_fetch_sha256_checksum(tmp_path, server, archive):
    base, _ = server
    data, members = archive
    b = fetch_ravdess(
        tmp_path,
        url=f"{base}/{ARCHIVE}",
        checksum=hashlib.sha256(data).hexdigest(),
        checksum_type="sha256",
        verbose=False,
    )
    assert len(b.filenames) == len(members)


@pytest.mark.parametrize(
    "path,match",
    [
        ("/corrupt.zip", "expected .*corrupted"),
        ("/notzip.zip", "not a valid zip"),
        ("/missing.zip", "could not download"),
    ],
)
def test_failed_fetch_leaves_nothing(tmp_path, server, archive, path, match):
    base, hits = server
    data, _ = archive
    home = tmp_path / "home"
    # a correct checksum for the bad zip, so extraction is what fails there
    checksum = (
        md5(b"this is not a zip archive" * 100) if path == "/notzip.zip" else md5(data)
    )
    with pytest.raises(OSError, match=match):
        fetch_ravdess(home, url=base + path, checksum=checksum, verbose=False)
    assert hits[path] == 1
    assert list(home.iterdir()) == []


def test_no_download_when_not_allowed(tmp_path, server):
    base, hits = server
    with pytest.raises(OSError, match="download_if_missing=False"):
        fetch_ravdess(tmp_path, download_if_missing=False, url=f"{base}/{ARCHIVE}")
    assert sum(hits.values()) == 0
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="Received: checksum_type='crc'"):
        fetch_ravdess(tmp_path, checksum_type="crc")
