"""Hostile bundles and models: path traversal, absolute paths, links, devices, zip/gzip bombs, lying sizes,
oversized JSON and pickles with a payload are refused with a clear error, by `load_bundle` and by
`sparkleap serve` (one line, no traceback), and nothing is written outside the unpacking folder."""

from __future__ import annotations

import io
import os
import pickle
import struct
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

from bundles import BundleError, archive, load_bundle
from tests.helpers.servers import TITANIC, assert_one_line_failure, run_serve

pytestmark = pytest.mark.process  # starts server processes

BOMB_BYTES = 40 * 1024**2  # zeros: ~40 KB deflated (1030:1), over the unpacked limit the sandbox sets
UNPACKED_LIMIT = 32 * 1024**2  # SPARKLEAP_MAX_UNPACKED_BYTES in these tests (the default, 2 GiB, is slow to build)
BUNDLE_JSON = b'{"uid": "u", "name": "n", "format": "json", "version": "0.23.4", "timestamp": "t"}'


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """(scratch, outside): temp files go to `scratch`; `outside` (a sentinel dir holding `precious`) must
    stay as it is, and `scratch` must be empty again once a refused archive is cleaned up."""
    scratch, outside = tmp_path / "scratch", tmp_path / "outside"
    scratch.mkdir()
    outside.mkdir()
    (outside / "precious").write_text("keep me")
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv(archive.MAX_UNPACKED_ENV, str(UNPACKED_LIMIT))  # read by this process and the servers
    yield scratch, outside
    assert sorted(p.name for p in outside.iterdir()) == ["precious"]
    assert (outside / "precious").read_text() == "keep me"


