"""The JDK on this machine as an oracle: a tiny Java program compiled once into a git-ignored cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
from collections.abc import Sequence
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


def spark_jars(*prefixes: str) -> list[Path]:
    """The JARs PySpark ships whose names start with one of `prefixes` (e.g. JTransforms-, JLargeArrays-)."""
    import pyspark

    jars = sorted(p for p in (Path(pyspark.__file__).parent / "jars").glob("*.jar") if p.name.startswith(prefixes))
    missing = [x for x in prefixes if not any(j.name.startswith(x) for j in jars)]
    if missing:
        raise FileNotFoundError(f"PySpark's jars folder has no {', '.join(missing)}*.jar")
    return jars


def compiled(name: str, classpath: Sequence[Path] = ()) -> Path:
    """The class folder holding `name`.class, compiled from tests/helpers/java/`name`.java (against `classpath`)
    when it changed."""
    source = SOURCES / f"{name}.java"
    key = source.read_bytes() + "".join(p.name for p in classpath).encode()
    folder = CACHE / hashlib.sha256(key).hexdigest()[:16]
    if not (folder / f"{name}.class").is_file():
        tmp = folder.with_name(folder.name + f".tmp-{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        cp = ["-cp", os.pathsep.join(map(str, classpath))] if classpath else []
        subprocess.run([java_home_bin("javac"), *cp, "-d", str(tmp), str(source)], check=True, capture_output=True)
        os.replace(tmp, folder) if not folder.exists() else shutil.rmtree(tmp)
    return folder


def _hex(value: float) -> str:
    return f"{struct.unpack('<Q', struct.pack('<d', value))[0]:x}"


def _double(bits: str) -> float:
    return struct.unpack("<d", struct.pack("<Q", int(bits, 16)))[0]


DCT_JARS = ("JTransforms-", "JLargeArrays-", "commons-math3-")


def jtransforms_dct(vectors: list[tuple[bool, list[float]]]) -> list[list[float]]:
    """Spark's DCT of each (inverse, values) by JTransforms 3.1 on the JVM (PySpark's own JARs), from one run."""
    jars = spark_jars(*DCT_JARS)
    stdin = "".join(f"{'I' if inverse else 'F'} {' '.join(map(_hex, values))}\n" for inverse, values in vectors)
    classpath = os.pathsep.join(map(str, [compiled("JTransformsDct", jars), *jars]))
    result = subprocess.run([java_home_bin("java"), "-cp", classpath, "JTransformsDct"],
                            input=stdin, capture_output=True, text=True, check=True, timeout=300)
    return [[_double(b) for b in line.split()] for line in result.stdout.splitlines()]


def double_to_string(values: list[float]) -> list[str]:
    """Java's `Double.toString` of each value, from one JVM run."""
    stdin = "".join(f"{_hex(v)}\n" for v in values)
    result = subprocess.run([java_home_bin("java"), "-cp", str(compiled("DoubleToString")), "DoubleToString"],
                            input=stdin, capture_output=True, text=True, check=True, timeout=300)
    return result.stdout.splitlines()


if __name__ == "__main__":  # `make test` compiles the JVM oracles up front
    compiled("DoubleToString")
    compiled("JTransformsDct", spark_jars(*DCT_JARS))
