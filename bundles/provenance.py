"""Which Spark a bundle came from, and the BLAS summation order its model ops follow.

MLeap's `bundle.json` has no Spark version. We add one key MLeap's reader ignores (it reads its five fields by
name; tests/interop loads such bundles in MLeap 0.20 and 0.9.6): `"spark": {"version": "4.3.0",
"vector_lanes": 8}`. `vector_lanes` is the JVM BLAS Spark's models ran on (`jvm.linalg`): 0 for
dev.ludovic.netlib's Java11BLAS (Spark 3.5, whose launcher leaves the Vector API off), else VectorBLAS's lane
count, `DoubleVector.SPECIES_MAX.length()` (Spark 4's launcher adds `--add-modules=jdk.incubator.vector`): 8 on
x86-64 with AVX-512, 4 with AVX2 only. It is read from the driver JVM at export (the executors of a cluster
with other CPUs would sum with their own lanes). A bundle with no record (MLeap's, or written before) is read as
Spark 3.5's; a Spark 4 record without lanes as `jvm.linalg.MACHINE_LANES`.
"""

from __future__ import annotations

from typing import Any

from bundles.errors import BundleError
from jvm.linalg import JAVA11, MACHINE_LANES

SPARK_KEY = "spark"
LANE_COUNTS = (0, 1, 2, 4, 8, 16)  # 16: a 1024-bit vector (ARM SVE), the widest HotSpot has


def spark_major(version: str) -> int:
    """The major version of a recorded Spark `version`; 3 for "" (no record: Spark 3.5)."""
    major = version.split(".", 1)[0]
    return int(major) if major.isdigit() else 3


def default_lanes(version: str) -> int:
    """The lanes a Spark `version` runs with by default: VectorBLAS's (assumed) from Spark 4 on."""
    return MACHINE_LANES if spark_major(version) >= 4 else JAVA11


def jvm_vector_lanes(session: Any) -> int | None:
    """The lanes of the session's driver JVM BLAS, or None when there is no JVM to ask (Spark Connect). Asks
    whether the Vector API module is loaded (what makes netlib pick VectorBLAS on Java 16+) without loading
    netlib itself."""
    try:
        jvm = session.sparkContext._jvm
    except Exception:  # Spark Connect sessions have no SparkContext (its error class differs by version)
        return None
    if jvm is None:
        return None
    java = int(str(jvm.java.lang.Runtime.version().feature()))
    if java < 16 or not jvm.java.lang.ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent():
        return JAVA11
    return int(jvm.jdk.incubator.vector.DoubleVector.SPECIES_MAX.length())


def spark_record(session: Any) -> dict[str, Any]:
    """The `bundle.json` "spark" record of a bundle exported from `session`."""
    version = str(session.version)
    lanes = jvm_vector_lanes(session)
    return {"version": version, "vector_lanes": default_lanes(version) if lanes is None else lanes}


def vector_lanes(info: dict[str, Any], where: str) -> int:
    """The summation order of a loaded bundle's `bundle.json` (`where` names the file in errors)."""
    record = info.get(SPARK_KEY)
    if record is None:
        return JAVA11
    version = record.get("version") if isinstance(record, dict) else None
    if not isinstance(version, str):
        raise BundleError(f"{where}: {SPARK_KEY!r} must be an object with a string 'version'")
    lanes = record.get("vector_lanes", default_lanes(version))
    if not isinstance(lanes, int) or isinstance(lanes, bool) or lanes not in LANE_COUNTS:
        raise BundleError(f"{where}: {SPARK_KEY}.vector_lanes must be one of {LANE_COUNTS}, not {lanes!r}")
    return lanes
