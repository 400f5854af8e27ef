"""Spark's dense linear algebra, bit for bit: dot products as `BLAS.dot` / `BLAS.gemv` compute them in Spark 3.5
and Spark 4.

Spark 3.5 calls dev.ludovic.netlib's `Java11BLAS` (the JVM BLAS on Java 11+, when no native BLAS is loaded
and the incubating vector module is off, which is Spark 3.5's default). Its `ddot` keeps four accumulators,
each updated with a fused multiply-add (`Math.fma`: x*y + acc rounded once), over the first n - n % 4
elements; then sums them as 0.0 + (((s0 + s1) + s2) + s3) and adds the rest one `fma` at a time.

Spark 4's launcher adds `--add-modules=jdk.incubator.vector`, so netlib picks `VectorBLAS` (`vector_lanes=L`
below; `JAVA11` = 0 keeps the scalar order, which Spark 4 also takes with the module off). Its `ddot` and
`dgemv` "T" keep one vector of L accumulators (`DoubleVector.SPECIES_MAX`: L = 8 with AVX-512, 4 with AVX2),
fused multiply-adds over the first n - n % L elements, then `reduceLanes(ADD)`, which HotSpot (x86-64 JDK 17,
interpreted or C2) adds in lane order from 0.0, and the rest as plain products: sum += x*y. Its `dgemv`
"N" runs Java11BLAS's fused kernel on the first m - m % L rows and plain products on the others. Pinned against
netlib's own classes at 8, 4, 2 and 1 lanes (tests/jvm/test_blas_order_against_netlib.py).

So Spark 4's last bits depend on the CPU of the JVM that scored: a bundle records the lanes of the exporting
driver (`bundles.provenance`; `MACHINE_LANES` = 8, an AVX-512 x86-64, when it does not say). Any two lane
counts (and Java11BLAS) differ by at most 2 γ(n+1) Σ|x_i w_i| for n terms, γ(k) = k u / (1 - k u), u = 2**-53:
every order rounds each product-and-sum path at most n + 1 times. That is at most 2 (n + 1) ulps of Σ|x_i w_i|,
the result's own ulps when the terms do not cancel (tests/jvm/test_blas_lane_bound.py).

NumPy has no FMA, so `fma` emulates it exactly (Boldo & Melquiond, "Emulation of FMA and correctly
rounded sums: proved algorithms using rounding to odd", IEEE TC 2008): an exact product (Veltkamp
split, Dekker product), an exact sum, the low parts added with rounding to odd, then one rounding.
Exact as long as no product overflows (|x*y| < 2**996) or falls below 2**-968: beyond those, the
result is x*y + acc rounded twice (documented limits, far outside any model's range).

`exp` / `log` (`jvm.java_math`) are Java's `Math.exp` / `Math.log`, HotSpot intrinsics that are not correctly rounded:
no C library reproduces them. We use the C library's (Python's `math`), which agrees with Java for
all but about 0.3 % of arguments and then differs by one unit in the last place (NumPy's SIMD exp
differs for about 5 %). Ops whose outputs go through them state a relative tolerance (1e-12).

Sparse feature vectors (HashingTF, CountVectorizer outputs) are never densified: `DotWeights` and
`MatrixWeights` take a `SparseMatrix` / `SparseVector` and follow Spark's sparse `dot` / `gemv` order.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from jvm.java_math import exp, exp_row
from jvm.vectors import SparseMatrix, SparseVector, dense_row

JAVA11 = 0  # `vector_lanes` of Java11BLAS's scalar order: Spark 3.5, and Spark 4 with the Vector API off
MACHINE_LANES = 8  # VectorBLAS lanes assumed for a Spark 4 bundle that does not record them (see the module doc)
_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's splitting constant for 53-bit doubles


def split(a: np.ndarray | float) -> tuple:
    """(hi, lo) with hi + lo == a and each half holding at most 26 significant bits."""
    t = _SPLITTER * a
    hi = t - (t - a)
    return hi, a - hi


def fma(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float, b_split: tuple | None = None) -> np.ndarray:
    """a * b + c with a single rounding, element-wise (Java `Math.fma`); `b_split` = split(b) if precomputed."""
    p = a * b
    ah, al = split(a)
    bh, bl = b_split if b_split is not None else split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + e == a * b exactly
    th = c + p  # TwoSum: th + tl == c + p exactly
    z = th - c
    tl = (c - (th - z)) + (p - z)
    s = tl + e  # s + r == tl + e exactly; s is then rounded to odd
    z = s - tl
    r = (tl - (s - z)) + (e - z)
    even = (np.asarray(s, dtype=np.float64).view(np.int64) & 1) == 0
    s = np.where((r != 0) & even, np.nextafter(s, np.copysign(np.inf, r)), s)
    out = th + s
    plain = ~np.isfinite(out)
    if plain.any():  # infinities and NaNs: as IEEE fma does, the plain expression gives them
        out = np.where(plain, p + c, out)
    return out


def fma_row(a: float, b: float, c: float, b_split: tuple[float, float]) -> float:
    """Scalar `Math.fma`: the exact product as p + e, then one correctly rounded sum (math.fsum)."""
    p = a * b
    t = _SPLITTER * a
    ah = t - (t - a)
    al = a - ah
    bh, bl = b_split
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    if e == 0.0 or e != e:  # exact product, or an infinite / NaN one: IEEE fma gives the plain expression
        return p + c
    out = math.fsum((p, e, c))
    return out if math.isfinite(out) else p + c


class DotWeights:
    """A fixed vector `w` dotted with many dense feature vectors exactly as Spark does.

    Java11BLAS (`vector_lanes=0`): `lanes=4` is `BLAS.dot(x, w)` (netlib `ddot`, four accumulators, fused tail);
    `lanes=1` is one row of `BLAS.gemv` with a row-major matrix (netlib `dgemv` "T": one fused multiply-add chain
    over the features, from 0.0). VectorBLAS (`vector_lanes=L`): `ddot` and `dgemv` "T" alike keep L accumulators
    (one vector of L lanes), add them in lane order and add the rest as plain products (`vector_order`)."""

    def __init__(self, w: np.ndarray, lanes: int = 4, vector_lanes: int = JAVA11):
        self.w = np.asarray(w, dtype=np.float64)
        self.size = len(self.w)
        self.accumulators = vector_lanes or lanes
        self.fused_tail = not vector_lanes
        self.blocked = blocked_length(self.size, self.accumulators, vector_lanes)

    @cached_property
    def parts(self) -> list[tuple[float, float]]:
        """split(w[j]) per feature, built on first dense use (a sparse-only model never pays for it)."""
        return [split(x) for x in self.w.tolist()]

    @cached_property
    def row(self) -> list[float]:
        return self.w.tolist()

    def dot(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        """x . w for every row of `matrix` (rows, size); sparse rows as Spark's sparse `BLAS.dot` (below)."""
        if isinstance(matrix, SparseMatrix):
            return sparse_dot(matrix, self.w)
        return _blocked_dot(matrix, self.w, self.parts, self.accumulators, self.blocked, self.fused_tail)

    def dot_row(self, values: list[float] | SparseVector) -> float:
        if isinstance(values, SparseVector):  # gathered from the array: cheaper than a wide list's misses
            return sparse_dot_row(SparseVector(values.size, range(len(values.indices)), values.values),
                                  self.w[values.indices].tolist())
        w, parts, b, a = self.row, self.parts, self.blocked, self.accumulators
        if b and a == 4:  # Java11BLAS ddot, unrolled (the common case)
            s0, s1, s2, s3 = (values[0] * w[0] + 0.0, values[1] * w[1] + 0.0,
                              values[2] * w[2] + 0.0, values[3] * w[3] + 0.0)
            for j in range(4, b, 4):
                s0 = fma_row(values[j], w[j], s0, parts[j])
                s1 = fma_row(values[j + 1], w[j + 1], s1, parts[j + 1])
                s2 = fma_row(values[j + 2], w[j + 2], s2, parts[j + 2])
                s3 = fma_row(values[j + 3], w[j + 3], s3, parts[j + 3])
            total = 0.0 + (((s0 + s1) + s2) + s3)
        elif b:
            acc = [values[k] * w[k] + 0.0 for k in range(a)]
            for j in range(a, b):
                acc[j % a] = fma_row(values[j], w[j], acc[j % a], parts[j])
            total = 0.0
            for s in acc:
                total += s
        else:
            total = 0.0
        if self.fused_tail:
            for j in range(b, self.size):
                total = fma_row(values[j], w[j], total, parts[j])
        else:
            for j in range(b, self.size):
                total += values[j] * w[j]
        return total

    def row_function(self):
        """`dot_row` for a dense list of exactly `size` numbers as one generated function (the weights and
        their splits as literals, each fused multiply-add written out): the same operations in the same order."""
        if self.size > 256 or not all(math.isfinite(x) for x in self.row):
            return self.dot_row
        lines = ["def dot(v):", f"    {', '.join(f'x{j}' for j in range(self.size))}{',' if self.size == 1 else ''} = v"
                 if self.size else "    pass"]

        def fma_into(acc: str, j: int) -> None:
            w, (bh, bl) = self.row[j], self.parts[j]
            lines.extend([f"    p = x{j} * {w!r}", f"    t = {_SPLITTER!r} * x{j}", f"    h = t - (t - x{j})",
                          f"    l = x{j} - h", f"    e = ((h * {bh!r} - p) + h * {bl!r} + l * {bh!r}) + l * {bl!r}",
                          "    if e == 0.0 or e != e:", f"        {acc} = p + {acc}", "    else:",
                          f"        o = fsum((p, e, {acc}))",  # as fma_row: a non-finite sum is p + acc
                          f"        {acc} = o if o - o == 0.0 else p + {acc}"])

        b, a = self.blocked, self.accumulators
        if b:
            lines.extend(f"    s{k} = x{k} * {self.row[k]!r} + 0.0" for k in range(a))
            for j in range(a, b):
                fma_into(f"s{j % a}", j)
            lines.append(f"    total = 0.0 + {'(' * (a - 1)}s0{''.join(f' + s{k})' for k in range(1, a))}")
        else:
            lines.append("    total = 0.0")
        for j in range(b, self.size):
            if self.fused_tail:
                fma_into("total", j)
            else:
                lines.append(f"    total = total + x{j} * {self.row[j]!r}")
        lines.append("    return total")
        scope = {"fsum": math.fsum}
        exec(compile("\n".join(lines), "<DotWeights.row_function>", "exec"), scope)  # noqa: S102 - our own source
        return scope["dot"]


