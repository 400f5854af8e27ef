"""Command-line parsing shared by every sparkleap command: no abbreviated options, "did you mean" for a
misspelled command or option, and argument types that refuse bad values while parsing (exit 2, before
anything starts)."""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Callable

_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")


class Parser(argparse.ArgumentParser):
    """argparse with `allow_abbrev=False` (its sub-command parsers too) and suggestions in its errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and not self._subparsers:  # a leaf command: unknown options are its to name
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._option_hint(extras)}")
        return parsed, extras

    def _option_hint(self, extras: list[str]) -> str:
        known = [o for o in self._option_string_actions if o.startswith("--")]
        for extra in extras:
            if extra.startswith("--"):
                close = difflib.get_close_matches(extra.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    return f" (did you mean {close[0]}?)"
        return ""

    def error(self, message: str):
        match = _INVALID_CHOICE.search(message)
        if match:
            choices = re.findall(r"'([^']*)'", match.group(2))
            close = difflib.get_close_matches(match.group(1), choices, n=1, cutoff=0.5)
            if close:
                message += f"; did you mean {close[0]!r}?"
        super().error(message)


def positive_float(text: str) -> float:
    """A number > 0 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type for whole numbers in low..high."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number {low}..{high}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number {low}..{high}, got {value}")
        return value

    return parse


PORT = int_between(1, 65535)
