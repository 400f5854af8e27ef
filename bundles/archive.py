"""Bundle containers: a directory, a zip (`jar:file:` style) or a SageMaker `model.tar.gz`.

Archives are unpacked into a fresh temporary directory with every member checked (no absolute paths,
no `..`, no links, a bounded total size and compression ratio, bundle JSON files of bounded size), and
written under a temporary name and renamed into place.

The total unpacked size is what bounds a zip bomb: a model's mostly-zero coefficient JSON (a 262,144-wide
HashingTF model) deflates about 700:1, as compressible as a bomb of zeros (1030:1), so a ratio cannot tell
them apart. The ratio check only catches what no single deflate or gzip stream can produce (over 1032:1):
members sharing compressed bytes, or sizes that lie.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from base.atomic import atomic_path
from bundles.errors import BundleError

MAX_UNPACKED_ENV = "SPARKLEAP_MAX_UNPACKED_BYTES"
DEFAULT_MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_RATIO = 1100  # declared unpacked bytes per archive byte; deflate itself stops at 1032:1
MAX_JSON_BYTES = 128 * 1024**2  # one bundle JSON file (bundle.json, model.json, node.json)


def _safe_member(name: str, where: str) -> str:
    clean = name.replace("\\", "/").lstrip("./") if name.startswith("./") else name.replace("\\", "/")
    parts = [p for p in clean.split("/") if p not in ("", ".")]
    if clean.startswith("/") or ".." in parts:
        raise BundleError(f"{where}: unsafe archive member {name!r} (path escapes the bundle)")
    return "/".join(parts)


def max_unpacked_bytes() -> int:
    """The unpacked-size limit in bytes: SPARKLEAP_MAX_UNPACKED_BYTES when set, else 2 GiB."""
    raw = os.environ.get(MAX_UNPACKED_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_UNPACKED_BYTES
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit <= 0:
        raise BundleError(f"{MAX_UNPACKED_ENV}={raw!r}: expected a positive number of bytes")
    return limit


def _check_sizes(archive: Path, member: str, size: int, total: int, limit: int) -> None:
    """Refuse a member JSON file over MAX_JSON_BYTES, and an archive whose unpacked `total` (bytes so far)
    exceeds `limit` or MAX_RATIO times the archive's own size (a zip bomb)."""
    if member.endswith(".json") and size > MAX_JSON_BYTES:
        raise BundleError(f"{archive}: archive member {member!r} is {size} bytes, over the limit of "
                          f"{MAX_JSON_BYTES} bytes for a bundle JSON file")
    if total > limit:
        raise BundleError(f"{archive}: archive unpacks to more than {limit} bytes: refused as a likely zip bomb "
                          f"(set {MAX_UNPACKED_ENV} to raise the limit)")
    packed = max(archive.stat().st_size, 1)
    if total > MAX_RATIO * packed:
        raise BundleError(f"{archive}: archive of {packed} bytes unpacks to more than {total} bytes "
                          f"(over {MAX_RATIO}:1): refused as a likely zip bomb")


def unpack(archive: Path, target: Path) -> None:
    """Unpack a zip or tar(.gz) archive into `target` (an empty directory), refusing unsafe members."""
    if zipfile.is_zipfile(archive):
        try:
            _unpack_zip(archive, target)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise BundleError(f"{archive}: broken zip archive ({' '.join(str(exc).split())})") from None
        return
    try:
        _unpack_tar(archive, target)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BundleError(f"{archive}: broken tar archive ({' '.join(str(exc).split())})") from None