def blocked_length(n: int, accumulators: int, vector_lanes: int) -> int:
    """How many of n products go to the accumulators (the rest is the tail): a multiple of their count; none for
    Java11BLAS's single fused chain (`dgemv` "T"), which starts from 0.0 as its tail does."""
    return 0 if accumulators == 1 and not vector_lanes else n - n % accumulators


def _blocked_dot(x: np.ndarray, w: np.ndarray | None, parts: list | None, accumulators: int, blocked: int,
                 fused_tail: bool) -> np.ndarray:
    """Row-wise x . w (x . x when `w` is None) in netlib's order: `accumulators` running sums (the first product
    of each + 0.0, then one fused multiply-add per product, product j in sum j % accumulators) over the first
    `blocked` products, added in order from 0.0; then the tail, fused (Java11BLAS) or plain (VectorBLAS)."""

    def factor(j: int):
        return x[:, j] if w is None else w[j]

    def split_of(j: int):
        return None if parts is None else parts[j]

    total: np.ndarray | float = 0.0
    if blocked:
        acc = [x[:, k] * factor(k) + 0.0 for k in range(accumulators)]
        for j in range(accumulators, blocked):
            k = j % accumulators
            acc[k] = fma(x[:, j], factor(j), acc[k], split_of(j))
        for s in acc:
            total = total + s
        total = 0.0 + total
    for j in range(blocked, x.shape[1]):
        if fused_tail:
            total = fma(x[:, j], factor(j), total, split_of(j))
        else:
            total = total + x[:, j] * factor(j)
    return np.broadcast_to(total, (x.shape[0],)).astype(np.float64)


