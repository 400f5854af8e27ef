"""Java's `Double.toString` for Python floats, digit for digit (what Spark's cast to string and AWS's Java
sagemaker-sparkml-serving container print).

A port of the JDK's `FloatingDecimal.BinaryToASCIIBuffer.dtoa` as JDK 8 to 18 run it (Java 17 formats like the
Java 8 of AWS's container): it stops at the first digit string that identifies the double, which is sometimes
longer than the shortest one Python's `repr` gives (JDK-4511638: 1e23 prints as `9.999999999999999E22`,
-6.699540196057633e18 as `-6.6995401960576328E18`); the text always parses back to the same double.
`tests/jvm/test_number_text_against_the_jdk.py` checks it against the JDK on over 100,000 doubles.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal

import numpy as np

EXP_SHIFT = 52
FRACT_HOB = 1 << EXP_SHIFT
EXP_BIAS = 1023
SIGNIF_MASK = FRACT_HOB - 1
MAX_SMALL_BIN_EXP, MIN_SMALL_BIN_EXP = 62, -21
N_5_BITS = (0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61)
LONG_5_POW_LEN = 27
INSIGNIFICANT_DIGITS = (0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9,
                        9, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16,
                        16, 16, 17, 17, 17, 18, 18, 18, 19)


def _wrap(value: int, bits: int) -> int:
    """`value` as a Java int (32) or long (64) holds it after overflow."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _estimate_dec_exp(fract_bits: int, bin_exp: int) -> int:
    d2 = struct.unpack("<d", struct.pack("<Q", (EXP_BIAS << EXP_SHIFT) | (fract_bits & SIGNIF_MASK)))[0]
    d = (d2 - 1.5) * 0.289529654 + 0.176091259 + float(bin_exp) * 0.301029995663981
    return math.floor(d)


def _long_digits(dec_exp: int, value: int, insignificant: int) -> tuple[str, int]:
    """(digits without trailing zeros, decimal exponent) of the integer `value`, the last `insignificant`
    digits rounded away."""
    if insignificant:
        pow10 = 10**insignificant
        value, residue = divmod(value, pow10)
        dec_exp += insignificant
        if residue >= pow10 >> 1:
            value += 1
    text = str(value)
    return text.rstrip("0"), dec_exp + len(text)


def _dtoa(bin_exp: int, fract_bits: int, n_significant_bits: int) -> tuple[str, int]:
    """(digits, decimal exponent) of fract_bits * 2^(bin_exp - 52): the value is 0.DIGITS * 10^exponent."""
    tail_zeros = (fract_bits & -fract_bits).bit_length() - 1
    n_fract_bits = EXP_SHIFT + 1 - tail_zeros
    n_tiny_bits = max(0, n_fract_bits - bin_exp - 1)
    if (MIN_SMALL_BIN_EXP <= bin_exp <= MAX_SMALL_BIN_EXP and n_tiny_bits < LONG_5_POW_LEN
            and n_fract_bits + N_5_BITS[n_tiny_bits] < 64 and n_tiny_bits == 0):
        insignificant = 0
        if bin_exp > n_significant_bits:
            p2 = bin_exp - n_significant_bits - 1
            insignificant = INSIGNIFICANT_DIGITS[p2] if 1 < p2 < len(INSIGNIFICANT_DIGITS) else 0
        value = fract_bits << (bin_exp - EXP_SHIFT) if bin_exp >= EXP_SHIFT else fract_bits >> (EXP_SHIFT - bin_exp)
        return _long_digits(0, value, insignificant)

    dec_exp = _estimate_dec_exp(fract_bits, bin_exp)
    b5 = max(0, -dec_exp)
    b2 = b5 + n_tiny_bits + bin_exp
    s5 = max(0, dec_exp)
    s2 = s5 + n_tiny_bits
    m5 = b5
    m2 = b2 - n_significant_bits
    fract_bits >>= tail_zeros
    b2 -= n_fract_bits - 1
    common = min(b2, s2)
    b2, s2, m2 = b2 - common, s2 - common, m2 - common
    if n_fract_bits == 1:
        m2 -= 1
    if m2 < 0:
        b2, s2, m2 = b2 - m2, s2 - m2, 0

    b_bits = n_fract_bits + b2 + (N_5_BITS[b5] if b5 < len(N_5_BITS) else b5 * 3)
    ten_s_bits = s2 + 1 + (N_5_BITS[s5 + 1] if s5 + 1 < len(N_5_BITS) else (s5 + 1) * 3)
    b = fract_bits * 5**b5 << b2
    s = 5**s5 << s2
    m = 5**m5 << m2
    tens = s * 10
    # The JDK's int and long paths wrap on overflow (m, and b + m) and stop when b + m passes 10 * S; its
    # FDBigInteger path stops when b + m reaches 10 * S.
    width = 0 if b_bits >= 64 or ten_s_bits >= 64 else 32 if b_bits < 32 and ten_s_bits < 32 else 64
    digits: list[int] = []
    first = True
    while True:
        q, b = divmod(b, s)
        b *= 10
        m = _wrap(m * 10, width) if width else m * 10
        if not width:
            low, high = b < m, b + m >= tens
        elif m > 0 or first:
            low, high = b < m, _wrap(b + m, width) > tens
        else:
            low = high = True
        if not first:
            digits.append(q)
        elif q == 0 and not high:
            dec_exp -= 1  # the estimate was one too high: drop the leading zero
        else:
            digits.append(q)
        if first and (dec_exp < -3 or dec_exp >= 8):
            low = high = False  # E-form always has a digit after the point
        first = False
        if low or high:
            break
    low_digit_difference = (b << 1) - tens
    exponent = dec_exp + 1
    if high and (not low or low_digit_difference > 0 or (low_digit_difference == 0 and digits[-1] & 1)):
        i = len(digits) - 1
        while digits[i] == 9 and i > 0:
            digits[i] = 0
            i -= 1
        if digits[i] == 9:  # carry out of the first digit
            exponent += 1
            digits[0] = 1
        else:
            digits[i] += 1
    return "".join(map(str, digits)), exponent


