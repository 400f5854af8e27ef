"""FFTPACK's real mixed-radix FFT as JTransforms 3.1's DoubleFFT_1D runs it (rffti, rfftf/rfftb and the
radix passes radf2..5/radb2..5, radfg/radbg for any other factor), on a list of slots (floats or NumPy columns)."""

from __future__ import annotations

from jvm.jtransforms.fastmath import TWO_PI, fm_cos, fm_sin
from jvm.jtransforms.ooura import scale

_FACTORS = (4, 2, 3, 5)


# the radix passes' constants as FFTPACK spells them: cos/sin of 2 pi/3, cos pi/4 (and twice it), of 2 pi/5, 4 pi/5
TAUR = -0.5
TAUI = 0.866025403784438707610604524234076962
HSQT2 = 0.707106781186547572737310929369414225
SQRT2 = 1.41421356237309514547462185873882845
TR11 = 0.309016994374947451262869435595348477
TI11 = 0.951056516295153531181938433292089030
TR12 = -0.809016994374947340240566973079694435
TI12 = 0.587785252292473248125759255344746634


def _strides(l1: int, ido: int) -> tuple[int, ...]:
    """A radix pass's strides: l1 * ido (one input row of the pass) times 1..4, then ido times 2..4."""
    idx0 = l1 * ido
    return idx0, 2 * idx0, 3 * idx0, 4 * idx0, 2 * ido, 3 * ido, 4 * ido


def remainder(n: int) -> int:
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


class RealFFT:
    """DoubleFFT_1D(n) by FFTPACK's mixed radix, n even with `remainder(n) < 211` (the DCT runs it at 2n):
    `realForward` and `realInverse(a, true)`."""

    def __init__(self, n: int):
        self.n = n
        self.wtable_r = [0.0] * (2 * n + 15)
        self._rffti()

    def real_forward(self, a: list) -> None:
        self._rfftf(a, 0)
        a[1:] = a[-1:] + a[1:-1]  # JTransforms' pairwise swaps: the last slot moves to slot 1

    def real_inverse_scaled(self, a: list) -> None:
        a[1:] = a[2:] + a[1:2]  # the inverse of the swaps above
        self._rfftb(a, 0)
        scale(self.n, 1.0 / self.n, a)

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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
        for k in range(l1):
            p = in_off + k * ido
            o = out_off + 3 * k * ido
            i1r, i2r, i3r = in_[p], in_[p + idx0], in_[p + idx02]
            cr2 = i2r + i3r
            out[o] = i1r + cr2
            out[o + ido2] = TAUI * (i3r - i2r)
            out[o + ido2 - 1] = i1r + TAUR * cr2
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
                tr2 = i1i + TAUR * cr2
                ti2 = i1r + TAUR * ci2
                tr3 = TAUI * (di2 - di3)
                ti3 = TAUI * (dr3 - dr2)
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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
        for k in range(l1):
            p = in_off + 3 * k * ido
            o = out_off + k * ido
            i1i = in_[p]
            tr2 = 2 * in_[p + ido2 - 1]
            cr2 = i1i + TAUR * tr2
            ci3 = 2 * TAUI * in_[p + ido2]
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
                cr2 = i1i + TAUR * tr2
                ti2 = i2r - i3r
                ci2 = i1r + TAUR * ti2
                cr3 = TAUI * (i2i - i3i)
                ci3 = TAUI * (i2r + i3r)
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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
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
            ti1 = -HSQT2 * (i2i + i4i)
            tr1 = HSQT2 * (i2i - i4i)
            out[o + ido - 1] = tr1 + i1i
            out[o + ido3 - 1] = i1i - tr1
            out[o + ido] = ti1 - i3i
            out[o + ido3] = ti1 + i3i

    def _radb4(self, ido, l1, in_, in_off, out, out_off, offset):
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
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
            out[o + idx0] = SQRT2 * (tr1 - ti1)
            out[o + idx02] = ti2 + ti2
            out[o + idx03] = -SQRT2 * (tr1 + ti1)

    def _radf5(self, ido, l1, in_, in_off, out, out_off, offset):
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
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
            out[o + ido2 - 1] = i1r + TR11 * cr2 + TR12 * cr3
            out[o + ido2] = TI11 * ci5 + TI12 * ci4
            out[o + ido4 - 1] = i1r + TR12 * cr2 + TR11 * cr3
            out[o + ido4] = TI12 * ci5 - TI11 * ci4
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
                tr2 = i1i + TR11 * cr2 + TR12 * cr3
                ti2 = i1r + TR11 * ci2 + TR12 * ci3
                tr3 = i1i + TR12 * cr2 + TR11 * cr3
                ti3 = i1r + TR12 * ci2 + TR11 * ci3
                tr5 = TI11 * cr5 + TI12 * cr4
                ti5 = TI11 * ci5 + TI12 * ci4
                tr4 = TI12 * cr5 - TI11 * cr4
                ti4 = TI12 * ci5 - TI11 * ci4
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
        idx0, idx02, idx03, idx04, ido2, ido3, ido4 = _strides(l1, ido)
        for k in range(l1):
            p = in_off + 5 * k * ido
            o = out_off + k * ido
            i1r = in_[p]
            ti5 = 2 * in_[p + ido2]
            ti4 = 2 * in_[p + ido4]
            tr2 = 2 * in_[p + ido2 - 1]
            tr3 = 2 * in_[p + ido4 - 1]
            cr2 = i1r + TR11 * tr2 + TR12 * tr3
            cr3 = i1r + TR12 * tr2 + TR11 * tr3
            ci5 = TI11 * ti5 + TI12 * ti4
            ci4 = TI12 * ti5 - TI11 * ti4
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
                cr2 = i1i + TR11 * tr2 + TR12 * tr3
                ci2 = i1r + TR11 * ti2 + TR12 * ti3
                cr3 = i1i + TR12 * tr2 + TR11 * tr3
                ci3 = i1r + TR12 * ti2 + TR11 * ti3
                cr5 = TI11 * tr5 + TI12 * tr4
                ci5 = TI11 * ti5 + TI12 * ti4
                cr4 = TI12 * tr5 - TI11 * tr4
                ci4 = TI12 * ti5 - TI11 * ti4
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