def zip_of(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def zip_symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info, target.encode()


def tar_of(members: list[tuple[tarfile.TarInfo, bytes]], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            tf.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return buf.getvalue()


def tar_member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


def zip_with_lying_size(claimed: int) -> bytes:
    """A zip whose central directory claims `claimed` bytes for a member that really holds far more."""
    data = bytearray(zip_of([("bundle.json", b" " * 100_000 + BUNDLE_JSON)]))
    entry = data.index(b"PK\x01\x02")
    data[entry + 24:entry + 28] = struct.pack("<I", claimed)  # uncompressed size
    return bytes(data)


def zip_with_shared_data(copies: int) -> bytes:
    """An overlapping zip bomb: `copies` central-directory entries all pointing at one deflated member."""
    data = bytearray(zip_of([("bundle.json", BUNDLE_JSON), ("root/m0.json", bytes(BOMB_BYTES // 4))]))
    end = data.index(b"PK\x05\x06")
    entry = data.index(b"PK\x01\x02", data.index(b"root/m0.json") + 1)  # the member's central-directory entry
    record = bytes(data[entry:end])
    extra = b"".join(record.replace(b"root/m0.json", f"root/m{i}.json".encode()) for i in range(1, copies))
    eocd = bytearray(data[end:])
    count, size = struct.unpack_from("<HI", eocd, 10)[0] + copies - 1, struct.unpack_from("<I", eocd, 12)[0]
    struct.pack_into("<HHI", eocd, 8, count, count, size + len(extra))
    return bytes(data[:end]) + extra + bytes(eocd)


# name -> (archive bytes given the sentinel dir, file suffix, words the error must hold)
HOSTILE = {
    "zip-slip": (lambda out: zip_of([("bundle.json", BUNDLE_JSON), ("../outside/evil.txt", b"x")]), ".zip",
                 ["unsafe archive member", "../outside/evil.txt"]),
    "zip-slip-deep": (lambda out: zip_of([("root/../../outside/evil.txt", b"x")]), ".zip", ["unsafe"]),
    "zip-slip-backslashes": (lambda out: zip_of([("..\\outside\\evil.txt", b"x")]), ".zip", ["unsafe"]),
    "zip-absolute-path": (lambda out: zip_of([(zipfile.ZipInfo(f"{out}/evil.txt"), b"x")]), ".zip",
                          ["unsafe", "escapes"]),
    "zip-symlink-out": (lambda out: zip_of([zip_symlink("root", str(out)), ("root/evil.txt", b"x")]), ".zip",
                        ["symbolic link"]),
    "zip-bomb": (lambda out: zip_of([("bundle.json", BUNDLE_JSON), ("root/zeros.json", bytes(BOMB_BYTES))]),
                 ".zip", ["zip bomb"]),
    "zip-overlapping": (lambda out: zip_with_shared_data(5), ".zip", ["over 1100:1", "zip bomb"]),
    "zip-lying-size": (lambda out: zip_with_lying_size(10), ".zip", ["zip archive"]),
    "tar-traversal": (lambda out: tar_of([(tar_member("bundle.json"), BUNDLE_JSON),
                                          (tar_member("../outside/evil.txt"), b"x")]), ".tar.gz",
                      ["unsafe archive member", "../outside/evil.txt"]),
    "tar-absolute-path": (lambda out: tar_of([(tar_member(f"{out}/evil.txt"), b"x")]), ".tar.gz", ["unsafe"]),
    "tar-symlink-out": (lambda out: tar_of([(tar_member("root", tarfile.SYMTYPE, str(out)), b""),
                                            (tar_member("root/evil.txt"), b"x")]), ".tar.gz", ["link"]),
    "tar-symlink-relative": (lambda out: tar_of([(tar_member("root", tarfile.SYMTYPE, "../../outside"), b"")]),
                             ".tar.gz", ["link"]),
    "tar-hardlink-out": (lambda out: tar_of([(tar_member("root", tarfile.LNKTYPE, str(out / "precious")), b"")]),
                         ".tar.gz", ["link"]),
    "tar-fifo": (lambda out: tar_of([(tar_member("root", tarfile.FIFOTYPE), b"")]), ".tar.gz", ["device"]),
    "tar-char-device": (lambda out: tar_of([(tar_member("root", tarfile.CHRTYPE), b"")]), ".tar.gz", ["device"]),
    "gzip-bomb": (lambda out: tar_of([(tar_member("bundle.json"), BUNDLE_JSON),
                                      (tar_member("root/zeros.json"), bytes(BOMB_BYTES))]), ".tar.gz",
                  ["zip bomb"]),
    "not-an-archive": (lambda out: b"\x89PNG\r\n\x1a\n" + bytes(64), ".tar.gz", ["neither zip nor tar"]),
}


def write_hostile(name: str, folder: Path, outside: Path) -> Path:
    build, suffix, _ = HOSTILE[name]
    path = folder / f"hostile-{name}{suffix}"
    path.write_bytes(build(outside))
    return path


@pytest.mark.parametrize("name", HOSTILE)
def test_load_bundle_refuses_a_hostile_archive_and_writes_nothing_outside(name, sandbox, tmp_path):
    scratch, outside = sandbox
    with pytest.raises(BundleError) as caught:
        load_bundle(write_hostile(name, tmp_path, outside))
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    for word in HOSTILE[name][2]:
        assert word in message, message
    assert list(scratch.iterdir()) == []  # the half-unpacked temp dir is gone


@pytest.mark.parametrize("name", ["zip-slip", "zip-symlink-out", "zip-bomb", "tar-traversal", "tar-hardlink-out",
                                  "gzip-bomb"])
def test_sparkml_container_refuses_a_hostile_bundle_with_one_line(name, sandbox, tmp_path):
    scratch, outside = sandbox
    result = run_serve("sparkml", write_hostile(name, tmp_path, outside), TMPDIR=str(scratch))
    assert_one_line_failure(result, "sparkml container: cannot start", *HOSTILE[name][2])
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("name", ["tar-traversal", "tar-symlink-out", "gzip-bomb"])
def test_xgboost_container_refuses_a_hostile_model_archive_with_one_line(name, sandbox, tmp_path):
    scratch, outside = sandbox
    result = run_serve("xgboost", write_hostile(name, tmp_path, outside), TMPDIR=str(scratch))
    assert_one_line_failure(result, "xgboost container: cannot start", *HOSTILE[name][2])


def test_an_oversized_bundle_json_is_refused_naming_it(sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_JSON_BYTES", 1024**2)  # the real limit is 128 MB: too slow to build here
    numbers = ",".join(str(i) for i in range(300_000)).encode()  # ~2 MB
    path = tmp_path / "big.zip"
    path.write_bytes(zip_of([("bundle.json", BUNDLE_JSON), ("root/model.json", b'{"x": [' + numbers + b"]}")]))
    with pytest.raises(BundleError, match=r"'root/model.json' is \d+ bytes, over the limit of 1048576 bytes"):
        load_bundle(path)


def test_a_real_bundle_still_loads_under_the_guards(shared, sandbox):
    bundle = load_bundle(shared / TITANIC / "sparkml_model" / "mleap_model.tar.gz")
    assert bundle.ops


def test_a_deeply_nested_bundle_json_is_a_bundle_error(tmp_path):
    (tmp_path / "bundle.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BundleError, match="bundle.json"):
        load_bundle(tmp_path)


class Payload:
    """Unpickling this creates the directory `target`: proof that the pickle ran."""

    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self):
        return os.mkdir, (str(self.target),)


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_a_pickled_model_with_a_payload_is_refused_without_running_it(protocol, sandbox, tmp_path):
    scratch, outside = sandbox
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "xgboost-model").write_bytes(pickle.dumps(Payload(outside / "pwned"), protocol=protocol))
    result = run_serve("xgboost", folder, TMPDIR=str(scratch))
    assert_one_line_failure(result, "pickle", "arbitrary code", "SPARKLEAP_ALLOW_PICKLE=1")
    assert not (outside / "pwned").exists()


def test_a_bad_unpacked_limit_is_named(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv(archive.MAX_UNPACKED_ENV, "lots")
    path = tmp_path / "b.zip"
    path.write_bytes(zip_of([("bundle.json", BUNDLE_JSON)]))
    with pytest.raises(BundleError, match="SPARKLEAP_MAX_UNPACKED_BYTES='lots': expected a positive number"):
        load_bundle(path)
