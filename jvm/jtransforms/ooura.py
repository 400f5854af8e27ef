"""Ooura's split-radix kernels as JTransforms 3.1 runs them (CommonUtils' cftfsub/cftbsub and their butterflies,
makewt/makect; DoubleDCT_1D's dctsub and rftfsub/rftbsub), on a list of slots, each a float or a NumPy column.

Forward and backward kernels that differ only in signs share one body: a negation (of a read, or of a factor of a
product) is exact, and `a + (-b)` is `a - b` to the bit, so the shared bodies run JTransforms' operations exactly."""

from __future__ import annotations

import functools

from jvm.jtransforms.fastmath import fm_cos, fm_sin


def _makeipt(nw, ip):
    ip[2] = 0
    ip[3] = 16
    m = 2
    ll = nw
    while ll > 32:
        m2 = m << 1
        q = m2 << 3
        j = m
        while j < m2:
            p = ip[j] << 2
            ip[m + j] = p
            ip[m2 + j] = p + q
            j = j + 1
        m = m2
        ll = ll >> 2


def makewt(nw, ip, w):
    ip[0] = nw
    ip[1] = 1
    if nw > 2:
        nwh = nw >> 1
        delta = 0.785398163397448278999490867136046290 / nwh
        delta2 = delta * 2
        wn4r = fm_cos(delta * nwh)
        w[0] = 1
        w[1] = wn4r
        if nwh == 4:
            w[2] = fm_cos(delta2)
            w[3] = fm_sin(delta2)
        elif nwh > 4:
            _makeipt(nw, ip)
            w[2] = 0.5 / fm_cos(delta2)
            w[3] = 0.5 / fm_cos(delta * 6)
            j = 4
            while j < nwh:
                deltaj = delta * j
                deltaj3 = 3 * deltaj
                w[j] = fm_cos(deltaj)
                w[j + 1] = fm_sin(deltaj)
                w[j + 2] = fm_cos(deltaj3)
                w[j + 3] = -fm_sin(deltaj3)
                j = j + 4
        nw0 = 0
        while nwh > 2:
            nw1 = nw0 + nwh
            nwh = nwh >> 1
            w[nw1] = 1
            w[nw1 + 1] = wn4r
            if nwh == 4:
                wk1r = w[nw0 + 4]
                wk1i = w[nw0 + 5]
                w[nw1 + 2] = wk1r
                w[nw1 + 3] = wk1i
            elif nwh > 4:
                wk1r = w[nw0 + 4]
                wk3r = w[nw0 + 6]
                w[nw1 + 2] = 0.5 / wk1r
                w[nw1 + 3] = 0.5 / wk3r
                j = 4
                while j < nwh:
                    idx1 = nw0 + 2 * j
                    idx2 = nw1 + j
                    wk1r = w[idx1]
                    wk1i = w[idx1 + 1]
                    wk3r = w[idx1 + 2]
                    wk3i = w[idx1 + 3]
                    w[idx2] = wk1r
                    w[idx2 + 1] = wk1i
                    w[idx2 + 2] = wk3r
                    w[idx2 + 3] = wk3i
                    j = j + 4
            nw0 = nw1


def makect(nc, c, startc, ip):
    ip[1] = nc
    if nc > 1:
        nch = nc >> 1
        delta = 0.785398163397448278999490867136046290 / nch
        c[startc] = fm_cos(delta * nch)
        c[startc + nch] = 0.5 * c[startc]
        j = 1
        while j < nch:
            deltaj = delta * j
            c[startc + j] = 0.5 * fm_cos(deltaj)
            c[startc + nc - j] = 0.5 * fm_sin(deltaj)
            j = j + 1


def cftsub(n, a, offa, nw, w, backward):
    """Ooura's cftfsub (forward) / cftbsub (backward): the complex FFT of the n/2 complex slots a[offa:offa+n]."""
    if n > 8:
        if n > 32:
            _cft1st(n, a, offa, w, nw - (n >> 2), backward)
            if n > 512:  # from n = 8192 JTransforms runs these same butterflies in two threads, one half each
                _cftrec4(n, a, offa, nw, w)
            elif n > 128:
                _cftleaf(n, 1, a, offa, nw, w)
            else:
                _cftfx41(n, a, offa, nw, w)
            _bit_reverse(a, offa, n, conjugate=backward)
        elif n == 32:
            _cftf161(a, offa, w, nw - 8)
            _bit_reverse(a, offa, 32, mirrored=backward)
        else:
            _cftf081(a, offa, w, 0)
            _bit_reverse(a, offa, 16, mirrored=backward)
    elif n == 8:
        _cft040(a, offa, backward)
    elif n == 4:
        _cftxb020(a, offa)


