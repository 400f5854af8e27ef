"""`jvm.lapack.dsyev` and the Gaussian mixture's per-component constants against the JVM, bit for bit.

The oracle (tests/helpers/java/SparkEigenOracle.java, compiled against PySpark's own JARs) runs the dsyev call
breeze's `eigSym` makes, breeze's `eigSym` itself, and Spark 3.5's `MultivariateGaussian`."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from bundles.ops.gaussian_mixture import Gaussian
from jvm.lapack import dsyev
from jvm.vectors import SparseMatrix, SparseVector
from tests.helpers.jdk import SparkEigenOracle

pytestmark = pytest.mark.interop

BATCHES = settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                   suppress_health_check=[HealthCheck.too_slow])  # one JVM per example; a failure prints its seed
KINDS = ("full", "psd", "singular", "near_singular", "diagonal", "repeated", "integers", "tiny", "huge", "zeros")


@pytest.fixture(scope="module")
def oracle():
    jvm = SparkEigenOracle()
    yield jvm
    jvm.close()


def hex_bits(values) -> str:
    return " ".join(f"{struct.unpack('<Q', struct.pack('<d', float(x)))[0]:x}" for x in np.ravel(values))


def from_hex(tokens: list[str]) -> np.ndarray:
    return np.array([struct.unpack("<d", struct.pack("<Q", int(t, 16)))[0] for t in tokens])


def same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


def symmetric(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """An (n, n) symmetric matrix of `kind` (see KINDS): singular and near-singular ones included."""
    b = rng.normal(size=(n, n))
    rank = int(rng.integers(0, n)) if n > 1 else 0
    low = rng.normal(size=(n, max(rank, 1))) * (rank > 0)
    matrices = {
        "full": lambda: b + b.T,
        "psd": lambda: b @ b.T,
        "singular": lambda: low @ low.T,  # rank < n: zero eigenvalues up to rounding
        "near_singular": lambda: low @ low.T + np.eye(n) * 10.0 ** rng.uniform(-16, -8),
        "diagonal": lambda: np.diag(rng.normal(size=n)),
        "repeated": lambda: np.eye(n) * 3.0 + (b + b.T) * 1e-15,
        "integers": lambda: (lambda m: m + m.T)(rng.integers(-2, 3, size=(n, n)).astype(np.float64)),
        "tiny": lambda: (b @ b.T) * 1e-160,  # below dsyev's rmin / dsteqr's ssfmin: the scaled paths
        "huge": lambda: (b + b.T) * 1e160,  # above rmax
        "zeros": lambda: np.zeros((n, n)),
    }
    return matrices[kind]() * 10.0 ** rng.uniform(-3, 3)


@st.composite
def matrix_batches(draw) -> list[np.ndarray]:
    """A batch of symmetric matrices, sizes 1..40 (at least one above dsytrd's block crossover of 32)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    sizes = draw(st.lists(st.integers(1, 40), min_size=10, max_size=10)) + [draw(st.integers(33, 40))]
    return [symmetric(rng, n, str(rng.choice(KINDS))) for n in sizes] + [symmetric(rng, n, k) for k in KINDS
                                                                         for n in (1, 2, 5)]


def test_spark_runs_f2j_lapack_and_java11_blas(oracle):
    """The port follows the F2J reference LAPACK and Java11BLAS: the implementations the JVM picks here."""
    assert oracle.ask(["instances"]) == ["dev.ludovic.netlib.lapack.F2jLAPACK dev.ludovic.netlib.blas.Java11BLAS"]


def test_the_oracles_dsyev_call_is_breezes_eig_sym(oracle):
    rng = np.random.default_rng(7)
    matrices = [symmetric(rng, n, kind) for n in (1, 3, 8, 36) for kind in ("full", "singular")]
    answers = oracle.ask([f"{kind} {len(a)} {hex_bits(a.T)}" for a in matrices for kind in ("dsyev", "eigsym")])
    for dsyev_line, eigsym_line in zip(answers[::2], answers[1::2], strict=True):
        assert dsyev_line.split()[1:] == eigsym_line.split()


@BATCHES
@given(batch=matrix_batches())
def test_dsyev_equals_the_jvms_bit_for_bit(oracle, batch):
    answers = oracle.ask([f"dsyev {len(a)} {hex_bits(a.T)}" for a in batch])
    for a, line in zip(batch, answers, strict=True):
        n = len(a)
        want = from_hex(line.split())
        w, z, info = dsyev(a)
        note(f"n={n} a={a.tolist()}")
        assert info == want[0]
        assert same_bits(w, want[1:1 + n]), f"eigenvalues differ (n={n})"
        assert same_bits(z, want[1 + n:].reshape(n, n, order="F")), f"eigenvectors differ (n={n})"


@st.composite
def gaussians(draw) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(mean, covariance, points) triples: sizes 1..12, covariances of full, low and nearly low rank."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    out = []
    for n in draw(st.lists(st.integers(1, 12), min_size=12, max_size=12)):
        kind = str(rng.choice(("psd", "singular", "near_singular", "diagonal", "tiny")))
        cov = np.abs(symmetric(rng, n, kind)) if kind == "diagonal" else symmetric(rng, n, kind)
        scale = 10.0 ** rng.uniform(-3, 3)
        points = rng.normal(size=(5, n)) * scale * (rng.uniform(size=(5, n)) < 0.6)  # zeros: sparse points differ
        out.append((rng.normal(size=n) * scale, cov, points))
    return out


@BATCHES
@given(batch=gaussians())
def test_gaussian_constants_and_logpdf_equal_sparks(oracle, batch):
    """rootSigmaInv and rootSigmaInv * mean bit for bit; u and logpdf of dense and sparse points too, unless the
    JVM's Math.log of an eigenvalue differs from the C library's by an ulp (then by one ulp of u at most)."""
    tasks = [f"gaussian {len(m)} {hex_bits(m)} {hex_bits(c.T)} {len(x)} {hex_bits(x)}" for m, c, x in batch]
    for (mean, cov, points), line in zip(batch, oracle.ask(tasks), strict=True):
        n = len(mean)
        want = from_hex(line.split())
        root, u, root_mu, logpdf = (want[:n * n].reshape(n, n, order="F"), want[n * n], want[n * n + 1:n * n + 1 + n],
                                    want[n * n + 1 + n:])
        g = Gaussian(mean, cov)
        note(f"mean={mean.tolist()} cov={cov.tolist()}")
        assert same_bits(g.root_sigma_inv, root)
        assert same_bits(g.root_mu, root_mu)
        sparse = [SparseVector(n, np.flatnonzero(p).tolist(), p[p != 0.0].tolist()) for p in points]
        ours = [g.logpdf(points), np.array([g.logpdf_row(p) for p in points.tolist()]),
                g.logpdf(SparseMatrix.from_rows(sparse, n)), np.array([g.logpdf_row(p) for p in sparse])]
        wants = [logpdf[:len(points)]] * 2 + [logpdf[len(points):]] * 2
        for got, expected in zip(ours, wants, strict=True):
            if g.u == u:
                assert same_bits(got, expected)
            else:
                assert abs(g.u - u) <= np.spacing(abs(u))
                assert np.all(np.abs(got - expected) <= 2 * np.spacing(np.abs(u)))
