"""Exact ports of what Spark and MLeap compute on the JVM, in Python and NumPy, bit for bit.

The bottom numeric layer under `bundles/`: Spark's `ml.linalg` vectors (`vectors`) and BLAS order
(`linalg`: Java's `Math.fma`, netlib's `ddot`/`dgemv`, softmax, distances), LAPACK's `dsyev` (`lapack`),
JTransforms' DCT (`jtransforms`), Java's `Math` (`java_math`), `Double.toString` and number parsing
(`number_text`), `java.util.regex` (`regex`) and Spark's MurmurHash3 (`murmur3`). Each module names the JVM
code it follows and the test that pins it against the JVM. Nothing here knows bundles, ops or HTTP.
"""
