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


def compiled(name: str, classpath: str | None = None) -> Path:
    """The class folder holding `name`.class, compiled from tests/helpers/java/`name`.java (against `classpath`
    when given) when it changed."""
    source = SOURCES / f"{name}.java"
    key = source.read_bytes() + (classpath or "").encode()
    folder = CACHE / hashlib.sha256(key).hexdigest()[:16]
    if not (folder / f"{name}.class").is_file():
        tmp = folder.with_name(folder.name + f".tmp-{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        cp = ["-cp", classpath] if classpath else []
        done = subprocess.run([java_home_bin("javac"), "-nowarn", *cp, "-d", str(tmp), str(source)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(tmp)
            raise RuntimeError(f"javac could not compile {source}:\n{done.stderr}")
        os.replace(tmp, folder) if not folder.exists() else shutil.rmtree(tmp)
    return folder


def _hex(value: float) -> str:
    return f"{struct.unpack('<Q', struct.pack('<d', value))[0]:x}"


def _double(bits: str) -> float:
    return struct.unpack("<d", struct.pack("<Q", int(bits, 16)))[0]


def double_to_string(values: list[float]) -> list[str]:
    """Java's `Double.toString` of each value, from one JVM run."""
    stdin = "".join(f"{_hex(v)}\n" for v in values)
    result = subprocess.run([java_home_bin("java"), "-cp", str(compiled("DoubleToString")), "DoubleToString"],
                            input=stdin, capture_output=True, text=True, check=True, timeout=300)
    return result.stdout.splitlines()


def spark_classpath() -> str:
    """PySpark's own JARs (Spark 3.5, breeze, dev.ludovic.netlib, the F2J LAPACK) as a Java classpath."""
    import pyspark

    return str(Path(pyspark.__file__).resolve().parent / "jars" / "*")


def jtransforms_dct(vectors: list[tuple[bool, list[float]]]) -> list[list[float]]:
    """Spark's DCT of each (inverse, values) by JTransforms 3.1 on the JVM (PySpark's own JARs), from one run."""
    classpath = spark_classpath()
    stdin = "".join(f"{'I' if inverse else 'F'} {' '.join(map(_hex, values))}\n" for inverse, values in vectors)
    result = subprocess.run([java_home_bin("java"), "-cp", f"{compiled('JTransformsDct', classpath)}{os.pathsep}"
                             f"{classpath}", "JTransformsDct"],
                            input=stdin, capture_output=True, text=True, check=True, timeout=300)
    return [[_double(b) for b in line.split()] for line in result.stdout.splitlines()]


class SparkEigenOracle:
    """One JVM running tests/helpers/java/SparkEigenOracle.java, asked task by task (see the Java for the tasks):
    Spark's classes take seconds to load, so a test module keeps one."""

    def __init__(self):
        classpath = spark_classpath()
        folder = compiled("SparkEigenOracle", classpath)
        self.process = subprocess.Popen([java_home_bin("java"), "-Xmx1g", "-XX:+UseSerialGC", "-cp",
                                         f"{folder}{os.pathsep}{classpath}", "SparkEigenOracle"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)

    def ask(self, tasks: list[str]) -> list[str]:
        answers = []
        for task in tasks:
            self.process.stdin.write(task + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
            if not line:
                self.close()
                raise RuntimeError(f"SparkEigenOracle died on {task[:40]!r}:\n{self.process.stderr.read()[-2000:]}")
            answers.append(line.rstrip("\n"))
        return answers

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)


class NetlibBlasOracle:
    """One JVM running tests/helpers/java/NetlibBlasOracle.java over PySpark's dev.ludovic.netlib JAR: with
    `lanes`, started as Spark 4's launcher starts Spark (`--add-modules=jdk.incubator.vector`: VectorBLAS), its
    vectors capped at `lanes` doubles (-XX:MaxVectorSize, as a CPU with narrower vectors has them); else as
    Spark 3.5's (Java11BLAS)."""

    def __init__(self, lanes: int | None):
        classpath = spark_classpath()
        folder = compiled("NetlibBlasOracle", classpath)
        modules = [f"-XX:MaxVectorSize={8 * lanes}", "--add-modules=jdk.incubator.vector"] if lanes else []
        jit = ["-XX:-TieredCompilation", "-XX:CompileThreshold=200"]  # interpreted first, then C2's intrinsics
        self.process = subprocess.Popen([java_home_bin("java"), *modules, *jit, "-Xmx256m", "-XX:+UseSerialGC",
                                         "-Djava.util.logging.config.file=/dev/null", "-cp",
                                         f"{folder}{os.pathsep}{classpath}", "NetlibBlasOracle"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)

    def ask(self, task: str) -> str:
        self.process.stdin.write(task + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"NetlibBlasOracle died on {task[:40]!r}")
        return line.rstrip("\n")

    def implementation(self) -> tuple[str, int]:
        """(the JavaBLAS class Spark would get, DoubleVector.SPECIES_MAX lanes or 0 without the Vector API)."""
        name, lanes = self.ask("impl").split()
        return name, int(lanes)

    def ddot(self, x: list[float], y: list[float]) -> float:
        return _double(self.ask(f"ddot {len(x)} {' '.join(map(_hex, [*x, *y]))}"))

    def dgemv(self, trans: str, a: list[list[float]], x: list[float], alpha: float, beta: float,
              y: list[float]) -> list[float]:
        """y after dgemv(trans, m, n, alpha, A, m, x, 1, beta, y, 1) for A given as m rows of n."""
        m, n = len(a), len(a[0]) if a else 0
        column_major = [a[r][c] for c in range(n) for r in range(m)]
        numbers = " ".join(map(_hex, [alpha, beta, *column_major, *x, *y]))
        return [_double(b) for b in self.ask(f"dgemv {trans} {m} {n} {numbers}").split()]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)


if __name__ == "__main__":  # `make test` compiles the JVM oracles up front
    compiled("DoubleToString")
    for oracle in ("JTransformsDct", "SparkEigenOracle", "NetlibBlasOracle"):
        compiled(oracle, spark_classpath())
