"""LAPACK's `dsyev` exactly as Spark 3.5 runs it: breeze's `eigSym` on the F2J reference LAPACK.

breeze 2.1 `eigSym(X)` copies X's lower triangle and calls `LAPACK.getInstance().dsyev("V", "L", n, a, max(1, n),
w, work, max(1, 3n - 1), info)` (no workspace query). dev.ludovic.netlib 3.0.3 answers with `F2jLAPACK` when no
native LAPACK loads (none here, nor on SageMaker's or Glue's images), i.e. `org.netlib.lapack.Dsyev`: reference
LAPACK 3.1 translated to Java by F2J, on the F2J reference BLAS (plain IEEE double arithmetic, no FMA).

With that workspace dsytrd gets n - 1 words, less than its blocked code needs at any n (n * 32), so it always takes
the unblocked dsytd2, and dorgtr's dorgqr always takes dorg2r: those are the only paths ported, and they are the
paths the JVM runs for every n. dsteqr then diagonalises the tridiagonal matrix with implicit QL/QR and sorts.

Every loop keeps the reference order: products and sums that feed one another run in Fortran's order; only
independent element-wise updates (a plane rotation over all rows, a rank-1 / rank-2 update) are NumPy expressions,
whose element values are the same scalar expressions. Fortran's `x**2` (Java `Math.pow(x, 2.0)`) is x * x.
Pinned bit for bit against the JVM by tests/bundles/test_lapack_against_the_jvm.py.
"""

from __future__ import annotations

import math

import numpy as np

EPS = 2.0 ** -53  # dlamch('E'): F2J's computed relative machine epsilon (rounding mode on)
SAFMIN = 2.0 ** -1022  # dlamch('S')
SAFMN2 = 2.0 ** -484  # dlartg's 2 ** int(log(SAFMIN / EPS) / log(2) / 2)
SAFMX2 = 1.0 / SAFMN2