def java_double(x: float) -> str:
    """`Double.toString(x)`: `NaN`, `Infinity`, `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `-0.0`, ..."""
    if x.__class__ is not float:
        x = float(x)
    if 1e-3 <= x < 1e7 or -1e7 < x <= -1e-3:  # the common case first (NaN fails every comparison)
        return repr(x)  # the plain range: the JDK's digits are the shortest ones here (see the JDK golden test)
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    sign = "-" if bits >> 63 else ""
    fract_bits = bits & SIGNIF_MASK
    bin_exp = (bits >> EXP_SHIFT) & 0x7FF
    if bin_exp == 0:
        if fract_bits == 0:
            return sign + "0.0"
        shift = (64 - fract_bits.bit_length()) - (63 - EXP_SHIFT)
        fract_bits <<= shift
        bin_exp = 1 - shift
        n_significant_bits = 64 - (64 - (fract_bits >> shift).bit_length())
    else:
        fract_bits |= FRACT_HOB
        n_significant_bits = EXP_SHIFT + 1
    digits, exponent = _dtoa(bin_exp - EXP_BIAS, fract_bits, n_significant_bits)
    return sign + _layout(digits, exponent)


def _layout(digits: str, exponent: int) -> str:
    """Java's layout of 0.DIGITS * 10^exponent: plain for 10^-3 <= |x| < 10^7, else d.dddE±n."""
    if 0 < exponent < 8:
        whole, fraction = digits[:exponent], digits[exponent:]
        return whole + "0" * (exponent - len(whole)) + "." + (fraction or "0")
    if -3 < exponent <= 0:
        return "0." + "0" * -exponent + digits
    return f"{digits[0]}.{digits[1:] or '0'}E{exponent - 1}"


# JDK 17 prints the smallest float subnormals with digits that are not the shortest ones (checked with jshell).
_JDK_FLOAT_SUBNORMALS = {"1e-45": "1.4e-45", "3e-45": "2.8e-45"}


def java_float(x: float) -> str:
    """`Float.toString(x)` of a float32 value (what MLeap's StringIndexer reads from a `float` column): the
    shortest float32 digits (NumPy's) in Java's layout. The JDK's float routine is not ported digit for digit
    as `java_double` is: for rare values the JDK prints a longer digit string (as for doubles)."""
    x32 = np.float32(x)
    if not math.isfinite(x32):
        return java_double(float(x32))
    if x32 == 0:
        return "-0.0" if math.copysign(1.0, float(x32)) < 0 else "0.0"
    text = str(abs(x32))
    _, digits, exponent = Decimal(_JDK_FLOAT_SUBNORMALS.get(text, text)).normalize().as_tuple()
    shown = "".join(map(str, digits))
    return ("-" if x32 < 0 else "") + _layout(shown, len(shown) + exponent)
