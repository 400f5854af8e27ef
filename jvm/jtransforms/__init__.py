"""JTransforms 3.1's `DoubleDCT_1D` (what Spark's `DCT` runs), ported operation for operation so that every
output is bit-identical to the JVM's.

`DCTPlan(n).forward(a)` / `.inverse(a)` are `forward(a, true)` / `inverse(a, true)`: `a` is a list of n slots,
each a float (one row) or a float64 NumPy array (one value per row, many rows at once); the plan runs the same
IEEE operations, in the same order, on either (NumPy's elementwise ops round exactly as Java's doubles do).
Sizes that are powers of two run Ooura's split-radix DCT (`ooura`: dctsub, rftfsub/rftbsub, cftfsub/cftbsub);
other sizes run a real FFT of length 2n (`fftpack`: FFTPACK's mixed radix when the part of 2n left after
dividing out 4, 2, 3 and 5 is below 211; `bluestein`: Bluestein over a power-of-two complex FFT otherwise).
Twiddle tables use Commons Math 3.6.1's `FastMath.cos/sin` (`fastmath`; JTransforms imports them statically):
they differ from a correctly rounded cosine in about 0.3% of the angles used.

JTransforms' 2-thread branches (n >= 8192) split the same elementwise loops and butterflies in halves, so the
arithmetic does not depend on the thread count. The kernels keep JTransforms' names so that they can be read side
by side with it, but its repeats are folded: forward/backward kernels that differ only in signs share one body
(a negated read or factor is exact, and `a + (-b)` is `a - b` to the bit), unrolled butterflies run through one
butterfly function, and loop-order variants are merged (every step writes its own slots, so order is free).
"""

from jvm.jtransforms.dct import DCTPlan, dct_plan

__all__ = ["DCTPlan", "dct_plan"]
