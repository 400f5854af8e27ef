"""JTransforms 3.1's Bluestein real FFT (DoubleFFT_1D when the size has a factor >= 211 left after 4, 2, 3, 5):
the chirp convolution over Ooura's power-of-two complex FFT."""

from __future__ import annotations

from jvm.jtransforms.fastmath import PI, fm_cos, fm_sin
from jvm.jtransforms.ooura import cftsub, makect, makewt, scale


class BluesteinRealFFT:
    """DoubleFFT_1D(n) by Bluestein, n even (the DCT runs it at 2n): `realForward` and `realInverse(a, true)`."""

    def __init__(self, n: int):
        self.n = n
        self.nBluestein = 1 << (2 * n - 2).bit_length()  # CommonUtils.nextPow2(2n - 1)
        self.bk1 = [0.0] * (2 * self.nBluestein)
        self.bk2 = [0.0] * (2 * self.nBluestein)
        self.ip = [0] * (self.nBluestein + 4)
        self.w = [0.0] * self.nBluestein
        self.nw = self.nBluestein >> 1
        makewt(self.nw, self.ip, self.w)
        self.nc = self.nBluestein >> 2
        makect(self.nc, self.w, self.nw, self.ip)
        self._bluesteini()

    def real_forward(self, a: list) -> None:
        self._bluestein_real_forward(a, 0)

    def real_inverse_scaled(self, a: list) -> None:
        self._bluestein_real_inverse(a, 0)
        scale(self.n, 1.0 / self.n, a)

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
        factor = 1.0 / self.nBluestein
        self.bk2[0] = self.bk1[0] * factor
        self.bk2[1] = self.bk1[1] * factor
        for i in range(2, 2 * self.n, 2):
            self.bk2[i] = self.bk1[i] * factor
            self.bk2[i + 1] = self.bk1[i + 1] * factor
            self.bk2[2 * self.nBluestein - i] = self.bk2[i]
            self.bk2[2 * self.nBluestein - i + 1] = self.bk2[i + 1]
        cftsub(2 * self.nBluestein, self.bk2, 0, self.nw, self.w, True)

    def _bluestein_convolve(self, ak, conjugate):
        """ak (n_bluestein complex slots) convolved with the chirp: backward FFT, times bk2 (its conjugate for the
        inverse transform; the negated imaginary part is exact), forward FFT."""
        bk2 = self.bk2
        cftsub(2 * self.nBluestein, ak, 0, self.nw, self.w, True)
        for idx1 in range(0, 2 * self.nBluestein, 2):
            br = bk2[idx1]
            bi = -bk2[idx1 + 1] if conjugate else bk2[idx1 + 1]
            im = ak[idx1] * bi + ak[idx1 + 1] * br
            ak[idx1] = ak[idx1] * br - ak[idx1 + 1] * bi
            ak[idx1 + 1] = im
        cftsub(2 * self.nBluestein, ak, 0, self.nw, self.w, False)

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
