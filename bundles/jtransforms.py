"""JTransforms 3.1's `DoubleDCT_1D` (what Spark's `DCT` runs), ported operation for operation so that every
output is bit-identical to the JVM's.

`DCTPlan(n).forward(a)` / `.inverse(a)` are `forward(a, true)` / `inverse(a, true)`: `a` is a list of n slots,
each a float (one row) or a float64 NumPy array (one value per row, many rows at once); the plan runs the same
IEEE operations, in the same order, on either (NumPy's elementwise ops round exactly as Java's doubles do).
Sizes that are powers of two run Ooura's split-radix DCT (`_dctsub`, `rftbsub`/`rftfsub`, `_cftbsub`/`_cftfsub`);
other sizes run a real FFT of length 2n (FFTPACK's mixed radix when the part of 2n left after dividing out
4, 2, 3 and 5 is below 211, Bluestein over a power-of-two complex FFT otherwise). Twiddle tables use Commons
Math 3.6.1's `FastMath.cos/sin` (JTransforms imports them statically), ported below: they differ from a
correctly rounded cosine in about 0.3% of the angles used.

JTransforms' 2-thread branches (n >= 8192) split the same elementwise loops and butterflies in halves, so the
arithmetic does not depend on the thread count. The kernels below keep JTransforms' names and loop structure
(mechanically translated from its Java sources) so that they can be read side by side with it.
"""

from __future__ import annotations

import functools
import math

PI = 3.14159265358979311599796346854418516
TWO_PI = 6.28318530717958623199592693708837032


# ---- Commons Math 3.6.1 FastMath.sin/cos (JTransforms' `import static ...FastMath.*`), for |x| <= 3294198 ----

_EIGHTHS = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5, 1.625]
_SINE_A = [+0.0, +0.1246747374534607, +0.24740394949913025, +0.366272509098053, +0.4794255495071411,
           +0.5850973129272461, +0.6816387176513672, +0.7675435543060303, +0.8414709568023682,
           +0.902267575263977, +0.9489846229553223, +0.9808930158615112, +0.9974949359893799,
           +0.9985313415527344]
_SINE_B = [+0.0, -4.068233003401932E-9, +9.755392680573412E-9, +1.9987994582857286E-8, -1.0902938113007961E-8,
           -3.9986783938944604E-8, +4.23719669792332E-8, -5.207000323380292E-8, +2.800552834259E-8,
           +1.883511811213715E-8, -3.5997360512765566E-9, +4.116164446561962E-8, +5.0614674548127384E-8,
           -1.0129027912496858E-9]
_COSINE_A = [+1.0, +0.9921976327896118, +0.9689123630523682, +0.9305076599121094, +0.8775825500488281,
             +0.8109631538391113, +0.7316888570785522, +0.6409968137741089, +0.5403022766113281,
             +0.4311765432357788, +0.3153223395347595, +0.19454771280288696, +0.07073719799518585,
             -0.05417713522911072]
_COSINE_B = [+0.0, +3.4439717236742845E-8, +5.865827662008209E-8, -3.7999795083850525E-8, +1.184154459111628E-8,
             -3.43338934259355E-8, +1.1795268640216787E-8, +4.438921624363781E-8, +2.925681159240093E-8,
             -2.6437112632041807E-8, +2.2860509143963117E-8, -4.813899778443457E-9, +3.6725170580355583E-9,
             +2.0217439756338078E-10]
_HEX_40000000 = 1073741824.0


def _poly_sine(x: float) -> float:
    x2 = x * x
    p = 2.7553817452272217E-6
    p = p * x2 + -1.9841269659586505E-4
    p = p * x2 + 0.008333333333329196
    p = p * x2 + -0.16666666666666666
    return p * x2 * x


def _poly_cosine(x: float) -> float:
    x2 = x * x
    p = 2.479773539153719E-5
    p = p * x2 + -0.0013888888689039883
    p = p * x2 + 0.041666666666621166
    p = p * x2 + -0.49999999999999994
    return p * x2


def _sin_q(xa: float, xb: float) -> float:
    """sin(xa + xb) on the first quadrant (FastMath.sinQ)."""
    idx = int((xa * 8.0) + 0.5)
    epsilon = xa - _EIGHTHS[idx]
    sinta, sintb, costa, costb = _SINE_A[idx], _SINE_B[idx], _COSINE_A[idx], _COSINE_B[idx]
    sin_eps_a = epsilon
    sin_eps_b = _poly_sine(epsilon)
    cos_eps_a = 1.0
    cos_eps_b = _poly_cosine(epsilon)
    temp = sin_eps_a * _HEX_40000000
    temp2 = (sin_eps_a + temp) - temp
    sin_eps_b = sin_eps_b + (sin_eps_a - temp2)
    sin_eps_a = temp2
    a = 0.0
    b = 0.0
    t = sinta
    c = a + t
    d = -(c - a - t)
    a = c
    b = b + d
    t = costa * sin_eps_a
    c = a + t
    d = -(c - a - t)
    a = c
    b = b + d
    b = b + sinta * cos_eps_b + costa * sin_eps_b
    b = b + sintb + costb * sin_eps_a + sintb * cos_eps_b + costb * sin_eps_b
    if xb != 0.0:
        t = ((costa + costb) * (cos_eps_a + cos_eps_b) - (sinta + sintb) * (sin_eps_a + sin_eps_b)) * xb
        c = a + t
        d = -(c - a - t)
        a = c
        b = b + d
    return a + b


def _cos_q(xa: float, xb: float) -> float:
    pi2a = 1.5707963267948966
    pi2b = 6.123233995736766E-17
    a = pi2a - xa
    b = -(a - pi2a + xa)
    b = b + (pi2b - xb)
    return _sin_q(a, b)


def _reduce(xa: float) -> tuple[int, float, float]:
    """(quadrant, remainder high, remainder low) of xa >= 0 (FastMath's Cody-Waite reduction)."""
    if xa > 3294198.0:
        raise ValueError(f"angle {xa} needs Payne-Hanek reduction (not ported: JTransforms never uses one)")
    if xa <= 1.5707963267948966:
        return 0, xa, 0.0
    k = int(xa * 0.6366197723675814)
    while True:
        a = -k * 1.570796251296997
        rem_a = xa + a
        rem_b = -(rem_a - xa - a)
        a = -k * 7.549789948768648E-8
        b = rem_a
        rem_a = a + b
        rem_b = rem_b + -(rem_a - b - a)
        a = -k * 6.123233995736766E-17
        b = rem_a
        rem_a = a + b
        rem_b = rem_b + -(rem_a - b - a)
        if rem_a > 0:
            return k & 3, rem_a, rem_b
        k -= 1