def ddot_rows(x: np.ndarray, vector_lanes: int = JAVA11) -> np.ndarray:
    """netlib `ddot(v, v)` of every row v of (rows, n), both factors varying (Spark's `BLAS.dot(v, v)` on a dense
    vector): the order of `DotWeights` (Java11BLAS's four lanes, or VectorBLAS's `vector_lanes`)."""
    accumulators = vector_lanes or 4
    return _blocked_dot(x, None, None, accumulators, blocked_length(x.shape[1], accumulators, vector_lanes),
                        not vector_lanes)


def ddot_row(values: list[float], vector_lanes: int = JAVA11) -> float:
    """`ddot_rows` of one vector (Python floats)."""
    n = len(values)
    accumulators = vector_lanes or 4
    blocked = n - n % accumulators
    total = 0.0
    if blocked:
        acc = [values[k] * values[k] + 0.0 for k in range(accumulators)]
        for j in range(accumulators, blocked):
            acc[j % accumulators] = fma_row(values[j], values[j], acc[j % accumulators], split(values[j]))
        for s in acc:
            total += s
        total = 0.0 + total
    for j in range(blocked, n):
        total = (total + values[j] * values[j] if vector_lanes
                 else fma_row(values[j], values[j], total, split(values[j])))
    return total


class ColumnMajorGemv:
    """y := alpha A x + beta y for a fixed (m, n) matrix A stored column-major, as netlib `dgemv("N")` does
    (Spark's `BLAS.gemv` / `DenseMatrix.multiply` of a non-transposed dense matrix and a dense vector).

    Java11BLAS's kernel takes the columns four at a time: y[r] = fma(ax0, A[r, c], fma(ax1, A[r, c+1],
    fma(ax2, A[r, c+2], fma(ax3, A[r, c+3], y[r])))) with ax = alpha * x[c..c+3] (the last column of the four
    first), then the remaining columns one fused multiply-add each; y is first scaled by beta (beta = 0 sets it
    to 0.0). VectorBLAS (`vector_lanes=L`) runs the same kernel on the first m - m % L rows (whole vectors); each
    remaining row adds plain products instead: y[r] += ((ax0 A[r, c] + ax1 A[r, c+1]) + ax2 A[r, c+2]) + ...,
    then y[r] += ax A[r, c] per remaining column."""

    def __init__(self, matrix: np.ndarray, vector_lanes: int = JAVA11):
        self.matrix = np.asarray(matrix, dtype=np.float64)
        m = self.matrix.shape[0]
        self.fused = m - m % vector_lanes if vector_lanes else m  # the rows the fused kernel computes
        fused = self.matrix[:self.fused]
        self.columns = [fused[:, j][None, :] for j in range(fused.shape[1])]
        self.parts = [split(c) for c in self.columns]
        self.column_values = [c[0].tolist() for c in self.columns]
        self.column_parts = [[split(float(a)) for a in c] for c in self.column_values]
        self.plain = self.matrix[self.fused:]
        self.plain_columns = self.plain.T.tolist()

    def _order(self) -> list[int]:
        n = self.matrix.shape[1]
        blocked = n - n % 4
        return [c + k for c in range(0, blocked, 4) for k in (3, 2, 1, 0)] + list(range(blocked, n))

    def _plain_groups(self) -> list[range]:
        """The columns whose plain products VectorBLAS adds to a remaining row at once: fours, then ones."""
        n = self.matrix.shape[1]
        blocked = n - n % 4
        return [range(c, c + 4) for c in range(0, blocked, 4)] + [range(c, c + 1) for c in range(blocked, n)]

    def apply(self, x: np.ndarray, alpha: float, beta: float, y: np.ndarray) -> np.ndarray:
        """(rows, m) for x (rows, n) and y (rows, m) (or (m,), the same for every row)."""
        shape = (x.shape[0], self.matrix.shape[0])
        out = np.zeros(shape) if beta == 0.0 else np.broadcast_to(y if beta == 1.0 else beta * y, shape).copy()
        ax = alpha * x
        fused = out[:, :self.fused]
        for j in self._order():
            fused = fma(ax[:, j][:, None], self.columns[j], fused, self.parts[j])
        out[:, :self.fused] = fused
        if len(self.plain):
            plain = out[:, self.fused:]
            for group in self._plain_groups():
                products = [ax[:, c][:, None] * self.plain[:, c][None, :] for c in group]
                plain = plain + sequential_terms(products)
            out[:, self.fused:] = plain
        return out

    def apply_row(self, x: list[float], alpha: float, beta: float, y: list[float]) -> list[float]:
        out = [0.0] * len(y) if beta == 0.0 else [v if beta == 1.0 else beta * v for v in y]
        fused = out[:self.fused]
        for j in self._order():
            ax = alpha * x[j]
            column, parts = self.column_values[j], self.column_parts[j]
            fused = [fma_row(ax, a, v, p) for a, v, p in zip(column, fused, parts, strict=True)]
        plain = out[self.fused:]
        for group in self._plain_groups():
            products = [[alpha * x[c] * a for a in self.plain_columns[c]] for c in group]
            per_row = zip(*products, strict=True)
            plain = [v + sequential_terms(terms) for v, terms in zip(plain, per_row, strict=True)]
        return fused + plain


