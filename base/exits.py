"""Exit codes, the same in every `sparkleap` command (documented in the README).

0   success
1   the work ran and failed: a model, endpoint or AWS refused or could not be reached, a job did not
    finish, some records/files failed (each is named on stderr)
2   the command, its arguments or its input are wrong (also argparse's usage errors): nothing was done;
    the message names the flag, file or column to fix
130 interrupted (Ctrl-C)
"""

from __future__ import annotations

import sys

OK = 0
FAILED = 1
BAD_INPUT = 2
INTERRUPTED = 130


def fail(command: str, error: BaseException | str, code: int) -> int:
    """Print `sparkleap COMMAND: error: ...` on stderr (a one-line error is kept on one line) and return `code`."""
    text = str(error).strip()
    if "\n" not in text:
        text = " ".join(text.split())
    print(f"sparkleap {command}: error: {text}", file=sys.stderr)
    return code