def fm_sin(x: float) -> float:
    """FastMath.sin(x), bit for bit (finite x, |x| <= 3294198)."""
    xa = -x if x < 0 else x
    if xa == 0.0:
        return x
    quadrant, xa, xb = _reduce(xa)
    if x < 0:
        quadrant ^= 2
    if quadrant == 0:
        return _sin_q(xa, xb)
    if quadrant == 1:
        return _cos_q(xa, xb)
    if quadrant == 2:
        return -_sin_q(xa, xb)
    return -_cos_q(xa, xb)


def fm_cos(x: float) -> float:
    """FastMath.cos(x), bit for bit (finite x, |x| <= 3294198)."""
    quadrant, xa, xb = _reduce(-x if x < 0 else x)
    if quadrant == 0:
        return _cos_q(xa, xb)
    if quadrant == 1:
        return -_sin_q(xa, xb)
    if quadrant == 2:
        return -_cos_q(xa, xb)
    return _sin_q(xa, xb)


# ---- Ooura's split-radix kernels (JTransforms CommonUtils, DoubleDCT_1D.rftfsub/rftbsub) ----

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


def _makewt(nw, ip, w):
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


def _makect(nc, c, startc, ip):
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


def _cftsub(n, a, offa, nw, w, backward):
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


def _dctsub(n, a, offa, nc, c, startc):
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


def _scale(n: int, m: float, a: list) -> None:
    """CommonUtils.scale(n, m, a, 0, false): the first n slots times m."""
    for i in range(n):
        a[i] = a[i] * m


def _dct_rftsub(n, a, offa, nc, c, startc, backward):
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


# ---- plans ----

_FACTORS = (4, 2, 3, 5)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def _remainder(n: int) -> int:
    """CommonUtils.getReminder(n, {4, 2, 3, 5}): n with those factors divided out."""
    for factor in _FACTORS:
        if n == 1:
            break
        while n % factor == 0:
            n //= factor
    return n


def _factorize(n: int) -> list[int]:
    """FFTPACK's factors of n > 1 in JTransforms' order: 4s, then 2s (one 2 moved to the front), 3, 5, 7, 9, ..."""
    found: list[int] = []
    j, trial = 0, 0
    while True:
        j += 1
        trial = _FACTORS[j - 1] if j <= 4 else trial + 2
        while n % trial == 0:
            found.insert(0, 2) if trial == 2 and found else found.append(trial)
            n //= trial
            if n == 1:
                return found


def _rotate_pass(ip, idl1, dcp, dsp, src, src_off, dst, dst_off):
    """radfg/radbg's middle step: dst row l (and ip - l) = sum over rows j of src times cos/sin(2 pi l j / ip),
    the angles advanced by FFTPACK's recurrences, the terms added in JTransforms' order."""
    ipph = (ip + 1) // 2
    ar1 = 1
    ai1 = 0
    idx0 = (ip - 1) * idl1
    for ll in range(1, ipph):
        ar1h = dcp * ar1 - dsp * ai1
        ai1 = dcp * ai1 + dsp * ar1
        ar1 = ar1h
        idx1 = ll * idl1
        idx2 = (ip - ll) * idl1
        for ik in range(idl1):
            dst[dst_off + ik + idx1] = src[src_off + ik] + ar1 * src[src_off + ik + idl1]
            dst[dst_off + ik + idx2] = ai1 * src[src_off + ik + idx0]
        dc2 = ar1
        ds2 = ai1
        ar2 = ar1
        ai2 = ai1
        for j in range(2, ipph):
            ar2h = dc2 * ar2 - ds2 * ai2
            ai2 = dc2 * ai2 + ds2 * ar2
            ar2 = ar2h
            idx3 = j * idl1
            idx4 = (ip - j) * idl1
            for ik in range(idl1):
                d = dst_off + ik
                dst[d + idx1] = dst[d + idx1] + (ar2 * src[src_off + ik + idx3])
                dst[d + idx2] = dst[d + idx2] + (ai2 * src[src_off + ik + idx4])