def sequential_terms(terms):
    """((t0 + t1) + t2) + ...: arrays or floats added left to right, as a Java expression a + b + c does."""
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def sparse_dot(matrix: SparseMatrix, w: np.ndarray, stored: np.ndarray | None = None,
               rows: np.ndarray | None = None) -> np.ndarray:
    """Spark's `BLAS.dot(x: SparseVector, y)` per row: x's stored values times w at their indices, summed in
    index order from 0.0 with plain multiply-adds (no FMA); `stored` (bool per feature) keeps only the
    features where a sparse `y` stores a value (Spark's merge of two sparse vectors); `rows`: `row_ids()`."""
    products = matrix.values * w[matrix.indices]
    rows = matrix.row_ids() if rows is None else rows
    if stored is not None:
        keep = stored[matrix.indices]
        products, rows = products[keep], rows[keep]
    return np.bincount(rows, weights=products, minlength=len(matrix))  # a sequential loop in C, in entry order


def sparse_dot_row(x: SparseVector, w: list[float], stored: set[int] | None = None) -> float:
    total = 0.0
    for i, value in zip(x.indices, x.values, strict=True):
        if stored is None or i in stored:
            total += value * w[i]
    return total


def ordered_sums(products: np.ndarray, start: float | None = 0.0) -> np.ndarray:
    """Row sums of (rows, k) added left to right from 0.0 (a Java loop `sum += p`): `cumsum` accumulates in
    order; + 0.0 turns the -0.0 it keeps when every product is -0.0 into the 0.0 a sum from 0.0 gives.
    `start=None`: from the first column itself (a sum that starts from a value, e.g. an intercept)."""
    if products.shape[1] == 0:
        return np.zeros(products.shape[0])
    total = np.cumsum(products, axis=1)[:, -1]
    return total if start is None else total + start