def _unpack_zip(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        _extract(archive, target, (
            (info.filename, info.file_size, info.is_dir(),
             "symbolic link" if (info.external_attr >> 16) & 0o170000 == 0o120000 else "",
             lambda info=info: zf.open(info))
            for info in zf.infolist()))


def _unpack_tar(archive: Path, target: Path) -> None:
    try:
        tf = tarfile.open(archive, "r:*")
    except tarfile.TarError:
        raise BundleError(f"{archive}: not a bundle archive (neither zip nor tar): {_not_an_archive(archive)}; "
                          "a bundle is a folder, .zip or model.tar.gz holding bundle.json and root/") from None
    with tf:
        _extract(archive, target, (
            (member.name, member.size, member.isdir(),
             "link or device" if member.issym() or member.islnk() or member.isdev() else "",
             lambda member=member: tf.extractfile(member))
            for member in tf))


def _extract(archive: Path, target: Path, members: Iterator[tuple[str, int, bool, str, Callable]]) -> None:
    """Write each (name, size, is_dir, unsafe_kind, open) member under `target`, checking it first."""
    total, limit = 0, max_unpacked_bytes()
    for raw_name, size, is_dir, unsafe_kind, open_member in members:
        name = _safe_member(raw_name, str(archive))
        if unsafe_kind:
            raise BundleError(f"{archive}: archive member {raw_name!r} is a {unsafe_kind}")
        total += size
        _check_sizes(archive, name, size, total, limit)
        if not name or is_dir:
            continue
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        src = open_member()
        if src is None:
            continue
        with src, open(dest, "wb") as out:
            _copy_bounded(src, out, size, archive)


def _copy_bounded(src, out, declared: int, archive: Path) -> None:
    written = 0
    while chunk := src.read(1 << 20):
        written += len(chunk)
        if written > declared:
            raise BundleError(f"{archive}: archive member is larger than its header says")
        out.write(chunk)


def bundle_root(path: Path, shown: str | os.PathLike | None = None) -> Path:
    """The folder holding `bundle.json` inside an unpacked bundle (top level, or one folder down).

    `shown` is the name the user gave (an archive), used in the error instead of the unpacked folder."""
    if (path / "bundle.json").is_file():
        return path
    subdirs = [p for p in path.iterdir() if p.is_dir()]
    if len(subdirs) == 1 and (subdirs[0] / "bundle.json").is_file():
        return subdirs[0]
    raise BundleError(f"{shown or path}: not a Bundle.ML bundle (no bundle.json); {_looks_like(path)}")


def _looks_like(folder: Path) -> str:
    """What a folder that is not a bundle holds, in a few words (an XGBoost model is named as such)."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    if "xgboost-model" in files or any(name.endswith((".ubj", ".xgb")) for name in files):
        return "it holds an XGBoost model (xgboost-model): pass it as --xgboost-model, not as the bundle"
    if not files:
        return "it is empty"
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return f"it holds {shown}"


def _not_an_archive(path: Path) -> str:
    """What a file that is neither zip nor tar looks like: text (its first line) or binary."""
    with open(path, "rb") as f:
        head = f.read(200)
    try:
        line = head.decode("utf-8").splitlines()[0] if head.strip() else ""
    except UnicodeDecodeError:
        return "a binary file"
    return f"a text file starting {line[:60]!r}" if line else "an empty file"


def open_bundle_dir(path: str | os.PathLike) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """Return (folder with bundle.json, temp dir to clean up or None) for a directory, zip or tar.gz."""
    p = Path(str(path).removeprefix("jar:").removeprefix("file:"))
    if not p.exists():
        raise BundleError(f"{p}: no such file or directory")
    if p.is_dir():
        return bundle_root(p), None
    tmp = tempfile.TemporaryDirectory(prefix="sparkleap-bundle-")
    try:
        unpack(p, Path(tmp.name))
        return bundle_root(Path(tmp.name), p), tmp
    except BaseException:
        tmp.cleanup()
        raise


def pack(src_dir: Path, dest: Path) -> None:
    """Write the bundle folder `src_dir` to `dest` (dir, .zip, or .tar.gz/.tgz), atomically."""
    dest = Path(dest)
    name = dest.name.lower()
    with atomic_path(dest) as tmp:
        if name.endswith(".zip"):
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for file in sorted(src_dir.rglob("*")):
                    rel = file.relative_to(src_dir).as_posix()
                    if file.is_dir():
                        zf.writestr(rel + "/", b"")
                    else:
                        zf.write(file, rel)
        elif name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(tmp, "w:gz") as tf:
                tf.add(src_dir / "bundle.json", arcname="bundle.json")
                tf.add(src_dir / "root", arcname="root")
        else:
            shutil.copytree(src_dir, tmp)