def _sum_pass(ip, idl1, dst, dst_off, src, src_off):
    """dst[0:idl1] += src rows 1 .. (ip - 1) / 2, row by row (radfg's and radbg's DC row)."""
    for j in range(1, (ip + 1) // 2):
        for ik in range(idl1):
            dst[dst_off + ik] = dst[dst_off + ik] + src[src_off + ik + j * idl1]


class _RealFFT:
    """DoubleFFT_1D(n), n even and not a power of two (the DCT runs it at 2n): `realForward`, `realInverse(a, true)`."""

    def __init__(self, n: int):
        self.n = n
        if _remainder(n) >= 211:
            self.bluestein = True
            self.nBluestein = 1 << (2 * n - 2).bit_length()  # CommonUtils.nextPow2(2n - 1)
            self.bk1 = [0.0] * (2 * self.nBluestein)
            self.bk2 = [0.0] * (2 * self.nBluestein)
            self.ip = [0] * (self.nBluestein + 4)
            self.w = [0.0] * self.nBluestein
            self.nw = self.nBluestein >> 1
            _makewt(self.nw, self.ip, self.w)
            self.nc = self.nBluestein >> 2
            _makect(self.nc, self.w, self.nw, self.ip)
            self._bluesteini()
        else:
            self.bluestein = False
            self.wtable_r = [0.0] * (2 * n + 15)
            self._rffti()

    def real_forward(self, a: list) -> None:
        if self.bluestein:
            self._bluestein_real_forward(a, 0)
            return
        self._rfftf(a, 0)
        a[1:] = a[-1:] + a[1:-1]  # JTransforms' pairwise swaps: the last slot moves to slot 1

    def real_inverse_scaled(self, a: list) -> None:
        if self.bluestein:
            self._bluestein_real_inverse(a, 0)
        else:
            a[1:] = a[2:] + a[1:2]  # the inverse of the swaps above
            self._rfftb(a, 0)
        _scale(self.n, 1.0 / self.n, a)

    def _rffti(self) -> None:
        """FFTPACK's factors and twiddles into wtable_r (DoubleFFT_1D.rffti)."""
        n, wt = self.n, self.wtable_r
        twon = 2 * n
        factors = _factorize(n)
        wt[twon] = n
        wt[twon + 1] = len(factors)
        wt[twon + 2:twon + 2 + len(factors)] = factors
        argh = TWO_PI / float(n)
        is_, l1 = 0, 1
        for ipll in factors[:-1]:
            ld = 0
            l2 = l1 * ipll
            ido = n // l2
            for _ in range(ipll - 1):
                ld += l1
                i = is_
                argld = float(ld) * argh
                fi = 0.0
                for _ in range(3, ido + 1, 2):
                    i += 2
                    fi += 1
                    arg = fi * argld
                    wt[i + n - 2] = fm_cos(arg)
                    wt[i + n - 1] = fm_sin(arg)
                is_ += ido
            l1 = l2

    def _rfftf(self, a, offa):
        """FFTPACK's rfftf: the factors' forward passes, largest stride first, ping-ponging between a and ch."""
        if self.n == 1:
            return
        ch = [0.0] * (self.n)
        twon = 2 * self.n
        nf = int(self.wtable_r[1 + twon])
        passes = self._FORWARD_PASSES
        na = 1
        l2 = self.n
        iw = twon - 1
        for k1 in range(1, nf + 1):
            ipll = int(self.wtable_r[nf - k1 + 2 + twon])
            l1 = l2 // ipll
            ido = self.n // l2
            iw = iw - ((ipll - 1) * ido)
            na = 1 - na
            if ipll not in passes and ido == 1:
                na = 1 - na
            arrays = (a, offa, ch, 0) if na == 0 else (ch, 0, a, offa)
            if ipll in passes:
                passes[ipll](self, ido, l1, *arrays, iw)
            else:
                self._radfg(ido, ipll, l1, ido * l1, *arrays, iw)
                na = 1 - na
            l2 = l1
        if na == 0:
            a[offa:offa + self.n] = ch[0:self.n]

    def _rfftb(self, a, offa):
        """FFTPACK's rfftb: the factors' backward passes, smallest stride first, ping-ponging between a and ch."""
        if self.n == 1:
            return
        ch = [0.0] * (self.n)
        twon = 2 * self.n
        nf = int(self.wtable_r[1 + twon])
        passes = self._BACKWARD_PASSES
        na = 0
        l1 = 1
        iw = self.n
        for k1 in range(1, nf + 1):
            ipll = int(self.wtable_r[k1 + 1 + twon])
            l2 = ipll * l1
            ido = self.n // l2
            arrays = (a, offa, ch, 0) if na == 0 else (ch, 0, a, offa)
            if ipll in passes:
                passes[ipll](self, ido, l1, *arrays, iw)
                na = 1 - na
            else:
                self._radbg(ido, ipll, l1, ido * l1, *arrays, iw)
                if ido == 1:
                    na = 1 - na
            l1 = l2
            iw = iw + ((ipll - 1) * ido)
        if na == 1:
            a[offa:offa + self.n] = ch[0:self.n]

    def _radf2(self, ido, l1, in_, in_off, out, out_off, offset):
        idx0 = l1 * ido
        ido2 = 2 * ido
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 2 * k * ido
            i1r = in_[p]
            i2r = in_[p + idx0]
            out[o] = i1r + i2r
            out[o + ido2 - 1] = i1r - i2r
        if ido < 2:
            return
        wt = self.wtable_r
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 2 * k * ido
            for i in range(2, ido, 2):
                w1r, w1i = wt[offset + i - 2], wt[offset + i - 1]
                a1i, a1r = in_[p + i - 1], in_[p + i]
                a2i, a2r = in_[p + i + idx0 - 1], in_[p + i + idx0]
                t1r = w1r * a2i + w1i * a2r
                t1i = w1r * a2r - w1i * a2i
                oidx1 = o + i
                oidx2 = o + ido2 - i
                out[oidx1] = a1r + t1i
                out[oidx1 - 1] = a1i + t1r
                out[oidx2] = t1i - a1r
                out[oidx2 - 1] = a1i - t1r
        if ido % 2 == 1:
            return
        for k in range(l1):
            p = in_off + ido - 1 + k * ido
            o = out_off + 2 * k * ido + ido
            out[o] = -in_[p + idx0]
            out[o - 1] = in_[p]

    def _radb2(self, ido, l1, in_, in_off, out, out_off, offset):
        idx0 = l1 * ido
        ido2 = 2 * ido
        for k in range(l1):
            p = in_off + 2 * k * ido
            o = out_off + k * ido
            i1r = in_[p]
            i2r = in_[p + ido2 - 1]
            out[o] = i1r + i2r
            out[o + idx0] = i1r - i2r
        if ido < 2:
            return
        wt = self.wtable_r
        for k in range(l1):
            p = in_off + 2 * k * ido
            o = out_off + k * ido
            for i in range(2, ido, 2):
                w1r, w1i = wt[offset + i - 2], wt[offset + i - 1]
                iidx1 = p + i
                iidx2 = p + ido2 - i
                t1r = in_[iidx1 - 1] - in_[iidx2 - 1]
                t1i = in_[iidx1] + in_[iidx2]
                i1i, i1r = in_[iidx1], in_[iidx1 - 1]
                i2i, i2r = in_[iidx2], in_[iidx2 - 1]
                out[o + i - 1] = i1r + i2r
                out[o + i] = i1i - i2i
                out[o + i + idx0 - 1] = w1r * t1r - w1i * t1i
                out[o + i + idx0] = w1r * t1i + w1i * t1r
        if ido % 2 == 1:
            return
        for k in range(l1):
            p = in_off + 2 * k * ido + ido
            o = out_off + ido - 1 + k * ido
            out[o] = 2 * in_[p - 1]
            out[o + idx0] = -2 * in_[p]

    def _radf3(self, ido, l1, in_, in_off, out, out_off, offset):
        taur = -0.5
        taui = 0.866025403784438707610604524234076962
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 3 * k * ido
            i1r, i2r, i3r = in_[p], in_[p + idx0], in_[p + idx02]
            cr2 = i2r + i3r
            out[o] = i1r + cr2
            out[o + ido2] = taui * (i3r - i2r)
            out[o + ido2 - 1] = i1r + taur * cr2
        if ido == 1:
            return
        wt = self.wtable_r
        for k in range(l1):
            o = out_off + 3 * k * ido
            for i in range(2, ido, 2):
                w1r, w2r = wt[offset + i - 2], wt[offset + i - 2 + ido]
                w1i, w2i = wt[offset + i - 1], wt[offset + i - 1 + ido]
                p = in_off + i + k * ido
                i1i, i1r = in_[p - 1], in_[p]
                i2i, i2r = in_[p + idx0 - 1], in_[p + idx0]
                i3i, i3r = in_[p + idx02 - 1], in_[p + idx02]
                dr2 = w1r * i2i + w1i * i2r
                di2 = w1r * i2r - w1i * i2i
                dr3 = w2r * i3i + w2i * i3r
                di3 = w2r * i3r - w2i * i3i
                cr2 = dr2 + dr3
                ci2 = di2 + di3
                tr2 = i1i + taur * cr2
                ti2 = i1r + taur * ci2
                tr3 = taui * (di2 - di3)
                ti3 = taui * (dr3 - dr2)
                oidx1 = o + i
                oidx2 = o + ido2 - i
                oidx3 = o + ido2 + i
                out[oidx1 - 1] = i1i + cr2
                out[oidx1] = i1r + ci2
                out[oidx2 - 1] = tr2 - tr3
                out[oidx2] = ti3 - ti2
                out[oidx3 - 1] = tr2 + tr3
                out[oidx3] = ti2 + ti3

    def _radb3(self, ido, l1, in_, in_off, out, out_off, offset):
        taur = -0.5
        taui = 0.866025403784438707610604524234076962
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        for k in range(l1):
            p = in_off + 3 * k * ido
            o = out_off + k * ido
            i1i = in_[p]
            tr2 = 2 * in_[p + ido2 - 1]
            cr2 = i1i + taur * tr2
            ci3 = 2 * taui * in_[p + ido2]
            out[o] = i1i + tr2
            out[o + idx0] = cr2 - ci3
            out[o + idx02] = cr2 + ci3
        if ido == 1:
            return
        wt = self.wtable_r
        for k in range(l1):
            p = in_off + 3 * k * ido
            for i in range(2, ido, 2):
                i1i, i1r = in_[p + i - 1], in_[p + i]
                i2i, i2r = in_[p + ido2 + i - 1], in_[p + ido2 + i]
                i3i, i3r = in_[p + ido2 - i - 1], in_[p + ido2 - i]
                tr2 = i2i + i3i
                cr2 = i1i + taur * tr2
                ti2 = i2r - i3r
                ci2 = i1r + taur * ti2
                cr3 = taui * (i2i - i3i)
                ci3 = taui * (i2r + i3r)
                dr2 = cr2 - ci3
                dr3 = cr2 + ci3
                di2 = ci2 + cr3
                di3 = ci2 - cr3
                w1r, w2r = wt[offset + i - 2], wt[offset + i - 2 + ido]
                w1i, w2i = wt[offset + i - 1], wt[offset + i - 1 + ido]
                oidx1 = out_off + i + k * ido
                oidx2 = oidx1 + idx0
                oidx3 = oidx2 + idx0
                out[oidx1 - 1] = i1i + tr2
                out[oidx1] = i1r + ti2
                out[oidx2 - 1] = w1r * dr2 - w1i * di2
                out[oidx2] = w1r * di2 + w1i * dr2
                out[oidx3 - 1] = w2r * dr3 - w2i * di3
                out[oidx3] = w2r * di3 + w2i * dr3

    def _radf4(self, ido, l1, in_, in_off, out, out_off, offset):
        hsqt2 = 0.707106781186547572737310929369414225
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        idx03 = 3 * idx0
        ido3 = 3 * ido
        ido4 = 4 * ido
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 4 * k * ido
            i1r, i2r, i3r, i4r = in_[p], in_[p + idx0], in_[p + idx02], in_[p + idx03]
            tr1 = i2r + i4r
            tr2 = i1r + i3r
            out[o] = tr1 + tr2
            out[o + ido4 - 1] = tr2 - tr1
            out[o + ido2 - 1] = i1r - i3r
            out[o + ido2] = i4r - i2r
        if ido < 2:
            return
        wt = self.wtable_r
        for k in range(l1):
            o = out_off + 4 * k * ido
            for i in range(2, ido, 2):
                w1r, w2r, w3r = wt[offset + i - 2:offset + i - 2 + ido3:ido]
                w1i, w2i, w3i = wt[offset + i - 1:offset + i - 1 + ido3:ido]
                p = in_off + i + k * ido
                i1i, i1r = in_[p - 1], in_[p]
                i2i, i2r = in_[p + idx0 - 1], in_[p + idx0]
                i3i, i3r = in_[p + idx02 - 1], in_[p + idx02]
                i4i, i4r = in_[p + idx03 - 1], in_[p + idx03]
                cr2 = w1r * i2i + w1i * i2r
                ci2 = w1r * i2r - w1i * i2i
                cr3 = w2r * i3i + w2i * i3r
                ci3 = w2r * i3r - w2i * i3i
                cr4 = w3r * i4i + w3i * i4r
                ci4 = w3r * i4r - w3i * i4i
                tr1 = cr2 + cr4
                tr4 = cr4 - cr2
                ti1 = ci2 + ci4
                ti4 = ci2 - ci4
                ti2 = i1r + ci3
                ti3 = i1r - ci3
                tr2 = i1i + cr3
                tr3 = i1i - cr3
                oidx1 = o + i
                oidx2 = o + ido2 - i
                oidx3 = o + ido2 + i
                oidx4 = o + ido4 - i
                out[oidx1 - 1] = tr1 + tr2
                out[oidx4 - 1] = tr2 - tr1
                out[oidx1] = ti1 + ti2
                out[oidx4] = ti1 - ti2
                out[oidx3 - 1] = ti4 + tr3
                out[oidx2 - 1] = tr3 - ti4
                out[oidx3] = tr4 + ti3
                out[oidx2] = tr4 - ti3
        if ido % 2 == 1:
            return
        for k in range(l1):
            p = in_off + ido - 1 + k * ido
            o = out_off + 4 * k * ido
            i1i, i2i, i3i, i4i = in_[p], in_[p + idx0], in_[p + idx02], in_[p + idx03]
            ti1 = -hsqt2 * (i2i + i4i)
            tr1 = hsqt2 * (i2i - i4i)
            out[o + ido - 1] = tr1 + i1i
            out[o + ido3 - 1] = i1i - tr1
            out[o + ido] = ti1 - i3i
            out[o + ido3] = ti1 + i3i

    def _radb4(self, ido, l1, in_, in_off, out, out_off, offset):
        sqrt2 = 1.41421356237309514547462185873882845
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        idx03 = 3 * idx0
        ido3 = 3 * ido
        ido4 = 4 * ido
        for k in range(l1):
            p = in_off + 4 * k * ido
            o = out_off + k * ido
            i1r, i2r, i3r, i4r = in_[p], in_[p + ido2], in_[p + ido4 - 1], in_[p + ido2 - 1]
            tr1 = i1r - i3r
            tr2 = i1r + i3r
            tr3 = i4r + i4r
            tr4 = i2r + i2r
            out[o] = tr2 + tr3
            out[o + idx0] = tr1 - tr4
            out[o + idx02] = tr2 - tr3
            out[o + idx03] = tr1 + tr4
        if ido < 2:
            return
        wt = self.wtable_r
        for k in range(l1):
            p = in_off + 4 * k * ido
            for i in range(2, ido, 2):
                w1r, w2r, w3r = wt[offset + i - 2:offset + i - 2 + ido3:ido]
                w1i, w2i, w3i = wt[offset + i - 1:offset + i - 1 + ido3:ido]
                i1i, i1r = in_[p + i - 1], in_[p + i]
                i2i, i2r = in_[p + ido2 - i - 1], in_[p + ido2 - i]
                i3i, i3r = in_[p + ido2 + i - 1], in_[p + ido2 + i]
                i4i, i4r = in_[p + ido4 - i - 1], in_[p + ido4 - i]
                ti1 = i1r + i4r
                ti2 = i1r - i4r
                ti3 = i3r - i2r
                tr4 = i3r + i2r
                tr1 = i1i - i4i
                tr2 = i1i + i4i
                ti4 = i3i - i2i
                tr3 = i3i + i2i
                cr3 = tr2 - tr3
                ci3 = ti2 - ti3
                cr2 = tr1 - tr4
                cr4 = tr1 + tr4
                ci2 = ti1 + ti4
                ci4 = ti1 - ti4
                oidx1 = out_off + i + k * ido
                oidx2 = oidx1 + idx0
                oidx3 = oidx2 + idx0
                oidx4 = oidx3 + idx0
                out[oidx1 - 1] = tr2 + tr3
                out[oidx1] = ti2 + ti3
                out[oidx2 - 1] = w1r * cr2 - w1i * ci2
                out[oidx2] = w1r * ci2 + w1i * cr2
                out[oidx3 - 1] = w2r * cr3 - w2i * ci3
                out[oidx3] = w2r * ci3 + w2i * cr3
                out[oidx4 - 1] = w3r * cr4 - w3i * ci4
                out[oidx4] = w3r * ci4 + w3i * cr4
        if ido % 2 == 1:
            return
        for k in range(l1):
            p = in_off + 4 * k * ido
            o = out_off + ido - 1 + k * ido
            i1r, i2r, i3r, i4r = in_[p + ido - 1], in_[p + ido3 - 1], in_[p + ido], in_[p + ido3]
            ti1 = i3r + i4r
            ti2 = i4r - i3r
            tr1 = i1r - i2r
            tr2 = i1r + i2r
            out[o] = tr2 + tr2
            out[o + idx0] = sqrt2 * (tr1 - ti1)
            out[o + idx02] = ti2 + ti2
            out[o + idx03] = -sqrt2 * (tr1 + ti1)

    def _radf5(self, ido, l1, in_, in_off, out, out_off, offset):
        tr11 = 0.309016994374947451262869435595348477
        ti11 = 0.951056516295153531181938433292089030
        tr12 = -0.809016994374947340240566973079694435
        ti12 = 0.587785252292473248125759255344746634
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        idx03 = 3 * idx0
        idx04 = 4 * idx0
        ido4 = 4 * ido
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 5 * k * ido
            i1r, i2r, i3r = in_[p], in_[p + idx0], in_[p + idx02]
            i4r, i5r = in_[p + idx03], in_[p + idx04]
            cr2 = i5r + i2r
            ci5 = i5r - i2r
            cr3 = i4r + i3r
            ci4 = i4r - i3r
            out[o] = i1r + cr2 + cr3
            out[o + ido2 - 1] = i1r + tr11 * cr2 + tr12 * cr3
            out[o + ido2] = ti11 * ci5 + ti12 * ci4
            out[o + ido4 - 1] = i1r + tr12 * cr2 + tr11 * cr3
            out[o + ido4] = ti12 * ci5 - ti11 * ci4
        if ido == 1:
            return
        wt = self.wtable_r
        for k in range(l1):
            o = out_off + 5 * k * ido
            for i in range(2, ido, 2):
                w1r, w2r, w3r, w4r = wt[offset + i - 2:offset + i - 2 + ido4:ido]
                w1i, w2i, w3i, w4i = wt[offset + i - 1:offset + i - 1 + ido4:ido]
                p = in_off + i + k * ido
                i1i, i1r = in_[p - 1], in_[p]
                i2i, i2r = in_[p + idx0 - 1], in_[p + idx0]
                i3i, i3r = in_[p + idx02 - 1], in_[p + idx02]
                i4i, i4r = in_[p + idx03 - 1], in_[p + idx03]
                i5i, i5r = in_[p + idx04 - 1], in_[p + idx04]
                dr2 = w1r * i2i + w1i * i2r
                di2 = w1r * i2r - w1i * i2i
                dr3 = w2r * i3i + w2i * i3r
                di3 = w2r * i3r - w2i * i3i
                dr4 = w3r * i4i + w3i * i4r
                di4 = w3r * i4r - w3i * i4i
                dr5 = w4r * i5i + w4i * i5r
                di5 = w4r * i5r - w4i * i5i
                cr2 = dr2 + dr5
                ci5 = dr5 - dr2
                cr5 = di2 - di5
                ci2 = di2 + di5
                cr3 = dr3 + dr4
                ci4 = dr4 - dr3
                cr4 = di3 - di4
                ci3 = di3 + di4
                tr2 = i1i + tr11 * cr2 + tr12 * cr3
                ti2 = i1r + tr11 * ci2 + tr12 * ci3
                tr3 = i1i + tr12 * cr2 + tr11 * cr3
                ti3 = i1r + tr12 * ci2 + tr11 * ci3
                tr5 = ti11 * cr5 + ti12 * cr4
                ti5 = ti11 * ci5 + ti12 * ci4
                tr4 = ti12 * cr5 - ti11 * cr4
                ti4 = ti12 * ci5 - ti11 * ci4
                oidx1 = o + i
                oidx2 = o + ido2 - i
                oidx3 = o + ido2 + i
                oidx4 = o + ido4 - i
                oidx5 = o + ido4 + i
                out[oidx1 - 1] = i1i + cr2 + cr3
                out[oidx1] = i1r + ci2 + ci3
                out[oidx3 - 1] = tr2 + tr5
                out[oidx2 - 1] = tr2 - tr5
                out[oidx3] = ti2 + ti5
                out[oidx2] = ti5 - ti2
                out[oidx5 - 1] = tr3 + tr4
                out[oidx4 - 1] = tr3 - tr4
                out[oidx5] = ti3 + ti4
                out[oidx4] = ti4 - ti3

    def _radb5(self, ido, l1, in_, in_off, out, out_off, offset):
        tr11 = 0.309016994374947451262869435595348477
        ti11 = 0.951056516295153531181938433292089030
        tr12 = -0.809016994374947340240566973079694435
        ti12 = 0.587785252292473248125759255344746634
        idx0 = l1 * ido
        idx02 = 2 * idx0
        ido2 = 2 * ido
        idx03 = 3 * idx0
        idx04 = 4 * idx0
        ido4 = 4 * ido
        for k in range(l1):
            p = in_off + 5 * k * ido
            o = out_off + k * ido
            i1r = in_[p]
            ti5 = 2 * in_[p + ido2]
            ti4 = 2 * in_[p + ido4]
            tr2 = 2 * in_[p + ido2 - 1]
            tr3 = 2 * in_[p + ido4 - 1]
            cr2 = i1r + tr11 * tr2 + tr12 * tr3
            cr3 = i1r + tr12 * tr2 + tr11 * tr3
            ci5 = ti11 * ti5 + ti12 * ti4
            ci4 = ti12 * ti5 - ti11 * ti4
            out[o] = i1r + tr2 + tr3
            out[o + idx0] = cr2 - ci5
            out[o + idx02] = cr3 - ci4
            out[o + idx03] = cr3 + ci4
            out[o + idx04] = cr2 + ci5
        if ido == 1:
            return
        wt = self.wtable_r
        for k in range(l1):
            p = in_off + 5 * k * ido
            for i in range(2, ido, 2):
                w1r, w2r, w3r, w4r = wt[offset + i - 2:offset + i - 2 + ido4:ido]
                w1i, w2i, w3i, w4i = wt[offset + i - 1:offset + i - 1 + ido4:ido]
                i1i, i1r = in_[p + i - 1], in_[p + i]
                i2i, i2r = in_[p + ido2 - i - 1], in_[p + ido2 - i]
                i3i, i3r = in_[p + ido2 + i - 1], in_[p + ido2 + i]
                i4i, i4r = in_[p + ido4 - i - 1], in_[p + ido4 - i]
                i5i, i5r = in_[p + ido4 + i - 1], in_[p + ido4 + i]
                ti5 = i3r + i2r
                ti2 = i3r - i2r
                ti4 = i5r + i4r
                ti3 = i5r - i4r
                tr5 = i3i - i2i
                tr2 = i3i + i2i
                tr4 = i5i - i4i
                tr3 = i5i + i4i
                cr2 = i1i + tr11 * tr2 + tr12 * tr3
                ci2 = i1r + tr11 * ti2 + tr12 * ti3
                cr3 = i1i + tr12 * tr2 + tr11 * tr3
                ci3 = i1r + tr12 * ti2 + tr11 * ti3
                cr5 = ti11 * tr5 + ti12 * tr4
                ci5 = ti11 * ti5 + ti12 * ti4
                cr4 = ti12 * tr5 - ti11 * tr4
                ci4 = ti12 * ti5 - ti11 * ti4
                dr3 = cr3 - ci4
                dr4 = cr3 + ci4
                di3 = ci3 + cr4
                di4 = ci3 - cr4
                dr5 = cr2 + ci5
                dr2 = cr2 - ci5
                di5 = ci2 - cr5
                di2 = ci2 + cr5
                oidx1 = out_off + i + k * ido
                oidx2 = oidx1 + idx0
                oidx3 = oidx2 + idx0
                oidx4 = oidx3 + idx0
                oidx5 = oidx4 + idx0
                out[oidx1 - 1] = i1i + tr2 + tr3
                out[oidx1] = i1r + ti2 + ti3
                out[oidx2 - 1] = w1r * dr2 - w1i * di2
                out[oidx2] = w1r * di2 + w1i * dr2
                out[oidx3 - 1] = w2r * dr3 - w2i * di3
                out[oidx3] = w2r * di3 + w2i * dr3
                out[oidx4 - 1] = w3r * dr4 - w3i * di4
                out[oidx4] = w3r * di4 + w3i * dr4
                out[oidx5 - 1] = w4r * dr5 - w4i * di5
                out[oidx5] = w4r * di5 + w4i * dr5

    _FORWARD_PASSES = {2: _radf2, 3: _radf3, 4: _radf4, 5: _radf5}
    _BACKWARD_PASSES = {2: _radb2, 3: _radb3, 4: _radb4, 5: _radb5}

    def _radfg(self, ido, ip, l1, idl1, in_, in_off, out, out_off, offset):
        """FFTPACK's radfg: a forward pass of any odd factor ip (JTransforms' loop-order variants merged: every
        (j, k, i) step writes its own slots, so the order of the steps does not change a bit)."""
        arg = TWO_PI / float(ip)
        dcp = fm_cos(arg)
        dsp = fm_sin(arg)
        ipph = (ip + 1) // 2
        if ido != 1:
            self._twiddle_pass(ido, ip, l1, idl1, in_, in_off, out, out_off, offset, conjugate=True)
            for j in range(1, ipph):
                idx1 = j * l1 * ido
                idx2 = (ip - j) * l1 * ido
                for k in range(l1):
                    for i in range(2, ido, 2):
                        iidx1 = in_off + i + k * ido + idx1
                        iidx2 = in_off + i + k * ido + idx2
                        oidx1 = out_off + i + k * ido + idx1
                        oidx2 = out_off + i + k * ido + idx2
                        o1i = out[oidx1 - 1]
                        o1r = out[oidx1]
                        o2i = out[oidx2 - 1]
                        o2r = out[oidx2]
                        in_[iidx1 - 1] = o1i + o2i
                        in_[iidx1] = o1r + o2r
                        in_[iidx2 - 1] = o1r - o2r
                        in_[iidx2] = o2i - o1i
        else:
            in_[in_off:in_off + idl1] = out[out_off:out_off + idl1]
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            for k in range(l1):
                idx3 = k * ido + idx1
                idx4 = k * ido + idx2
                o1r = out[out_off + idx3]
                o2r = out[out_off + idx4]
                in_[in_off + idx3] = o1r + o2r
                in_[in_off + idx4] = o2r - o1r
        _rotate_pass(ip, idl1, dcp, dsp, in_, in_off, out, out_off)
        _sum_pass(ip, idl1, out, out_off, in_, in_off)
        idx01 = ip * ido
        for k in range(l1):
            for i in range(ido):
                in_[in_off + i + k * idx01] = out[out_off + i + k * ido]
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            idx3 = 2 * j * ido
            for k in range(l1):
                idx4 = k * ido
                idx7 = k * idx01
                in_[in_off + ido - 1 + idx3 - ido + idx7] = out[out_off + idx4 + idx1]
                in_[in_off + idx3 + idx7] = out[out_off + idx4 + idx2]
        if ido == 1:
            return
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            idx3 = 2 * j * ido
            for k in range(l1):
                idx4 = k * idx01
                idx5 = k * ido
                for i in range(2, ido, 2):
                    iidx1 = in_off + i + idx3 + idx4
                    iidx2 = in_off + ido - i + idx3 - ido + idx4
                    oidx1 = out_off + i + idx5 + idx1
                    oidx2 = out_off + i + idx5 + idx2
                    o1i = out[oidx1 - 1]
                    o1r = out[oidx1]
                    o2i = out[oidx2 - 1]
                    o2r = out[oidx2]
                    in_[iidx1 - 1] = o1i + o2i
                    in_[iidx2 - 1] = o1i - o2i
                    in_[iidx1] = o1r + o2r
                    in_[iidx2] = o2r - o1r

    def _radbg(self, ido, ip, l1, idl1, in_, in_off, out, out_off, offset):
        """FFTPACK's radbg: a backward pass of any odd factor ip (loop-order variants merged as in _radfg)."""
        arg = TWO_PI / float(ip)
        dcp = fm_cos(arg)
        dsp = fm_sin(arg)
        ipph = (ip + 1) // 2
        idx0 = ip * ido
        for k in range(l1):
            for i in range(ido):
                out[out_off + i + k * ido] = in_[in_off + i + k * idx0]
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            idx3 = 2 * j * ido
            for k in range(l1):
                idx4 = k * ido
                idx5 = idx4 * ip
                i1r = in_[in_off + ido - 1 + idx3 + idx5 - ido]
                i2r = in_[in_off + idx3 + idx5]
                out[out_off + idx4 + idx1] = i1r + i1r
                out[out_off + idx4 + idx2] = i2r + i2r
        if ido != 1:
            for j in range(1, ipph):
                idx1 = j * l1 * ido
                idx2 = (ip - j) * l1 * ido
                idx3 = 2 * j * ido
                for k in range(l1):
                    idx4 = k * ido + idx1
                    idx5 = k * ido + idx2
                    idx6 = k * ip * ido + idx3
                    for i in range(2, ido, 2):
                        oidx1 = out_off + i + idx4
                        oidx2 = out_off + i + idx5
                        iidx1 = in_off + i + idx6
                        iidx2 = in_off + ido - i + idx6 - ido
                        a1i = in_[iidx1 - 1]
                        a1r = in_[iidx1]
                        a2i = in_[iidx2 - 1]
                        a2r = in_[iidx2]
                        out[oidx1 - 1] = a1i + a2i
                        out[oidx2 - 1] = a1i - a2i
                        out[oidx1] = a1r - a2r
                        out[oidx2] = a1r + a2r
        _rotate_pass(ip, idl1, dcp, dsp, out, out_off, in_, in_off)
        _sum_pass(ip, idl1, out, out_off, out, out_off)
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            for k in range(l1):
                idx3 = k * ido
                i1r = in_[in_off + idx3 + idx1]
                i2r = in_[in_off + idx3 + idx2]
                out[out_off + idx3 + idx1] = i1r - i2r
                out[out_off + idx3 + idx2] = i1r + i2r
        if ido == 1:
            return
        for j in range(1, ipph):
            idx1 = j * l1 * ido
            idx2 = (ip - j) * l1 * ido
            for k in range(l1):
                idx3 = k * ido
                for i in range(2, ido, 2):
                    oidx1 = out_off + i + idx3 + idx1
                    oidx2 = out_off + i + idx3 + idx2
                    iidx1 = in_off + i + idx3 + idx1
                    iidx2 = in_off + i + idx3 + idx2
                    i1i = in_[iidx1 - 1]
                    i1r = in_[iidx1]
                    i2i = in_[iidx2 - 1]
                    i2r = in_[iidx2]
                    out[oidx1 - 1] = i1i - i2r
                    out[oidx2 - 1] = i1i + i2r
                    out[oidx1] = i1r + i2i
                    out[oidx2] = i1r - i2i
        self._twiddle_pass(ido, ip, l1, idl1, out, out_off, in_, in_off, offset, conjugate=False)

    def _twiddle_pass(self, ido, ip, l1, idl1, src, src_off, dst, dst_off, offset, conjugate):
        """radfg's first / radbg's last step: dst = src with the complex pairs (i - 1, i) of rows j >= 1 times
        the twiddle w (radbg) or its conjugate (radfg; w1i negated, which is exact)."""
        dst[dst_off:dst_off + idl1] = src[src_off:src_off + idl1]
        for j in range(1, ip):
            for k in range(l1):
                idx = k * ido + j * l1 * ido
                dst[dst_off + idx] = src[src_off + idx]
        for j in range(1, ip):
            iw = offset + (j - 1) * ido - 2
            for i in range(2, ido, 2):
                w1r = self.wtable_r[iw + i]
                w1i = -self.wtable_r[iw + i + 1] if conjugate else self.wtable_r[iw + i + 1]
                for k in range(l1):
                    idx = k * ido + j * l1 * ido + i
                    xr = src[src_off + idx - 1]
                    xi = src[src_off + idx]
                    dst[dst_off + idx - 1] = w1r * xr - w1i * xi
                    dst[dst_off + idx] = w1r * xi + w1i * xr

    def _bluesteini(self):
        k = 0
        pi_n = PI / self.n
        self.bk1[0] = 1
        self.bk1[1] = 0
        for i in range(1, self.n):
            k = k + (2 * i - 1)
            if k >= 2 * self.n:
                k = k - (2 * self.n)
            arg = pi_n * k
            self.bk1[2 * i] = fm_cos(arg)
            self.bk1[2 * i + 1] = fm_sin(arg)
        scale = 1.0 / self.nBluestein
        self.bk2[0] = self.bk1[0] * scale
        self.bk2[1] = self.bk1[1] * scale
        for i in range(2, 2 * self.n, 2):
            self.bk2[i] = self.bk1[i] * scale
            self.bk2[i + 1] = self.bk1[i + 1] * scale
            self.bk2[2 * self.nBluestein - i] = self.bk2[i]
            self.bk2[2 * self.nBluestein - i + 1] = self.bk2[i + 1]
        _cftsub(2 * self.nBluestein, self.bk2, 0, self.nw, self.w, True)

    def _bluestein_convolve(self, ak, conjugate):
        """ak (n_bluestein complex slots) convolved with the chirp: backward FFT, times bk2 (its conjugate for the
        inverse transform; the negated imaginary part is exact), forward FFT."""
        bk2 = self.bk2
        _cftsub(2 * self.nBluestein, ak, 0, self.nw, self.w, True)
        for idx1 in range(0, 2 * self.nBluestein, 2):
            br = bk2[idx1]
            bi = -bk2[idx1 + 1] if conjugate else bk2[idx1 + 1]
            im = ak[idx1] * bi + ak[idx1 + 1] * br
            ak[idx1] = ak[idx1] * br - ak[idx1 + 1] * bi
            ak[idx1 + 1] = im
        _cftsub(2 * self.nBluestein, ak, 0, self.nw, self.w, False)

    def _bluestein_real_forward(self, a, offa):
        """JTransforms' realForward by Bluestein for an even n (the DCT's real FFT has length 2n, so JTransforms'
        odd-n branches never run and are not ported)."""
        n, bk1 = self.n, self.bk1
        ak = [0.0] * (2 * self.nBluestein)
        for i in range(n):
            ak[2 * i] = a[offa + i] * bk1[2 * i]
            ak[2 * i + 1] = -a[offa + i] * bk1[2 * i + 1]
        self._bluestein_convolve(ak, conjugate=False)
        a[offa] = bk1[0] * ak[0] + bk1[1] * ak[1]
        a[offa + 1] = bk1[n] * ak[n] + bk1[n + 1] * ak[n + 1]
        for idx1 in range(2, n, 2):
            idx2 = idx1 + 1
            a[offa + idx1] = bk1[idx1] * ak[idx1] + bk1[idx2] * ak[idx2]
            a[offa + idx2] = -bk1[idx2] * ak[idx1] + bk1[idx1] * ak[idx2]

    def _bluestein_real_inverse(self, a, offa):
        n, bk1 = self.n, self.bk1
        ak = [0.0] * (2 * self.nBluestein)
        ak[0] = a[offa] * bk1[0]
        ak[1] = a[offa] * bk1[1]
        for idx1 in range(2, n, 2):
            idx2 = idx1 + 1
            ak[idx1] = a[offa + idx1] * bk1[idx1] - a[offa + idx2] * bk1[idx2]
            ak[idx2] = a[offa + idx1] * bk1[idx2] + a[offa + idx2] * bk1[idx1]
        ak[n] = a[offa + 1] * bk1[n]
        ak[n + 1] = a[offa + 1] * bk1[n + 1]
        for i in range(n // 2 + 1, n):
            idx1 = 2 * i
            idx3 = offa + 2 * n - idx1
            ak[idx1] = a[idx3] * bk1[idx1] + a[idx3 + 1] * bk1[idx1 + 1]
            ak[idx1 + 1] = a[idx3] * bk1[idx1 + 1] - a[idx3 + 1] * bk1[idx1]
        self._bluestein_convolve(ak, conjugate=True)
        for i in range(n):
            a[offa + i] = bk1[2 * i] * ak[2 * i] - bk1[2 * i + 1] * ak[2 * i + 1]


class DCTPlan:
    """DoubleDCT_1D(n) with _scale = true: `forward` (DCT-II) and `inverse` (DCT-III), in place on a list."""

    def __init__(self, n: int):
        if n < 1:
            raise ValueError("the DCT of an empty vector is undefined")
        self.n = n
        self.power_of_two = _is_power_of_two(n)
        if self.power_of_two:
            self.ip = [0] * (n + 4)
            self.w = [0.0] * (n * 5 // 4)
            self.nw = self.ip[0]
            if n > (self.nw << 2):
                self.nw = n >> 2
                _makewt(self.nw, self.ip, self.w)
            self.nc = self.ip[1]
            if n > self.nc:
                self.nc = n
                _makect(self.nc, self.w, self.nw, self.ip)
        else:
            twon = 2 * n
            delta = PI / twon
            self.w = [0.0] * twon
            self.w[0] = 1.0
            for j in range(1, n):
                self.w[2 * j] = fm_cos(delta * j)
                self.w[2 * j + 1] = -fm_sin(delta * j)
            self.fft = _RealFFT(twon)

    def forward(self, a: list) -> None:
        n = self.n
        if n == 1:
            return
        if self.power_of_two:
            xr = a[n - 1]
            for j in range(n - 2, 1, -2):
                a[j + 1] = a[j] - a[j - 1]
                a[j] = a[j] + a[j - 1]
            a[1] = a[0] - xr
            a[0] = a[0] + xr
            if n > 4:
                _dct_rftsub(n, a, 0, self.nc, self.w, self.nw, True)
            if n >= 4:
                _cftsub(n, a, 0, self.nw, self.w, True)
            _dctsub(n, a, 0, self.nc, self.w, self.nw)
            _scale(n, math.sqrt(2.0 / n), a)
        else:
            twon = 2 * n
            t = a[:n] + a[::-1]
            self.fft.real_forward(t)
            w = self.w
            a[:] = [w[2 * i] * t[2 * i] - w[2 * i + 1] * t[2 * i + 1] for i in range(n)]
            _scale(n, 1 / math.sqrt(twon), a)
        a[0] = a[0] / math.sqrt(2.0)

    def inverse(self, a: list) -> None:
        n = self.n
        if n == 1:
            return
        if self.power_of_two:
            _scale(n, math.sqrt(2.0 / n), a)
            a[0] = a[0] / math.sqrt(2.0)
            _dctsub(n, a, 0, self.nc, self.w, self.nw)
            if n >= 4:
                _cftsub(n, a, 0, self.nw, self.w, False)
            if n > 4:
                _dct_rftsub(n, a, 0, self.nc, self.w, self.nw, False)
            xr = a[0] - a[1]
            a[0] = a[0] + a[1]
            for j in range(2, n, 2):
                a[j - 1] = a[j] - a[j + 1]
                a[j] = a[j] + a[j + 1]
            a[n - 1] = xr
        else:
            _scale(n, math.sqrt(2 * n), a)
            a[0] = a[0] * math.sqrt(2.0)
            w = self.w
            t = [0.0] * (2 * n)
            for i in range(n):
                t[2 * i] = w[2 * i] * a[i]
                t[2 * i + 1] = -w[2 * i + 1] * a[i]
            self.fft.real_inverse_scaled(t)
            a[:] = t[:n]


@functools.lru_cache(maxsize=64)
def dct_plan(n: int) -> DCTPlan:
    """The plan for size n (tables only, never mutated), kept for the 64 sizes last used."""
    return DCTPlan(n)