def sequential_sum(matrix: np.ndarray) -> np.ndarray:
    """Row sums of (rows, k) added left to right from 0.0, as a Java loop does (NumPy's sum is pairwise)."""
    total = np.zeros(matrix.shape[0])
    for j in range(matrix.shape[1]):
        total = total + matrix[:, j]
    return total


LAYOUTS = ("dense_row", "dense_col", "sparse_row", "sparse_col")


class MatrixWeights:
    """y = A x + b for a fixed (k, n) matrix A, as Spark's `BLAS.gemv(1.0, A, x, 1.0, b)` does for dense x.

    Spark's order depends on how A is stored (`layout`): "dense_row" (netlib dgemv "T": an FMA chain per row,
    or VectorBLAS's lanes with `vector_lanes`, as `DotWeights`; then + b), "sparse_row" (CSR: the stored
    non-zeros of a row summed left to right from 0.0, then + b), "sparse_col" (CSC: b, then each stored
    non-zero w * x added in feature order). "dense_col" (netlib dgemv "N", whose JVM kernel unrolls over
    columns) is computed as "dense_row": within a few ulps, not exact."""

    def __init__(self, matrix: np.ndarray, intercepts: np.ndarray, layout: str = "dense_row",
                 vector_lanes: int = JAVA11):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown matrix layout {layout!r}; one of {LAYOUTS}")
        self.matrix = np.asarray(matrix, dtype=np.float64)
        self.intercepts = np.asarray(intercepts, dtype=np.float64)
        self.layout = layout
        self.vector_lanes = vector_lanes
        self.b = self.intercepts.tolist()

    # per-element Python structures, built on first use by the path that needs them (a wide model's load
    # and its sparse path never build them)
    @cached_property
    def rows(self) -> list[DotWeights]:
        return [DotWeights(w, lanes=1, vector_lanes=self.vector_lanes) for w in self.matrix]

    @cached_property
    def nonzero(self) -> list[list[int]]:
        return [np.flatnonzero(w).tolist() for w in self.matrix]

    @cached_property
    def row_values(self) -> list[list[float]]:
        return self.matrix.tolist()

    def apply(self, x: np.ndarray | SparseMatrix) -> np.ndarray:
        """(rows, k) for x of shape (rows, n); sparse x as Spark's gemv(A, SparseVector) (`apply_sparse`)."""
        if isinstance(x, SparseMatrix):
            return self.apply_sparse(x)
        out = np.empty((x.shape[0], len(self.b)))
        for k, b in enumerate(self.b):
            w = self.row_values[k]
            if self.layout.startswith("dense"):
                out[:, k] = self.rows[k].dot(x) + b
            elif self.layout == "sparse_row":
                total = np.zeros(x.shape[0])
                for j in self.nonzero[k]:
                    total = total + w[j] * x[:, j]
                out[:, k] = b + total
            else:
                total = np.full(x.shape[0], b)
                for j in self.nonzero[k]:
                    total = total + w[j] * x[:, j]
                out[:, k] = total
        return out

    @cached_property
    def stored_mask(self) -> np.ndarray:
        """(k, n) bool: where a sparse A stores a value (its non-zeros)."""
        return self.matrix != 0.0

    def apply_sparse(self, x: SparseMatrix) -> np.ndarray:
        """Spark's gemv for sparse x: per class, dense A sums every stored x * A[k] from 0.0, then + b; CSR A
        sums only where A stores a value, then + b; CSC A starts from b and adds in feature order."""
        out = np.empty((len(x), len(self.b)))
        rows = x.row_ids()
        for k, b in enumerate(self.b):
            w = self.matrix[k]
            if self.layout.startswith("dense"):
                out[:, k] = sparse_dot(x, w, rows=rows) + b
            elif self.layout == "sparse_row":
                out[:, k] = sparse_dot(x, w, self.stored_mask[k], rows=rows) + b
            else:
                keep = self.stored_mask[k][x.indices]
                total = np.full(len(x), b)
                np.add.at(total, rows[keep], x.values[keep] * w[x.indices[keep]])  # in entry order
                out[:, k] = total
        return out

    def apply_chain(self, x: SparseMatrix) -> np.ndarray:
        """The dense-row product (one FMA chain per output from 0.0, then + b) of sparse rows that a dense
        product would read in full (Spark densifies them, e.g. the perceptron's layers), at the cost of their
        stored entries: for finite A, fma(0, a, acc) = acc, and a chain from 0.0 never holds -0.0, so
        skipping the zeros is exact. Entries go in index order, position p of every row at once."""
        counts = np.diff(x.indptr)
        acc = np.zeros((len(x), len(self.b)))
        if len(x.indices):
            position = np.arange(len(x.indices)) - np.repeat(x.indptr[:-1], counts)
            order = np.argsort(position, kind="stable")
            rows = x.row_ids()[order]
            bounds = np.searchsorted(position[order], np.arange(int(counts.max()) + 1))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                entries, r = order[a:b], rows[a:b]
                acc[r] = fma(x.values[entries][:, None], self.matrix[:, x.indices[entries]].T, acc[r])
        return acc + self.intercepts

    def apply_chain_row(self, x: SparseVector) -> list[float]:
        """`apply_chain` of one sparse row."""
        columns = self.matrix[:, x.indices].tolist()
        out = []
        for weights, b in zip(columns, self.b, strict=True):
            total = 0.0
            for value, w in zip(x.values, weights, strict=True):
                total = fma_row(value, w, total, split(w))
            out.append(total + b)
        return out

    def apply_row(self, x: list[float] | SparseVector) -> list[float]:
        if isinstance(x, SparseVector):
            return self._apply_sparse_row(x)
        out = []
        for k, b in enumerate(self.b):
            w = self.row_values[k]
            if self.layout.startswith("dense"):
                out.append(self.rows[k].dot_row(x) + b)
            elif self.layout == "sparse_row":
                total = 0.0
                for j in self.nonzero[k]:
                    total += w[j] * x[j]
                out.append(b + total)
            else:
                total = b
                for j in self.nonzero[k]:
                    total += w[j] * x[j]
                out.append(total)
        return out


    def _apply_sparse_row(self, x: SparseVector) -> list[float]:
        """Every class at once, O(classes * non-zeros): the products in x's index order, summed left to right.
        A sparse A's unstored entries contribute -0.0, the identity of addition (Spark skips them)."""
        columns = self.matrix[:, x.indices]
        products = columns * np.asarray(x.values, dtype=np.float64)
        if self.layout.startswith("dense"):
            return (ordered_sums(products) + self.intercepts).tolist()
        products = np.where(columns != 0.0, products, -0.0)
        if self.layout == "sparse_row":
            return (ordered_sums(products) + self.intercepts).tolist()
        return ordered_sums(np.column_stack([self.intercepts, products]), start=None).tolist()


