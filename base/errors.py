"""The one error type every layer raises for a value the caller supplied that cannot be used.

`InputError` means "the input's fault" (a null, text that is not a number, a vector of the wrong size, an
unseen label): servers answer it with a 4xx naming the value. Anything else raised while applying a model
is a bug or a broken model, answered with a 500 and logged.
"""

from __future__ import annotations


class InputError(ValueError):
    """A value that cannot be used: the input's fault, not the code's."""
