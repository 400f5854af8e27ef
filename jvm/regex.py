"""Java text semantics for the text ops: `java.util.regex` patterns run on Python's `re`, `Pattern.split`,
`String.length` (UTF-16 units) and `Character.isLetter`.

Spark's RegexTokenizer and Tokenizer run Java regexes. `translate` rewrites a Java pattern into an
equivalent Python one, construct by construct:
- `\\w \\d \\s` and their negations are ASCII in Java (as without `UNICODE_CHARACTER_CLASS`): written out as
  ASCII classes, while `\\b` stays Unicode-aware on both sides;
- `.` excludes every Java line terminator (\\n \\r \\u0085 \\u2028 \\u2029), not only \\n;
- `\\p{Lower} \\p{Alpha} \\p{Punct} ...` (POSIX, ASCII in Java), `\\p{L} \\p{IsLu} \\pN ...` (Unicode general
  categories, from Python's `unicodedata`), `\\h`, `\\v`, `\\R`, `\\Q...\\E`, `\\e`, `\\x{...}`, `\\z`,
  `(?<name>...)`, `\\k<name>`.
Refused with a ValueError naming the construct: class intersections/unions (`&&`, nested `[...]`),
scripts and blocks (`\\p{IsLatin}`, `\\p{InGreek}`), `\\G`, `\\X`, `\\Z`, `(?u)`/`(?U)`/`(?d)` flags.
Known remaining differences: `(?i)` folds non-ASCII letters in Python but not in Java; Python's
`unicodedata` may be a newer Unicode version than Java 17's (13.0); `$` without `(?m)` matches before a
final \\n in Python but before any final line terminator in Java.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache

LINE_TERMINATORS = "\n\r\u0085\u2028\u2029"
_ASCII_CLASSES = {
    "w": "a-zA-Z_0-9", "d": "0-9", "s": " \\t\\n\\x0b\\f\\r",
    "W": "\\x00-/:-@\\[-^`{-\\U0010ffff", "D": "\\x00-/:-\\U0010ffff",
    "S": "\\x00-\\x08\\x0e-\\x1f!-\\U0010ffff",
    "h": " \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000",
    "v": "\\n\\x0b\\f\\r\\x85\\u2028\\u2029",
}
_POSIX = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7f", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~", "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0b\\f\\r",
}
_SIMPLE_ESCAPES = {"e": "\\x1b", "a": "\\x07", "t": "\\t", "n": "\\n", "r": "\\r", "f": "\\f"}


@cache
def _category_ranges(category: str) -> str:
    """Class body (ranges) of every code point whose general category starts with `category` (L, Lu, ...)."""
    parts = []
    start = prev = None
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)).startswith(category):
            if start is None:
                start = cp
            prev = cp
            continue
        if start is not None:
            parts.append(_range(start, prev))
            start = None
    if start is not None:
        parts.append(_range(start, prev))
    return "".join(parts)


def _range(a: int, b: int) -> str:
    return f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"


def _property(name: str, negated: bool, in_class: bool) -> str:
    body = _POSIX.get(name[2:] if name.startswith("Is") and name[2:] in _POSIX else name)
    if body is None:
        cat = name[2:] if name.startswith("Is") else name
        if len(cat) in (1, 2) and cat[0] in "LMNPSZC" and (len(cat) == 1 or cat[1].islower()):
            body = _category_ranges(cat)
        else:
            raise ValueError(f"Java regex property \\p{{{name}}} is not supported")
    if negated:
        if in_class:
            raise ValueError(f"a negated property \\P{{{name}}} inside a character class is not supported")
        return f"[^{body}]"
    return body if in_class else f"[{body}]"


def translate(pattern: str) -> str:
    """A Python `re` pattern that matches what the Java pattern matches; ValueError for unsupported parts."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    dotall = bool(re.match(r"\(\?[a-z]*s", pattern))
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise ValueError("the pattern ends with a lone backslash")
            e = pattern[i + 1]
            i += 2
            if e == "Q":
                end = pattern.find("\\E", i)
                literal = pattern[i:] if end < 0 else pattern[i:end]
                out.append("".join("\\" + ch if not ch.isalnum() else ch for ch in literal))
                i = n if end < 0 else end + 2
            elif e in _ASCII_CLASSES:
                body = _ASCII_CLASSES[e]
                out.append(body if in_class else f"[{body}]")
            elif e in "pP":
                if i < n and pattern[i] == "{":
                    end = pattern.index("}", i)
                    name, i = pattern[i + 1:end], end + 1
                else:
                    name, i = pattern[i], i + 1
                out.append(_property(name, e == "P", in_class))
            elif e in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[e])
            elif e == "x" and i < n and pattern[i] == "{":
                end = pattern.index("}", i)
                out.append(f"\\U{int(pattern[i + 1:end], 16):08x}")
                i = end + 1
            elif e == "z":
                out.append("\\Z")
            elif e == "R":
                out.append("(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])")
            elif e == "k" and i < n and pattern[i] == "<":
                end = pattern.index(">", i)
                out.append(f"(?P={pattern[i + 1:end]})")
                i = end + 1
            elif e == "c" and i < n:
                out.append(f"\\x{ord(pattern[i]) ^ 64:02x}")
                i += 1
            elif e in "GXZH" or (e.isalpha() and e not in "bBAux0"):
                raise ValueError(f"Java regex construct \\{e} is not supported")
            elif e == "0":
                j = i
                while j < n and j < i + 3 and pattern[j] in "01234567":
                    j += 1
                out.append(f"\\x{int(pattern[i:j] or '0', 8):02x}")
                i = j
            else:
                out.append("\\" + e)
            continue
        if in_class:
            if c == "[":
                raise ValueError("nested character classes ([a[b]]) are not supported")
            if c == "&" and pattern.startswith("&&", i):
                raise ValueError("character class intersections (&&) are not supported")
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a leading ] is a literal in Java too
                out.append("\\]")
                i += 1
            continue
        if c == "." and not dotall:
            out.append("[^\\n\\r\\x85\\u2028\\u2029]")
        elif c == "(" and pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        elif c == "(" and re.match(r"\(\?[a-zA-Z-]*[uUd]", pattern[i:]):
            raise ValueError("the Java regex flags u, U and d are not supported")
        else:
            out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=64)
def compile_java(pattern: str) -> re.Pattern:
    """The compiled Python equivalent of a Java pattern; ValueError (naming the problem) if it has none."""
    try:
        return re.compile(translate(pattern))
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None


def split(regex: re.Pattern, text: str) -> list[str]:
    """Java's `Pattern.split(text)` (limit 0): no leading empty string for a zero-width match at 0, trailing
    empty strings removed, the whole text when nothing matches, no capture groups in the result."""
    out: list[str] = []
    index = 0
    for m in regex.finditer(text):
        if index == 0 and m.start() == 0 and m.end() == 0:
            continue
        out.append(text[index:m.start()])
        index = m.end()
    if index == 0 and not out:
        return [text]
    out.append(text[index:])
    while out and not out[-1]:
        out.pop()
    return out


def find_all(regex: re.Pattern, text: str) -> list[str]:
    """Scala's `regex.findAllIn(text)`: every match's text, left to right."""
    return [m.group(0) for m in regex.finditer(text)]


def java_length(text: str) -> int:
    """Java's `String.length`: UTF-16 code units (a character beyond U+FFFF counts 2)."""
    return len(text) if text.isascii() else len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def java_is_letter(ch: str) -> bool:
    """Java's `Character.isLetter(char)` for one UTF-16 unit (a character beyond U+FFFF is two surrogates: False)."""
    return ord(ch) <= 0xFFFF and unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo")
