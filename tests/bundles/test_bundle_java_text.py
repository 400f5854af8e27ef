"""Java text semantics the text ops rely on: Pattern.split, regex translation, String.length, Character.isLetter.
(Spark itself is the oracle in test_bundle_text_spark_properties.py; these pin the edges by name.)"""

from __future__ import annotations

import pytest

from bundles import BundleError
from bundles.ops.base import Shape
from bundles.ops.regex_tokenizer import RegexTokenizer
from bundles.ops.tokenizer import Tokenizer
from jvm import regex


@pytest.mark.parametrize(("pattern", "text", "parts"), [
    ("\\s", "", [""]),  # no match: the whole text, even when empty
    ("\\s", "   ", []),  # only empty strings: all trailing, all dropped
    ("\\s", " a  b ", ["", "a", "", "b"]),  # a positive-width match at 0 keeps the leading ""
    ("", "abc", ["a", "b", "c"]),  # a zero-width match at 0 gives no leading ""
    ("(,)", "a,b", ["a", "b"]),  # groups are not part of the result (Python's re.split would add them)
    ("x*", "axxb", ["a", "", "b"]),  # an empty match right after "xx" (checked in jshell)
])
def test_split_is_javas_pattern_split(pattern, text, parts):
    assert regex.split(regex.compile_java(pattern), text) == parts


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    ("\\w+", "naïve café_1", ["na", "ve", "caf", "_1"]),  # \w is ASCII in Java
    ("\\p{L}+", "naïve 日本語", ["naïve", "日本語"]),
    ("\\p{Punct}", "a,b!é¿", [",", "!"]),  # POSIX classes are ASCII
    (".", "a\u2028b\u0085", ["a", "b"]),  # . stops at every Java line terminator
    ("\\Qa.b\\E", "a.b axb", ["a.b"]),
    ("(?<w>o)\\k<w>", "foo", ["oo"]),
    ("\\h+", "a\u00a0\tb", ["\u00a0\t"]),
])
def test_translated_patterns_match_what_java_matches(pattern, text, matches):
    assert regex.find_all(regex.compile_java(pattern), text) == matches


@pytest.mark.parametrize("pattern", ["[a-z&&[^aeiou]]", "[a[b]]", "\\p{IsLatin}", "\\G", "(?U)\\w", "\\X"])
def test_a_pattern_python_cannot_run_as_java_does_is_refused_when_the_bundle_loads(pattern):
    with pytest.raises(BundleError, match="regex_tokenizer pattern"):
        RegexTokenizer("rt", Shape.single("text", "tokens"), pattern)


def test_token_length_counts_utf16_units_and_letters_are_single_units():
    op = RegexTokenizer("rt", Shape.single("text", "tokens"), "\\s+", min_length=2, lowercase=False)
    assert op.apply("a 😀 ab É") == ["😀", "ab"]  # one emoji is two UTF-16 units
    assert regex.java_length("😀") == 2 and regex.java_is_letter("é") and not regex.java_is_letter("😀")


def test_tokenizer_lowercases_and_splits_on_single_ascii_whitespace():
    op = Tokenizer("t", Shape.single("text", "tokens"))
    assert op.apply(" Hello\u00a0World\tΟΔΟΣ  x") == ["", "hello\u00a0world", "οδος", "", "x"]
