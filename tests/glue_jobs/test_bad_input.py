"""Bad input: a clear message naming the column and the file, a non-zero exit, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glue_jobs.job import JobError
from glue_jobs.preprocess import preprocess
from glue_jobs.table_schema import InputError
from sparkleap.cli import main

GOOD = ["M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15", "F,0.53,0.42,0.135,0.677,0.2565,0.1415,0.21,9",
        "I,0.33,0.255,0.08,0.205,0.0895,0.0395,0.055,7", "M,0.44,0.365,0.125,0.516,0.2155,0.114,0.155,10"] * 5
HEADER = "sex,length,diameter,height,whole_weight,shucked_weight,viscera_weight,shell_weight,rings"


def blank(column: int, rows: list[str], every: int = 1) -> list[str]:
    """Empty field `column` in every `every`-th row."""
    out = []
    for i, row in enumerate(rows):
        fields = row.split(",")
        if i % every == 0:
            fields[column] = ""
        out.append(",".join(fields))
    return out


CASES = {
    "a column is missing": ("\n".join(r.rsplit(",", 1)[0] for r in GOOD), None, {}, ["rings", "8 fields"]),
    "text in a numeric column": ("\n".join([*GOOD, "F,0.5,abc,0.1,0.2,0.3,0.1,0.2,8"]), None, {},
                                 ["'diameter'", "'abc'", "numeric"]),
    "an empty file": ("", None, {}, ["empty"]),
    "a label is missing": ("\n".join(blank(8, GOOD, every=7)), None, {}, ["'rings'", "label"]),
    "a column with no values": ("\n".join(blank(3, GOOD)), None, {}, ["'height'", "no values"]),
    "missing numbers without imputation": ("\n".join(blank(1, GOOD, every=3)), None, {},
                                           ["'length'", "--impute"]),
    "missing categories without keep": ("\n".join(blank(0, GOOD, every=3)), None, {},
                                        ["'sex'", "--handle-invalid keep"]),
    "only a header": (HEADER + "\n", {"header": True}, {}, ["no data rows"]),
    "the label is not in the header": ("\n".join([HEADER.replace("rings", "age"), *GOOD]), {"header": True}, {},
                                       ["'rings'", "missing from the header"]),
    "the label is not a column": ("\n".join(GOOD), None, {"label": "age"}, ["'age'", "not in the schema"]),
}


def schema_file(tmp_path: Path, abalone_schema: str, overrides: dict | None) -> str:
    if not overrides:
        return abalone_schema
    doc = {**json.loads(Path(abalone_schema).read_text()), **overrides}
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_names_column_and_file_and_writes_nothing(case, spark, tmp_path, abalone_schema):
    text, schema_overrides, options, fragments = CASES[case]
    data = tmp_path / "in" / "bad-data.csv"
    data.parent.mkdir()
    data.write_text(text + ("\n" if text and not text.endswith("\n") else ""))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError) as caught:
        preprocess(str(data), str(out / "run"), schema_file(tmp_path, abalone_schema, schema_overrides),
                   spark=spark, quiet=True, **options)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    if "schema" not in message:
        assert "bad-data.csv" in message, message
    assert list(out.iterdir()) == []


def test_the_bad_file_in_a_folder_tree_is_named(spark, tmp_path, abalone_schema):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.csv").write_text("\n".join(GOOD) + "\n")
    (folder / "more").mkdir()
    (folder / "more" / "b-bad.csv").write_text("\n".join([*GOOD, "F,0.5,0.4,0.1,0.2,0.3,0.1,heavy,8"]) + "\n")
    with pytest.raises(InputError, match=r"'shell_weight' in .*/in/more/b-bad\.csv .*'heavy'"):
        preprocess(str(folder), str(tmp_path / "run"), abalone_schema, spark=spark, quiet=True)


def test_a_failed_rerun_leaves_the_previous_run_alone(spark, tmp_path, abalone_schema):
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text("{}")
    data = tmp_path / "bad.csv"
    data.write_text("\n".join(blank(2, GOOD)) + "\n")
    with pytest.raises(InputError):
        preprocess(str(data), str(run), abalone_schema, spark=spark, quiet=True)
    assert [p.name for p in run.iterdir()] == ["manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "run"]


def test_cli_exits_non_zero_with_a_one_line_message(spark, tmp_path, abalone_schema, capsys):
    missing = tmp_path / "nowhere.csv"
    code = main(["preprocess", "--input", str(missing), "--output", str(tmp_path / "run"),
                 "--schema", abalone_schema, "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("sparkleap preprocess: error:") and "nowhere.csv" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(("doc", "fragment"), [
    ({"columns": []}, "non-empty"),
    ({"columns": [{"name": "a", "type": "decimal"}, {"name": "b", "type": "double"}], "label": "b"}, "'decimal'"),
    ({"columns": [{"name": "a", "type": "string"}, {"name": "a", "type": "double"}], "label": "a"}, "twice: a"),
    ({"columns": [{"name": "a", "type": "string"}, {"name": "b", "type": "double"}]}, "no label"),
    ({"columns": [{"name": "a", "type": "string"}, {"name": "b", "type": "double"}], "label": "c"},
     "'c' is not in the schema"),
])
def test_bad_schema_files_are_rejected_before_spark_runs(doc, fragment, tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(doc))
    (tmp_path / "data.csv").write_text("x,1\n")
    with pytest.raises(InputError, match="schema.json") as caught:
        preprocess(str(tmp_path / "data.csv"), str(tmp_path / "run"), str(schema), spark=object(), quiet=True)
    assert fragment in str(caught.value)
    assert not (tmp_path / "run").exists()


def test_mleap_serializer_without_its_jar_is_a_clear_error(spark, tmp_path, abalone_schema):
    data = tmp_path / "data.csv"
    data.write_text("\n".join(GOOD) + "\n")
    with pytest.raises(JobError, match="MLeap Spark JAR .* --serializer ours"):
        preprocess(str(data), str(tmp_path / "run"), abalone_schema, spark=spark, quiet=True, serializer="mleap")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]