def spark_matrix_layout(matrix) -> str:
    """The layout of a PySpark `DenseMatrix` / `SparseMatrix` (see `MatrixWeights`)."""
    sparse = type(matrix).__name__ == "SparseMatrix"
    return f"{'sparse' if sparse else 'dense'}_{'row' if matrix.isTransposed else 'col'}"


EPSILON = 2.220446049250313e-16  # Spark's MLUtils.EPSILON (machine epsilon)


def norms(matrix: np.ndarray | SparseMatrix) -> np.ndarray:
    """Spark `Vectors.norm(v, 2.0)` per row: sqrt of the squares (of the stored values) summed left to right."""
    if isinstance(matrix, SparseMatrix):
        return np.sqrt(np.bincount(matrix.row_ids(), weights=matrix.values * matrix.values, minlength=len(matrix)))
    return np.sqrt(sequential_sum(matrix * matrix))


def norm_row(values: list[float] | SparseVector) -> float:
    total = 0.0
    for x in values.values if isinstance(values, SparseVector) else values:
        total += x * x
    return math.sqrt(total)


def fast_squared_distance(center: DotWeights, center_norm: float, matrix: np.ndarray | SparseMatrix,
                          row_norms: np.ndarray) -> np.ndarray:
    """Spark `MLUtils.fastSquaredDistance(center, point)` per row: |c|^2 + |x|^2 - 2 c.x when that is precise
    enough (the bound Spark uses, precision 1e-6), else for a dense point the plain squared distance; for a sparse
    point Spark first tries max(|c|^2 + |x|^2 - 2 c.x, 0) (NaN stays NaN, as `math.max`) against a second bound."""
    total = center_norm * center_norm + row_norms * row_norms
    diff = center_norm - row_norms
    with np.errstate(invalid="ignore"):
        bound = 2.0 * EPSILON * total / (diff * diff + EPSILON)
    cheap = bound < 1e-6
    out = np.empty(len(matrix))
    sparse = isinstance(matrix, SparseMatrix)
    dot = center.dot(matrix) if sparse else center.dot(matrix[cheap]) if cheap.any() else None
    if cheap.any():
        out[cheap] = total[cheap] - 2.0 * (dot[cheap] if sparse else dot)
    plain = ~cheap
    if sparse and plain.any():
        d, t = dot[plain], total[plain]
        with np.errstate(invalid="ignore"):
            tried = np.maximum(t - 2.0 * d, 0.0)
            precise = ~(EPSILON * (t + 2.0 * np.abs(d)) / (tried + EPSILON) > 1e-6)
        out[plain] = tried
        plain[np.flatnonzero(plain)[precise]] = False
    if plain.any():
        rows = matrix[plain]
        d = (rows.toarray() if sparse else rows) - center.w[None, :]
        out[plain] = sequential_sum(d * d)
    return out