def dsyev(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(eigenvalues ascending, eigenvectors as the columns of an (n, n) array, info) of the symmetric `a`, from its
    lower triangle, bit for bit as breeze's `eigSym` on the JVM. info > 0: dsteqr did not converge (breeze raises).
    ValueError for an infinite or NaN entry in the lower triangle (no fitted covariance has one)."""
    a = np.tril(np.array(a, dtype=np.float64))
    if not np.isfinite(a).all():
        raise ValueError("the matrix has an infinite or NaN entry: no eigen-decomposition")
    n = a.shape[0]
    if n == 0:
        return np.zeros(0), a, 0
    if n == 1:
        return a[0].copy(), np.ones((1, 1)), 0
    smlnum = SAFMIN / (2.0 * EPS)
    rmin, rmax = math.sqrt(smlnum), math.sqrt(1.0 / smlnum)
    anrm = _max_abs(a[np.tril_indices(n)])
    sigma = 0.0
    if 0.0 < anrm < rmin:
        sigma = rmin / anrm
    elif anrm > rmax:
        sigma = rmax / anrm
    if sigma:
        _scale(a, 1.0, sigma, lower=True)
    d, e, tau = _dsytd2_lower(a)
    _dorgtr_lower(a, tau)
    info = _dsteqr(d, e, a)
    w = np.array(d)
    if sigma:
        last = n if info == 0 else info - 1
        w[:last] = (1.0 / sigma) * w[:last]
    return w, a, info


def _max_abs(values: np.ndarray) -> float:
    """dlansy('M') / dlanst('M'): the largest |x| (NaN if any is NaN, as Java's Math.max)."""
    return float(np.max(np.abs(values))) if values.size else 0.0


def _scale(a: np.ndarray, cfrom: float, cto: float, lower: bool = False) -> None:
    """dlascl: multiply `a` (its lower triangle when `lower`) by cto / cfrom in steps that cannot over/underflow."""
    smlnum, bignum = SAFMIN, 1.0 / SAFMIN
    cfromc, ctoc = cfrom, cto
    region = np.tril(np.ones(a.shape, dtype=bool)) if lower else np.ones(a.shape, dtype=bool)
    while True:
        cfrom1 = cfromc * smlnum
        cto1 = ctoc / bignum
        if abs(cfrom1) > abs(ctoc) and ctoc != 0.0:
            mul, done, cfromc = smlnum, False, cfrom1
        elif abs(cto1) > abs(cfromc):
            mul, done, ctoc = bignum, False, cto1
        else:
            mul, done = ctoc / cfromc, True
        a[region] = a[region] * mul
        if done:
            return


def _sequential_dot(x: np.ndarray, y: np.ndarray) -> float:
    """Reference ddot: sum of x[i] * y[i] from 0.0, left to right (add.accumulate never reassociates)."""
    if x.size == 0:
        return 0.0
    return float(np.add.accumulate(np.concatenate(([0.0], x * y)))[-1])


def _column_dots(c: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Reference dgemv('T', alpha=1, beta=0): per column j, 0.0 + (c[:, j] . v summed from 0.0, top to bottom)."""
    products = np.vstack((np.zeros((1, c.shape[1])), c * v[:, None]))
    return 0.0 + np.add.accumulate(products, axis=0)[-1]


def _dnrm2(x: np.ndarray) -> float:
    """Reference dnrm2 (the scaled sum of squares, before LAPACK 3.10)."""
    if x.size == 0:
        return 0.0
    if x.size == 1:
        return abs(float(x[0]))
    scale, ssq = 0.0, 1.0
    for value in x.tolist():
        if value != 0.0:
            absxi = abs(value)
            if scale < absxi:
                ratio = scale / absxi
                ssq = 1.0 + ssq * (ratio * ratio)
                scale = absxi
            else:
                ratio = absxi / scale
                ssq = ssq + ratio * ratio
    return scale * math.sqrt(ssq)


def _dlapy2(x: float, y: float) -> float:
    w, z = max(abs(x), abs(y)), min(abs(x), abs(y))
    if z == 0.0:
        return w
    ratio = z / w
    return w * math.sqrt(1.0 + ratio * ratio)


def _sign(a: float, b: float) -> float:
    """Fortran SIGN(a, b) as F2J's Util.dsign: |a| when b >= 0 (so also for b = -0.0), else -|a|."""
    return abs(a) if b >= 0.0 else -abs(a)


def _dlarfg(alpha: float, x: np.ndarray) -> tuple[float, float]:
    """Householder reflector H with H (alpha, x) = (beta, 0): returns (beta, tau); x becomes v[1:] in place."""
    if x.size == 0:
        return alpha, 0.0
    xnorm = _dnrm2(x)
    if xnorm == 0.0:
        return alpha, 0.0
    beta = -_sign(_dlapy2(alpha, xnorm), alpha)
    safmin = SAFMIN / EPS
    knt = 0
    if abs(beta) < safmin:
        rsafmn = 1.0 / safmin
        while True:
            knt += 1
            x *= rsafmn
            beta = beta * rsafmn
            alpha = alpha * rsafmn
            if abs(beta) >= safmin:
                break
        xnorm = _dnrm2(x)
        beta = -_sign(_dlapy2(alpha, xnorm), alpha)
    tau = (beta - alpha) / beta
    x *= 1.0 / (alpha - beta)
    for _ in range(knt):
        beta = beta * safmin
    return beta, tau


def _dsymv_lower(alpha: float, a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Reference dsymv('L', beta=0): alpha * A x from A's lower triangle, column by column."""
    n = len(x)
    y = np.zeros(n)
    if alpha == 0.0:
        return y
    for j in range(n):
        temp1 = alpha * x[j]
        y[j] = y[j] + temp1 * a[j, j]
        below = a[j + 1:, j]
        y[j + 1:] = y[j + 1:] + temp1 * below
        y[j] = y[j] + alpha * _sequential_dot(below, x[j + 1:])
    return y


def _dsyr2_lower(alpha: float, x: np.ndarray, y: np.ndarray, a: np.ndarray) -> None:
    """Reference dsyr2('L'): A += alpha x y' + alpha y x' on the lower triangle, in place."""
    if alpha == 0.0:
        return
    for j in range(len(x)):
        if x[j] != 0.0 or y[j] != 0.0:
            temp1, temp2 = alpha * y[j], alpha * x[j]
            a[j:, j] = a[j:, j] + x[j:] * temp1 + y[j:] * temp2


def _dsytd2_lower(a: np.ndarray) -> tuple[list[float], list[float], np.ndarray]:
    """Reduce the lower triangle of `a` to tridiagonal form Q' A Q (unblocked dsytd2 'L'): (d, e, tau); the
    reflectors stay below the subdiagonal of `a`."""
    n = a.shape[0]
    d, e, tau = [0.0] * n, [0.0] * (n - 1), np.zeros(n - 1)
    for i in range(n - 1):
        beta, taui = _dlarfg(float(a[i + 1, i]), a[i + 2:, i])
        a[i + 1, i] = beta
        e[i] = beta
        if taui != 0.0:
            a[i + 1, i] = 1.0
            v = a[i + 1:, i]
            trailing = a[i + 1:, i + 1:]
            w = _dsymv_lower(taui, trailing, v)
            alpha = -0.5 * taui * _sequential_dot(w, v)
            if alpha != 0.0:
                w = w + alpha * v
            _dsyr2_lower(-1.0, v, w, trailing)
            a[i + 1, i] = e[i]
        d[i] = float(a[i, i])
        tau[i] = taui
    d[n - 1] = float(a[n - 1, n - 1])
    return d, e, tau


def _dorgtr_lower(a: np.ndarray, tau: np.ndarray) -> None:
    """Form Q from dsytd2's reflectors in place (dorgtr 'L': shift the vectors, then dorg2r on a[1:, 1:])."""
    n = a.shape[0]
    for j in range(n - 1, 0, -1):
        a[0, j] = 0.0
        a[j + 1:, j] = a[j + 1:, j - 1]
    a[0, 0] = 1.0
    a[1:, 0] = 0.0
    _dorg2r(a[1:, 1:], tau)


def _dorg2r(a: np.ndarray, tau: np.ndarray) -> None:
    """Reference dorg2r with m = n = k: Q = H(1) ... H(k) from the reflectors below the diagonal, in place."""
    m = n = k = a.shape[0]
    for i in range(k - 1, -1, -1):
        if i < n - 1:
            a[i, i] = 1.0
            _dlarf_left(a[i:, i], float(tau[i]), a[i:, i + 1:])
        if i < m - 1:
            a[i + 1:, i] = -tau[i] * a[i + 1:, i]
        a[i, i] = 1.0 - tau[i]
        a[:i, i] = 0.0


def _dlarf_left(v: np.ndarray, tau: float, c: np.ndarray) -> None:
    """Reference dlarf('L') of LAPACK 3.1 (no trailing-zero scan): C := (I - tau v v') C, in place."""
    if tau == 0.0:
        return
    w = _column_dots(c, v)  # dgemv('T'): w = C' v
    nonzero = w != 0.0  # dger skips a column whose w is zero
    if nonzero.any():
        temp = -tau * w[nonzero]
        c[:, nonzero] = c[:, nonzero] + v[:, None] * temp[None, :]


def _dlaev2(a: float, b: float, c: float) -> tuple[float, float, float, float]:
    """Eigen-decomposition of [[a, b], [b, c]]: (rt1, rt2, cs1, sn1), |rt1| >= |rt2|."""
    sm, df = a + c, a - c
    adf, tb = abs(df), b + b
    ab = abs(tb)
    acmx, acmn = (a, c) if abs(a) > abs(c) else (c, a)
    if adf > ab:
        ratio = ab / adf
        rt = adf * math.sqrt(1.0 + ratio * ratio)
    elif adf < ab:
        ratio = adf / ab
        rt = ab * math.sqrt(1.0 + ratio * ratio)
    else:
        rt = ab * math.sqrt(2.0)
    if sm < 0.0:
        rt1, sgn1 = 0.5 * (sm - rt), -1
        rt2 = (acmx / rt1) * acmn - (b / rt1) * b
    elif sm > 0.0:
        rt1, sgn1 = 0.5 * (sm + rt), 1
        rt2 = (acmx / rt1) * acmn - (b / rt1) * b
    else:
        rt1, rt2, sgn1 = 0.5 * rt, -0.5 * rt, 1
    if df >= 0.0:
        cs, sgn2 = df + rt, 1
    else:
        cs, sgn2 = df - rt, -1
    if abs(cs) > ab:
        ct = -tb / cs
        sn1 = 1.0 / math.sqrt(1.0 + ct * ct)
        cs1 = ct * sn1
    elif ab == 0.0:
        cs1, sn1 = 1.0, 0.0
    else:
        tn = -cs / tb
        cs1 = 1.0 / math.sqrt(1.0 + tn * tn)
        sn1 = tn * cs1
    if sgn1 == sgn2:
        cs1, sn1 = -sn1, cs1
    return rt1, rt2, cs1, sn1


def _dlartg(f: float, g: float) -> tuple[float, float, float]:
    """Plane rotation (cs, sn, r) with [cs sn; -sn cs] (f, g) = (r, 0): LAPACK 3.1's dlartg (before 3.10)."""
    if g == 0.0:
        return 1.0, 0.0, f
    if f == 0.0:
        return 0.0, 1.0, g
    f1, g1 = f, g
    scale = max(abs(f1), abs(g1))
    count = 0
    if scale >= SAFMX2:
        while scale >= SAFMX2:
            count += 1
            f1, g1 = f1 * SAFMN2, g1 * SAFMN2
            scale = max(abs(f1), abs(g1))
        step = SAFMX2
    elif scale <= SAFMN2:
        while scale <= SAFMN2:
            count += 1
            f1, g1 = f1 * SAFMX2, g1 * SAFMX2
            scale = max(abs(f1), abs(g1))
        step = SAFMN2
    r = math.sqrt(f1 * f1 + g1 * g1)
    cs, sn = f1 / r, g1 / r
    for _ in range(count):
        r = r * step
    if abs(f) > abs(g) and cs < 0.0:
        cs, sn, r = -cs, -sn, -r
    return cs, sn, r


def _rotate_columns(z: np.ndarray, first: int, c: list[float], s: list[float], forward: bool) -> None:
    """dlasr('R', 'V', 'F' | 'B') on columns first .. first + len(c) of z: plane j acts on columns j, j + 1."""
    order = range(len(c)) if forward else range(len(c) - 1, -1, -1)
    for j in order:
        ct, st = c[j], s[j]
        if ct != 1.0 or st != 0.0:
            left, right = z[:, first + j].copy(), z[:, first + j + 1].copy()
            z[:, first + j + 1] = ct * right - st * left
            z[:, first + j] = st * right + ct * left


def _dsteqr(d: list[float], e: list[float], z: np.ndarray) -> int:
    """Reference dsteqr('V'): eigenvalues of the tridiagonal (d, e) into d (ascending), Z := Z * eigenvectors.

    A line-by-line port (1-based indices below, as the Fortran) of the implicit QL / QR sweeps; returns INFO."""
    n = len(d)
    d = _OneBased(d)
    e = _OneBased(e + [0.0])
    eps2 = EPS * EPS
    safmax = 1.0 / SAFMIN
    ssfmax = math.sqrt(safmax) / 3.0
    ssfmin = math.sqrt(SAFMIN) / eps2
    nmaxit = n * 30
    jtot = 0
    l1 = 1
    nm1 = n - 1
    while True:  # label 10
        if l1 > n:
            break
        if l1 > 1:
            e[l1 - 1] = 0.0
        m = n
        if l1 <= nm1:
            for mm in range(l1, nm1 + 1):
                tst = abs(e[mm])
                if tst == 0.0:
                    m = mm
                    break
                if tst <= (math.sqrt(abs(d[mm])) * math.sqrt(abs(d[mm + 1]))) * EPS:
                    e[mm] = 0.0
                    m = mm
                    break
        l = l1  # noqa: E741 (the Fortran's name)
        lsv = l
        lend = m
        lendsv = lend
        l1 = m + 1
        if lend == l:
            continue
        anorm = _dlanst_max(d, e, l, lend)
        iscale = 0
        if anorm == 0.0:
            continue
        if anorm > ssfmax:
            iscale = 1
            _scale_range(d, e, l, lend, anorm, ssfmax)
        elif anorm < ssfmin:
            iscale = 2
            _scale_range(d, e, l, lend, anorm, ssfmin)
        if abs(d[lend]) < abs(d[l]):
            lend, l = lsv, lendsv  # noqa: E741
        if lend > l:
            jtot = _ql_sweeps(d, e, z, l, lend, jtot, nmaxit)
        else:
            jtot = _qr_sweeps(d, e, z, l, lend, jtot, nmaxit)
        if iscale == 1:
            _scale_range(d, e, lsv, lendsv, ssfmax, anorm)
        elif iscale == 2:
            _scale_range(d, e, lsv, lendsv, ssfmin, anorm)
        if jtot >= nmaxit:  # no convergence: INFO counts the off-diagonal elements left, nothing is sorted
            return sum(1 for i in range(1, n) if e[i] != 0.0)
    for i in range(1, n):  # selection sort, swapping the eigenvector columns along
        k, p = i, d[i]
        for j in range(i + 1, n + 1):
            if d[j] < p:
                k, p = j, d[j]
        if k != i:
            d[k] = d[i]
            d[i] = p
            z[:, [i - 1, k - 1]] = z[:, [k - 1, i - 1]]
    return 0


class _OneBased:
    """A list indexed from 1, as the Fortran it mirrors."""

    def __init__(self, values: list[float]):
        self.data = values

    def __getitem__(self, i: int) -> float:
        return self.data[i - 1]

    def __setitem__(self, i: int, value: float) -> None:
        self.data[i - 1] = value


def _dlanst_max(d: _OneBased, e: _OneBased, l: int, lend: int) -> float:  # noqa: E741
    """dlanst('I', lend - l + 1 > 1, d(l), e(l)): the largest absolute row sum of the tridiagonal block."""
    anorm = max(abs(d[l]) + abs(e[l]), abs(e[lend - 1]) + abs(d[lend]))
    for i in range(l + 1, lend):
        anorm = max(anorm, abs(d[i]) + abs(e[i]) + abs(e[i - 1]))
    return anorm


def _scale_range(d: _OneBased, e: _OneBased, lo: int, hi: int, cfrom: float, cto: float) -> None:
    """dlascl('G') of d(lo..hi) and e(lo..hi-1) by cto / cfrom."""
    block_d = np.array([d[i] for i in range(lo, hi + 1)])
    block_e = np.array([e[i] for i in range(lo, hi)])
    _scale(block_d, cfrom, cto)
    _scale(block_e, cfrom, cto)
    for offset, value in enumerate(block_d.tolist()):
        d[lo + offset] = value
    for offset, value in enumerate(block_e.tolist()):
        e[lo + offset] = value


def _negligible(off: float, near: float, far: float) -> bool:
    """dsteqr's test for an off-diagonal element small enough to split the matrix: |off|**2 <= eps**2 |near| |far|
    + safmin, in the Fortran's order."""
    return abs(off) * abs(off) <= (EPS * EPS * abs(near)) * abs(far) + SAFMIN


def _ql_sweeps(d: _OneBased, e: _OneBased, z: np.ndarray, l: int, lend: int, jtot: int,  # noqa: E741
               nmaxit: int) -> int:
    """dsteqr's QL iteration (labels 40-80): look for a small subdiagonal element from the top."""
    while True:  # label 40
        m = next((mm for mm in range(l, lend) if _negligible(e[mm], d[mm], d[mm + 1])), lend)
        if m < lend:
            e[m] = 0.0
        p = d[l]
        if m == l:  # label 80: an eigenvalue found
            d[l] = p
            l += 1  # noqa: E741
            if l <= lend:
                continue
            return jtot
        if m == l + 1:
            rt1, rt2, c, s = _dlaev2(d[l], e[l], d[l + 1])
            _rotate_columns(z, l - 1, [c], [s], forward=False)
            d[l] = rt1
            d[l + 1] = rt2
            e[l] = 0.0
            l += 2  # noqa: E741
            if l <= lend:
                continue
            return jtot
        if jtot == nmaxit:
            return jtot
        jtot += 1
        g = (d[l + 1] - p) / (2.0 * e[l])
        r = _dlapy2(g, 1.0)
        g = d[m] - p + (e[l] / (g + _sign(r, g)))
        s, c, p = 1.0, 1.0, 0.0
        cs, sn = [0.0] * (m - l), [0.0] * (m - l)
        for i in range(m - 1, l - 1, -1):
            f = s * e[i]
            b = c * e[i]
            c, s, r = _dlartg(g, f)
            if i != m - 1:
                e[i + 1] = r
            g = d[i + 1] - p
            r = (d[i] - g) * s + 2.0 * c * b
            p = s * r
            d[i + 1] = g + p
            g = c * r - b
            cs[i - l], sn[i - l] = c, -s
        _rotate_columns(z, l - 1, cs, sn, forward=False)
        d[l] = d[l] - p
        e[l] = g


def _qr_sweeps(d: _OneBased, e: _OneBased, z: np.ndarray, l: int, lend: int, jtot: int,  # noqa: E741
               nmaxit: int) -> int:
    """dsteqr's QR iteration (labels 90-130): look for a small superdiagonal element from the bottom."""
    while True:  # label 90
        m = next((mm for mm in range(l, lend, -1) if _negligible(e[mm - 1], d[mm], d[mm - 1])), lend)
        if m > lend:
            e[m - 1] = 0.0
        p = d[l]
        if m == l:  # label 130
            d[l] = p
            l -= 1  # noqa: E741
            if l >= lend:
                continue
            return jtot
        if m == l - 1:
            rt1, rt2, c, s = _dlaev2(d[l - 1], e[l - 1], d[l])
            _rotate_columns(z, m - 1, [c], [s], forward=True)
            d[l - 1] = rt1
            d[l] = rt2
            e[l - 1] = 0.0
            l -= 2  # noqa: E741
            if l >= lend:
                continue
            return jtot
        if jtot == nmaxit:
            return jtot
        jtot += 1
        g = (d[l - 1] - p) / (2.0 * e[l - 1])
        r = _dlapy2(g, 1.0)
        g = d[m] - p + (e[l - 1] / (g + _sign(r, g)))
        s, c, p = 1.0, 1.0, 0.0
        cs, sn = [0.0] * (l - m), [0.0] * (l - m)
        for i in range(m, l):
            f = s * e[i]
            b = c * e[i]
            c, s, r = _dlartg(g, f)
            if i != m:
                e[i - 1] = r
            g = d[i] - p
            r = (d[i + 1] - g) * s + 2.0 * c * b
            p = s * r
            d[i] = g + p
            g = c * r - b
            cs[i - m], sn[i - m] = c, s
        _rotate_columns(z, m - 1, cs, sn, forward=True)
        d[l] = d[l] - p
        e[l - 1] = g
