"""JTransforms 3.1's DoubleDCT_1D with scaling (what Spark's `DCT` runs): `DCTPlan(n)` and the cached `dct_plan`."""

from __future__ import annotations

import functools
import math

from jvm.jtransforms.bluestein import BluesteinRealFFT
from jvm.jtransforms.fastmath import PI, fm_cos, fm_sin
from jvm.jtransforms.fftpack import RealFFT, remainder
from jvm.jtransforms.ooura import cftsub, dct_rftsub, dctsub, makect, makewt, scale


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


class DCTPlan:
    """DoubleDCT_1D(n) with `scale = true`: `forward` (DCT-II) and `inverse` (DCT-III), in place on a list."""

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
                makewt(self.nw, self.ip, self.w)
            self.nc = self.ip[1]
            if n > self.nc:
                self.nc = n
                makect(self.nc, self.w, self.nw, self.ip)
        else:
            twon = 2 * n
            delta = PI / twon
            self.w = [0.0] * twon
            self.w[0] = 1.0
            for j in range(1, n):
                self.w[2 * j] = fm_cos(delta * j)
                self.w[2 * j + 1] = -fm_sin(delta * j)
            self.fft = BluesteinRealFFT(twon) if remainder(twon) >= 211 else RealFFT(twon)

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
                dct_rftsub(n, a, 0, self.nc, self.w, self.nw, True)
            if n >= 4:
                cftsub(n, a, 0, self.nw, self.w, True)
            dctsub(n, a, 0, self.nc, self.w, self.nw)
            scale(n, math.sqrt(2.0 / n), a)
        else:
            twon = 2 * n
            t = a[:n] + a[::-1]
            self.fft.real_forward(t)
            w = self.w
            a[:] = [w[2 * i] * t[2 * i] - w[2 * i + 1] * t[2 * i + 1] for i in range(n)]
            scale(n, 1 / math.sqrt(twon), a)
        a[0] = a[0] / math.sqrt(2.0)

    def inverse(self, a: list) -> None:
        n = self.n
        if n == 1:
            return
        if self.power_of_two:
            scale(n, math.sqrt(2.0 / n), a)
            a[0] = a[0] / math.sqrt(2.0)
            dctsub(n, a, 0, self.nc, self.w, self.nw)
            if n >= 4:
                cftsub(n, a, 0, self.nw, self.w, False)
            if n > 4:
                dct_rftsub(n, a, 0, self.nc, self.w, self.nw, False)
            xr = a[0] - a[1]
            a[0] = a[0] + a[1]
            for j in range(2, n, 2):
                a[j - 1] = a[j] - a[j + 1]
                a[j] = a[j] + a[j + 1]
            a[n - 1] = xr
        else:
            scale(n, math.sqrt(2 * n), a)
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
