"""The JDK on this machine as an oracle: a tiny Java program compiled once into a git-ignored cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
from pathlib import Path

SOURCES = Path(__file__).resolve().parent / "java"
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "java"


def java_home_bin(tool: str) -> str:
    """`tool` (java, javac) from JAVA_HOME when set, else from PATH; FileNotFoundError naming it otherwise."""
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home, "bin", tool) if home else None
    found = str(candidate) if candidate and candidate.is_file() else shutil.which(tool)
    if not found:
        raise FileNotFoundError(f"{tool} not found (set JAVA_HOME or put a JDK 17 on PATH)")
    return found


def compiled(name: str) -> Path:
    """The class folder holding `name`.class, compiled from tests/helpers/java/`name`.java when it changed."""
    source = SOURCES / f"{name}.java"
    folder = CACHE / hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    if not (folder / f"{name}.class").is_file():
        tmp = folder.with_name(folder.name + f".tmp-{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        subprocess.run([java_home_bin("javac"), "-d", str(tmp), str(source)], check=True, capture_output=True)
        os.replace(tmp, folder) if not folder.exists() else shutil.rmtree(tmp)
    return folder


def double_to_string(values: list[float]) -> list[str]:
    """Java's `Double.toString` of each value, from one JVM run."""
    stdin = "".join(f"{struct.unpack('<Q', struct.pack('<d', v))[0]:x}\n" for v in values)
    result = subprocess.run([java_home_bin("java"), "-cp", str(compiled("DoubleToString")), "DoubleToString"],
                            input=stdin, capture_output=True, text=True, check=True, timeout=300)
    return result.stdout.splitlines()