def fast_squared_distance_row(center: DotWeights, center_norm: float, values: list[float] | SparseVector,
                              norm: float) -> float:
    total = center_norm * center_norm + norm * norm
    diff = center_norm - norm
    if 2.0 * EPSILON * total / (diff * diff + EPSILON) < 1e-6:
        return total - 2.0 * center.dot_row(values)
    if isinstance(values, SparseVector):
        dot = center.dot_row(values)
        tried = total - 2.0 * dot
        tried = tried if tried != tried else max(tried, 0.0)
        if not EPSILON * (total + 2.0 * abs(dot)) / (tried + EPSILON) > 1e-6:
            return tried
        values = dense_row(values)
    out = 0.0
    for x, c in zip(values, center.row, strict=True):
        d = c - x
        out += d * d
    return out


_MAX = float(np.finfo(np.float64).max)  # Scala's Double.MinValue is -_MAX


def softmax(raw: np.ndarray, divide: bool = False) -> np.ndarray:
    """Per row of (rows, classes): exp(z - max) over their sum. Default: Spark's `Utils.softmax` (a +inf
    entry gives one-hot; the exps are scaled by 1 / sum). `divide`: the neural network's softmax layer
    (no +inf case; each exp divided by the sum). The max starts at Scala's Double.MinValue; NaN never wins."""
    top = np.maximum(np.max(np.where(np.isnan(raw), -np.inf, raw), axis=1), -_MAX)
    with np.errstate(divide="ignore", invalid="ignore"):  # inf - inf rows are replaced below
        e = exp(raw - top[:, None])
        if divide:
            return e / sequential_sum(e)[:, None]
        out = e * (1.0 / sequential_sum(e))[:, None]
    inf_rows = np.isposinf(raw).any(axis=1)
    if inf_rows.any():
        one_hot = np.zeros_like(raw)
        one_hot[np.arange(len(raw)), np.argmax(np.isposinf(raw), axis=1)] = 1.0
        out = np.where(inf_rows[:, None], one_hot, out)
    return out


def softmax_row(raw: list[float], divide: bool = False) -> list[float]:
    top = -_MAX
    for i, x in enumerate(raw):
        if x == math.inf and not divide:
            return [1.0 if j == i else 0.0 for j in range(len(raw))]
        if x > top:
            top = x
    e = [exp_row(x - top) for x in raw]
    total = 0.0
    for x in e:
        total += x
    if divide:
        return [x / total if total != 0.0 else math.nan for x in e]
    scale = 1.0 / total if total != 0.0 else math.inf
    return [x * scale for x in e]