@functools.cache
def _bit_reversal(complex_slots: int, mirrored: bool) -> tuple[int, ...]:
    bits = complex_slots.bit_length() - 1
    reverse = [int(format(j, f"0{bits}b")[::-1], 2) if bits else 0 for j in range(complex_slots)]
    return tuple(reverse[(complex_slots - j) % complex_slots] if mirrored else reverse[j] for j in range(complex_slots))


def _bit_reverse(a: list, offa: int, n: int, conjugate: bool = False, mirrored: bool = False) -> None:
    """Ooura's bitrv2 (bitrv216, bitrv208), bitrv2conj, bitrv216neg/bitrv208neg: complex slot j of a[offa:offa+n]
    takes complex slot rev(j) (rev(-j mod n/2) when mirrored), imaginary parts negated when conjugate."""
    old = a[offa:offa + n]
    for j, k in enumerate(_bit_reversal(n // 2, mirrored)):
        a[offa + 2 * j] = old[2 * k]
        a[offa + 2 * j + 1] = -old[2 * k + 1] if conjugate else old[2 * k + 1]


def _radix4(a, j0, m, conj=False, twiddles=None, diagonal=None):
    """One radix-4 butterfly (Ooura's cftf1st/cftb1st/cftmdl1/cftf161) over the complex slots j0, j0+m, j0+2m, j0+3m.

    The outputs at j0+2m and j0+3m are multiplied by `twiddles` = (w1r, w1i, w3r, w3i), or by the 45-degree
    factors of a middle butterfly, `diagonal` = (w2, w3) (+-wn4r, wn4r = cos pi/4), or by nothing. `conj` is
    cftb1st: the imaginary parts read at j0 and j0+2m, and the sums of those at j0+m and j0+3m, are negated (each
    a sign flip, so exact)."""
    j1 = j0 + m
    j2 = j1 + m
    j3 = j2 + m
    a0i = a[j0 + 1]
    a2i = a[j2 + 1]
    if conj:
        a0i = -a0i
        a2i = -a2i
    x0r = a[j0] + a[j2]
    x0i = a0i + a2i
    x1r = a[j0] - a[j2]
    x1i = a0i - a2i
    x2r = a[j1] + a[j3]
    x2i = a[j1 + 1] + a[j3 + 1]
    x3r = a[j1] - a[j3]
    x3i = a[j1 + 1] - a[j3 + 1]
    if conj:
        x2i = -x2i
        x3i = -x3i
    a[j0] = x0r + x2r
    a[j0 + 1] = x0i + x2i
    a[j1] = x0r - x2r
    a[j1 + 1] = x0i - x2i
    if twiddles is None and diagonal is None:
        a[j2] = x1r - x3i
        a[j2 + 1] = x1i + x3r
        a[j3] = x1r + x3i
        a[j3 + 1] = x1i - x3r
        return
    x0r = x1r - x3i
    x0i = x1i + x3r
    x2r = x1r + x3i
    x2i = x1i - x3r
    if twiddles is None:
        w2, w3 = diagonal
        a[j2] = w2 * (x0r - x0i)
        a[j2 + 1] = w2 * (x0i + x0r)
        a[j3] = w3 * (x2r + x2i)
        a[j3 + 1] = w3 * (x2i - x2r)
    else:
        w1r, w1i, w3r, w3i = twiddles
        a[j2] = w1r * x0r - w1i * x0i
        a[j2 + 1] = w1r * x0i + w1i * x0r
        a[j3] = w3r * x2r + w3i * x2i
        a[j3 + 1] = w3r * x2i - w3i * x2r


def _cft1st(n, a, offa, w, startw, backward):
    """Ooura's cftf1st (forward) / cftb1st (backward): the first radix-4 pass of a complex FFT of n/2 slots."""
    mh = n >> 3
    m = 2 * mh
    _radix4(a, offa, m, backward)
    wn4r = w[startw + 1]
    csc1 = w[startw + 2]
    csc3 = w[startw + 3]
    wd1r = 1
    wd1i = 0
    wd3r = 1
    wd3i = 0
    k = 0
    j = 2
    while j < mh - 2:
        k = k + 4
        idx4 = startw + k
        wk1r = csc1 * (wd1r + w[idx4])
        wk1i = csc1 * (wd1i + w[idx4 + 1])
        wk3r = csc3 * (wd3r + w[idx4 + 2])
        wk3i = csc3 * (wd3i + w[idx4 + 3])
        wd1r = w[idx4]
        wd1i = w[idx4 + 1]
        wd3r = w[idx4 + 2]
        wd3i = w[idx4 + 3]
        _radix4(a, offa + j, m, backward, (wk1r, wk1i, wk3r, wk3i))
        _radix4(a, offa + j + 2, m, backward, (wd1r, wd1i, wd3r, wd3i))
        _radix4(a, offa + m - j, m, backward, (wk1i, wk1r, wk3i, wk3r))
        _radix4(a, offa + m - j - 2, m, backward, (wd1i, wd1r, wd3i, wd3r))
        j = j + 4
    wk1r = csc1 * (wd1r + wn4r)
    wk1i = csc1 * (wd1i + wn4r)
    wk3r = csc3 * (wd3r - wn4r)
    wk3i = csc3 * (wd3i - wn4r)
    _radix4(a, offa + mh - 2, m, backward, (wk1r, wk1i, wk3r, wk3i))
    _radix4(a, offa + mh, m, backward, diagonal=(wn4r, -wn4r))
    _radix4(a, offa + mh + 2, m, backward, (wk1i, wk1r, wk3i, wk3r))


def _cftrec4(n, a, offa, nw, w):
    m = n
    idx1 = offa + n
    while m > 512:
        m = m >> 2
        _cftmdl1(m, a, idx1 - m, w, nw - (m >> 1))
    _cftleaf(m, 1, a, idx1 - m, nw, w)
    k = 0
    idx2 = offa - m
    j = n - m
    while j > 0:
        k = k + 1
        isplt = _cfttree(m, j, k, a, offa, nw, w)
        _cftleaf(m, isplt, a, idx2 + j, nw, w)
        j = j - m


def _cfttree(n, j, k, a, offa, nw, w):
    idx1 = offa - n
    if (k & 3) != 0:
        isplt = k & 1
        if isplt != 0:
            _cftmdl1(n, a, idx1 + j, w, nw - (n >> 1))
        else:
            _cftmdl2(n, a, idx1 + j, w, nw - n)
    else:
        m = n
        i = k
        while (i & 3) == 0:
            m = m << 2
            i = i >> 2
        isplt = i & 1
        idx2 = offa + j
        if isplt != 0:
            while m > 128:
                _cftmdl1(m, a, idx2 - m, w, nw - (m >> 1))
                m = m >> 2
        else:
            while m > 128:
                _cftmdl2(m, a, idx2 - m, w, nw - m)
                m = m >> 2
    return isplt


def _cftleaf(n, isplt, a, offa, nw, w):
    """Ooura's cftleaf for n = 512 or 256: four cftmdl1/cftmdl2 quarters, each finished by a row of 16-/8-point
    kernels (the kernels touch disjoint slots, so their order within a row does not matter)."""
    m = n >> 2
    big = n == 512
    _cftmdl1(m, a, offa, w, nw - (m >> 1))
    _kernel_row(a, offa, nw, w, big, (1, 2, 1, 1))
    _cftmdl2(m, a, offa + m, w, nw - m)
    _kernel_row(a, offa + m, nw, w, big, (1, 2, 1, 2))
    _cftmdl1(m, a, offa + 2 * m, w, nw - (m >> 1))
    _kernel_row(a, offa + 2 * m, nw, w, big, (1, 2, 1, 1))
    if isplt != 0:
        _cftmdl1(m, a, offa + 3 * m, w, nw - (m >> 1))
    else:
        _cftmdl2(m, a, offa + 3 * m, w, nw - m)
    _kernel_row(a, offa + 3 * m, nw, w, big, (1, 2, 1, 1 if isplt != 0 else 2))


def _cftfx41(n, a, offa, nw, w):
    _kernel_row(a, offa, nw, w, n == 128, (1, 2, 1, 1))


def _kernel_row(a, offa, nw, w, big, kinds):
    """Four consecutive cftf161/cftf162 (big) or cftf081/cftf082 kernels, kind 1 or 2 each."""
    span = 32 if big else 16
    for q, kind in enumerate(kinds):
        if kind == 1:
            (_cftf161 if big else _cftf081)(a, offa + q * span, w, nw - 8)
        else:
            (_cftf162 if big else _cftf082)(a, offa + q * span, w, nw - (32 if big else 8))


def _cftmdl1(n, a, offa, w, startw):
    mh = n >> 3
    m = 2 * mh
    _radix4(a, offa, m)
    k = 0
    j = 2
    while j < mh:
        k = k + 4
        wk1r, wk1i, wk3r, wk3i = w[startw + k:startw + k + 4]
        _radix4(a, offa + j, m, twiddles=(wk1r, wk1i, wk3r, wk3i))
        _radix4(a, offa + m - j, m, twiddles=(wk1i, wk1r, wk3i, wk3r))
        j = j + 2
    _radix4(a, offa + mh, m, diagonal=(w[startw + 1], -w[startw + 1]))


def _mdl2_butterfly(a, j0, m, k1, d1, k3, d3, swap_odd=False):
    """One twiddled butterfly of Ooura's cftmdl2 over the complex slots at j0, j0+m, j0+2m, j0+3m: k1/d1 (w r, w i)
    multiply the sums of slots 0/2 and 1/3, k3/d3 (conjugated) their differences; `swap_odd` writes the last two
    outputs to j0+3m and j0+2m (the middle butterfly)."""
    j1 = j0 + m
    j2 = j1 + m
    j3 = j2 + m
    x0r = a[j0] - a[j2 + 1]
    x0i = a[j0 + 1] + a[j2]
    x1r = a[j0] + a[j2 + 1]
    x1i = a[j0 + 1] - a[j2]
    x2r = a[j1] - a[j3 + 1]
    x2i = a[j1 + 1] + a[j3]
    x3r = a[j1] + a[j3 + 1]
    x3i = a[j1 + 1] - a[j3]
    y0r = k1[0] * x0r - k1[1] * x0i
    y0i = k1[0] * x0i + k1[1] * x0r
    y2r = d1[0] * x2r - d1[1] * x2i
    y2i = d1[0] * x2i + d1[1] * x2r
    a[j0] = y0r + y2r
    a[j0 + 1] = y0i + y2i
    a[j1] = y0r - y2r
    a[j1 + 1] = y0i - y2i
    y0r = k3[0] * x1r + k3[1] * x1i
    y0i = k3[0] * x1i - k3[1] * x1r
    y2r = d3[0] * x3r + d3[1] * x3i
    y2i = d3[0] * x3i - d3[1] * x3r
    if swap_odd:
        j2, j3 = j3, j2
    a[j2] = y0r + y2r
    a[j2 + 1] = y0i + y2i
    a[j3] = y0r - y2r
    a[j3 + 1] = y0i - y2i


def _mdl2_diagonal(a, j0, m, wn4r):
    """The first butterfly of Ooura's cftmdl2 (and of cftf162's columns): slots j0+m and j0+3m turned by 45 degrees."""
    j1 = j0 + m
    j2 = j1 + m
    j3 = j2 + m
    x0r = a[j0] - a[j2 + 1]
    x0i = a[j0 + 1] + a[j2]
    x1r = a[j0] + a[j2 + 1]
    x1i = a[j0 + 1] - a[j2]
    x2r = a[j1] - a[j3 + 1]
    x2i = a[j1 + 1] + a[j3]
    x3r = a[j1] + a[j3 + 1]
    x3i = a[j1 + 1] - a[j3]
    y0r = wn4r * (x2r - x2i)
    y0i = wn4r * (x2i + x2r)
    a[j0] = x0r + y0r
    a[j0 + 1] = x0i + y0i
    a[j1] = x0r - y0r
    a[j1 + 1] = x0i - y0i
    y0r = wn4r * (x3r - x3i)
    y0i = wn4r * (x3i + x3r)
    a[j2] = x1r - y0i
    a[j2 + 1] = x1i + y0r
    a[j3] = x1r + y0i
    a[j3 + 1] = x1i - y0r


def _cftmdl2(n, a, offa, w, startw):
    mh = n >> 3
    m = 2 * mh
    _mdl2_diagonal(a, offa, m, w[startw + 1])
    k = 0
    kr = 2 * m
    j = 2
    while j < mh:
        k = k + 4
        wk1r, wk1i, wk3r, wk3i = w[startw + k:startw + k + 4]
        kr = kr - 4
        wd1i, wd1r, wd3i, wd3r = w[startw + kr:startw + kr + 4]
        _mdl2_butterfly(a, offa + j, m, (wk1r, wk1i), (wd1r, wd1i), (wk3r, wk3i), (wd3r, wd3i))
        _mdl2_butterfly(a, offa + m - j, m, (wd1i, wd1r), (wk1i, wk1r), (wd3i, wd3r), (wk3i, wk3r))
        j = j + 2
    wk1r = w[startw + m]
    wk1i = w[startw + m + 1]
    # y0 = wk1i x1r - wk1r x1i = wk1i x1r + (-wk1r) x1i exactly; likewise y2 with -wk1i
    _mdl2_butterfly(a, offa + mh, m, (wk1r, wk1i), (wk1i, wk1r), (wk1i, -wk1r), (wk1r, -wk1i), swap_odd=True)


def _cftf161(a, offa, w, startw):
    """Ooura's cftf161: a 16-point complex FFT of a[offa:offa+32] (the radix-4 columns in place, then the rows)."""
    wn4r = w[startw + 1]
    wk1r = w[startw + 2]
    wk1i = w[startw + 3]
    # columns: y_q lands in complex slot q; y14 is stored negated (the diagonal's -wn4r) and y15 negated after,
    # so that the last row is the plain butterfly of the first two (a + (-b) is a - b to the bit)
    _radix4(a, offa, 8)
    _radix4(a, offa + 2, 8, twiddles=(wk1r, wk1i, wk1i, -wk1r))
    _radix4(a, offa + 4, 8, diagonal=(wn4r, -wn4r))
    _radix4(a, offa + 6, 8, twiddles=(wk1i, wk1r, wk1r, -wk1i))
    a[offa + 30] = -a[offa + 30]
    a[offa + 31] = -a[offa + 31]
    _radix4(a, offa + 24, 2)
    _radix4(a, offa + 16, 2)
    _diagonal_row(a, offa + 8, wn4r)
    _radix4(a, offa, 2)


def _diagonal_row(a, j, wn4r):
    """The middle row of cftf161/cftf162: complex slots y4..y7 at j, j+2, j+4, j+6, y5/y7 turned by 45 degrees."""
    y4r, y4i, y5r, y5i, y6r, y6i, y7r, y7i = a[j:j + 8]
    x0r = y5r - y7i
    x0i = y5i + y7r
    x2r = wn4r * (x0r - x0i)
    x2i = wn4r * (x0i + x0r)
    x0r = y5r + y7i
    x0i = y5i - y7r
    x3r = wn4r * (x0r - x0i)
    x3i = wn4r * (x0i + x0r)
    x0r = y4r - y6i
    x0i = y4i + y6r
    x1r = y4r + y6i
    x1i = y4i - y6r
    a[j] = x0r + x2r
    a[j + 1] = x0i + x2i
    a[j + 2] = x0r - x2r
    a[j + 3] = x0i - x2i
    a[j + 4] = x1r - x3i
    a[j + 5] = x1i + x3r
    a[j + 6] = x1r + x3i
    a[j + 7] = x1i - x3r


def _cftf162(a, offa, w, startw):
    """Ooura's cftf162: cftmdl2's butterflies down the columns of a[offa:offa+32], then cftf161's rows."""
    wn4r = w[startw + 1]
    wk1r = w[startw + 4]
    wk1i = w[startw + 5]
    wk3r = w[startw + 6]
    wk3i = -w[startw + 7]
    wk2r = w[startw + 8]
    wk2i = w[startw + 9]
    _mdl2_diagonal(a, offa, 8, wn4r)
    _mdl2_butterfly(a, offa + 2, 8, (wk1r, wk1i), (wk3i, wk3r), (wk3r, -wk3i), (wk1r, wk1i), swap_odd=True)
    _mdl2_butterfly(a, offa + 4, 8, (wk2r, wk2i), (wk2i, wk2r), (wk2i, -wk2r), (wk2r, -wk2i), swap_odd=True)
    _mdl2_butterfly(a, offa + 6, 8, (wk3r, wk3i), (wk1i, wk1r), (wk1i, wk1r), (wk3i, -wk3r))
    # y11 and y15 negated (exact), so that their rows are the plain and the 45-degree row: a + (-b) is a - b
    for j in (offa + 22, offa + 23, offa + 30, offa + 31):
        a[j] = -a[j]
    _radix4(a, offa, 2)
    _diagonal_row(a, offa + 8, wn4r)
    _radix4(a, offa + 16, 2)
    _diagonal_row(a, offa + 24, wn4r)


def _cftf081(a, offa, w, startw):
    wn4r = w[startw + 1]
    x0r = a[offa] + a[offa + 8]
    x0i = a[offa + 1] + a[offa + 9]
    x1r = a[offa] - a[offa + 8]
    x1i = a[offa + 1] - a[offa + 9]
    x2r = a[offa + 4] + a[offa + 12]
    x2i = a[offa + 5] + a[offa + 13]
    x3r = a[offa + 4] - a[offa + 12]
    x3i = a[offa + 5] - a[offa + 13]
    y0r = x0r + x2r
    y0i = x0i + x2i
    y2r = x0r - x2r
    y2i = x0i - x2i
    y1r = x1r - x3i
    y1i = x1i + x3r
    y3r = x1r + x3i
    y3i = x1i - x3r
    x0r = a[offa + 2] + a[offa + 10]
    x0i = a[offa + 3] + a[offa + 11]
    x1r = a[offa + 2] - a[offa + 10]
    x1i = a[offa + 3] - a[offa + 11]
    x2r = a[offa + 6] + a[offa + 14]
    x2i = a[offa + 7] + a[offa + 15]
    x3r = a[offa + 6] - a[offa + 14]
    x3i = a[offa + 7] - a[offa + 15]
    y4r = x0r + x2r
    y4i = x0i + x2i
    y6r = x0r - x2r
    y6i = x0i - x2i
    x0r = x1r - x3i
    x0i = x1i + x3r
    x2r = x1r + x3i
    x2i = x1i - x3r
    y5r = wn4r * (x0r - x0i)
    y5i = wn4r * (x0r + x0i)
    y7r = wn4r * (x2r - x2i)
    y7i = wn4r * (x2r + x2i)
    a[offa + 8] = y1r + y5r
    a[offa + 9] = y1i + y5i
    a[offa + 10] = y1r - y5r
    a[offa + 11] = y1i - y5i
    a[offa + 12] = y3r - y7i
    a[offa + 13] = y3i + y7r
    a[offa + 14] = y3r + y7i
    a[offa + 15] = y3i - y7r
    a[offa] = y0r + y4r
    a[offa + 1] = y0i + y4i
    a[offa + 2] = y0r - y4r
    a[offa + 3] = y0i - y4i
    a[offa + 4] = y2r - y6i
    a[offa + 5] = y2i + y6r
    a[offa + 6] = y2r + y6i
    a[offa + 7] = y2i - y6r


def _cftf082(a, offa, w, startw):
    wn4r = w[startw + 1]
    wk1r = w[startw + 2]
    wk1i = w[startw + 3]
    y0r = a[offa] - a[offa + 9]
    y0i = a[offa + 1] + a[offa + 8]
    y1r = a[offa] + a[offa + 9]
    y1i = a[offa + 1] - a[offa + 8]
    x0r = a[offa + 4] - a[offa + 13]
    x0i = a[offa + 5] + a[offa + 12]
    y2r = wn4r * (x0r - x0i)
    y2i = wn4r * (x0i + x0r)
    x0r = a[offa + 4] + a[offa + 13]
    x0i = a[offa + 5] - a[offa + 12]
    y3r = wn4r * (x0r - x0i)
    y3i = wn4r * (x0i + x0r)
    x0r = a[offa + 2] - a[offa + 11]
    x0i = a[offa + 3] + a[offa + 10]
    y4r = wk1r * x0r - wk1i * x0i
    y4i = wk1r * x0i + wk1i * x0r
    x0r = a[offa + 2] + a[offa + 11]
    x0i = a[offa + 3] - a[offa + 10]
    y5r = wk1i * x0r - wk1r * x0i
    y5i = wk1i * x0i + wk1r * x0r
    x0r = a[offa + 6] - a[offa + 15]
    x0i = a[offa + 7] + a[offa + 14]
    y6r = wk1i * x0r - wk1r * x0i
    y6i = wk1i * x0i + wk1r * x0r
    x0r = a[offa + 6] + a[offa + 15]
    x0i = a[offa + 7] - a[offa + 14]
    y7r = wk1r * x0r - wk1i * x0i
    y7i = wk1r * x0i + wk1i * x0r
    x0r = y0r + y2r
    x0i = y0i + y2i
    x1r = y4r + y6r
    x1i = y4i + y6i
    a[offa] = x0r + x1r
    a[offa + 1] = x0i + x1i
    a[offa + 2] = x0r - x1r
    a[offa + 3] = x0i - x1i
    x0r = y0r - y2r
    x0i = y0i - y2i
    x1r = y4r - y6r
    x1i = y4i - y6i
    a[offa + 4] = x0r - x1i
    a[offa + 5] = x0i + x1r
    a[offa + 6] = x0r + x1i
    a[offa + 7] = x0i - x1r
    x0r = y1r - y3i
    x0i = y1i + y3r
    x1r = y5r - y7r
    x1i = y5i - y7i
    a[offa + 8] = x0r + x1r
    a[offa + 9] = x0i + x1i
    a[offa + 10] = x0r - x1r
    a[offa + 11] = x0i - x1i
    x0r = y1r + y3i
    x0i = y1i - y3r
    x1r = y5r + y7r
    x1i = y5i + y7i
    a[offa + 12] = x0r - x1i
    a[offa + 13] = x0i + x1r
    a[offa + 14] = x0r + x1i
    a[offa + 15] = x0i - x1r


def _cft040(a, offa, backward):
    """Ooura's cftf040 / cftb040 (a 4-point complex FFT): backward swaps the outputs of slots 1 and 3."""
    x0r = a[offa] + a[offa + 4]
    x0i = a[offa + 1] + a[offa + 5]
    x1r = a[offa] - a[offa + 4]
    x1i = a[offa + 1] - a[offa + 5]
    x2r = a[offa + 2] + a[offa + 6]
    x2i = a[offa + 3] + a[offa + 7]
    x3r = a[offa + 2] - a[offa + 6]
    x3i = a[offa + 3] - a[offa + 7]
    j1, j3 = (offa + 6, offa + 2) if backward else (offa + 2, offa + 6)
    a[offa] = x0r + x2r
    a[offa + 1] = x0i + x2i
    a[j1] = x1r - x3i
    a[j1 + 1] = x1i + x3r
    a[offa + 4] = x0r - x2r
    a[offa + 5] = x0i - x2i
    a[j3] = x1r + x3i
    a[j3 + 1] = x1i - x3r


def _cftxb020(a, offa):
    x0r = a[offa] - a[offa + 2]
    x0i = a[offa + 1] - a[offa + 3]
    a[offa] = a[offa] + a[offa + 2]
    a[offa + 1] = a[offa + 1] + a[offa + 3]
    a[offa + 2] = x0r
    a[offa + 3] = x0i


def dctsub(n, a, offa, nc, c, startc):
    m = n >> 1
    ks = nc // n
    kk = 0
    j = 1
    while j < m:
        k = n - j
        kk = kk + ks
        idx0 = startc + kk
        idx1 = offa + j
        idx2 = offa + k
        wkr = c[idx0] - c[startc + nc - kk]
        wki = c[idx0] + c[startc + nc - kk]
        xr = wki * a[idx1] - wkr * a[idx2]
        a[idx1] = wkr * a[idx1] + wki * a[idx2]
        a[idx2] = xr
        j = j + 1
    a[offa + m] = a[offa + m] * c[startc]


def scale(n: int, m: float, a: list) -> None:
    """CommonUtils.scale(n, m, a, 0, false): the first n slots times m."""
    for i in range(n):
        a[i] = a[i] * m


def dct_rftsub(n, a, offa, nc, c, startc, backward):
    """DoubleDCT_1D's rftfsub (forward) / rftbsub (backward, the conjugate twiddle: wki negated, which is exact)."""
    m = n >> 1
    ks = 2 * nc // m
    kk = 0
    for j in range(2, m, 2):
        kk = kk + ks
        wkr = 0.5 - c[startc + nc - kk]
        wki = -c[startc + kk] if backward else c[startc + kk]
        idx1 = offa + j
        idx2 = offa + n - j
        xr = a[idx1] - a[idx2]
        xi = a[idx1 + 1] + a[idx2 + 1]
        yr = wkr * xr - wki * xi
        yi = wkr * xi + wki * xr
        a[idx1] = a[idx1] - yr
        a[idx1 + 1] = a[idx1 + 1] - yi
        a[idx2] = a[idx2] + yr
        a[idx2 + 1] = a[idx2 + 1] - yi
