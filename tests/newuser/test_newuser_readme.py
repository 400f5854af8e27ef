"""Item 10: the README tells a new user how to call the CLI, the schema file's format, a transform example,
what to do about missing values, and the exit codes."""

from __future__ import annotations

import re

from tests.helpers.houses import REPO


def _section(text: str, title: str) -> str:
    start = text.index(title)
    following = text.find("\n## ", start + 1)
    return text[start:following if following != -1 else None]


def test_the_readme_guides_a_new_user_after_make_run():
    readme = (REPO / "README.md").read_text()
    assert readme.splitlines()[3:5] == ["make run     # set up .venv, preprocess abalone on embedded Spark, train "
                                        "XGBoost, deploy the pipeline locally, predict",
                                        "make test    # set up the venvs and run the test tiers (3.5 suite, Spark 4 "
                                        "parity, Python 3.13)"]
    guide = _section(readme, "## Your own data")
    assert ".venv/bin/sparkleap" in guide and "source .venv/bin/activate" in guide
    assert '"columns": [{"name": "sex", "type": "string"}' in guide and '"header": false' in guide
    assert re.search(r"^sparkleap transform --run \S+ --input \S+ --output \S+", guide, re.M)
    assert "**Missing values.**" in guide and "--impute mean|median|mode" in guide and "null" in guide
    codes = re.findall(r"^\| (\d+) \|", guide, re.M)
    assert codes == ["0", "1", "2", "130"]


def test_the_exit_codes_in_the_readme_are_the_codes_the_commands_use():
    from base import exits

    guide = _section((REPO / "README.md").read_text(), "## Your own data")
    assert {int(c) for c in re.findall(r"^\| (\d+) \|", guide, re.M)} == {
        exits.OK, exits.FAILED, exits.BAD_INPUT, exits.INTERRUPTED}
