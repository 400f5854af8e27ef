"""Read the raw CSV with Spark and check it against the schema in one pass.

Every problem becomes an InputError naming the column and the file: missing columns, empty input,
non-numeric text in a numeric column, a column with no values, missing labels, and missing feature
values the options do not handle. The result is a typed DataFrame: `_row` (input order), the label
(double), categorical columns (raw strings) and numeric columns (double; null/NaN where missing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from glue_jobs import labels
from glue_jobs.table_schema import Column, InputError, TableSchema

ROW = "_row"
TEXT = "_text_"  # prefix of a number column's text as the file had it (for the sample rows)
FILE = "_file"
LABEL_INDEX = "_label_index"


@dataclass
class Table:
    df: Any  # pyspark DataFrame, cached
    label: str
    categorical: list[str]
    numeric: list[str]
    rows: int
    label_stats: dict[str, float]
    missing: dict[str, int] = field(default_factory=dict)  # feature column -> null/NaN count
    types: dict[str, str] = field(default_factory=dict)  # every used column -> its schema type
    columns: list[str] = field(default_factory=list)  # every input column in the file's order (label included)
    classes: list[str] | None = None  # classification: class names in index order (None: regression)

    @property
    def target(self) -> str:
        """The column the split CSVs carry first: the label, or its class index for a classification."""
        return LABEL_INDEX if self.classes else self.label

    @property
    def request_columns(self) -> list[str]:
        """The columns a request row holds, in the file's order: every input column but the label."""
        return [c for c in self.columns if c != self.label]


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def as_double(name: str):
    """A string column as double; unparseable text becomes null (also under ANSI mode)."""
    from pyspark.sql import functions as F

    return F.expr(f"try_cast({_quoted(name)} AS DOUBLE)")


def _named_columns(raw, schema: TableSchema | None, where: str) -> list[tuple[str, str]]:
    """(raw column, schema name) pairs, checking that every schema column is present."""
    if not raw.columns:
        raise InputError(f"{where}: the input is empty (no columns, no rows)")
    if schema is None or schema.header:
        wanted = schema.names if schema is not None else raw.columns
        missing = [n for n in wanted if n not in raw.columns]
        if missing:
            raise InputError(f"{where}: column(s) {', '.join(map(repr, missing))} missing from the header "
                             f"(found: {', '.join(raw.columns)})")
        return [(n, n) for n in raw.columns if n in wanted]  # the file's order
    if len(raw.columns) != len(schema.columns):
        detail = (f"missing: {', '.join(schema.names[len(raw.columns):])}"
                  if len(raw.columns) < len(schema.columns) else "extra columns at the end")
        raise InputError(f"{where}: rows have {len(raw.columns)} fields but the schema lists "
                         f"{len(schema.columns)} columns ({detail})")
    return list(zip(raw.columns, schema.names, strict=True))


def _feature_lists(schema: TableSchema, categorical: list[str] | None,
                   numeric: list[str] | None) -> tuple[list[str], list[str]]:
    default_cats, default_nums = schema.features()
    cats = list(categorical) if categorical else [c for c in default_cats if c not in (numeric or [])]
    nums = list(numeric) if numeric else [c for c in default_nums if c not in (categorical or [])]
    for name in cats + nums:
        schema.column(name)
        if name == schema.label:
            raise InputError(f"label column {name!r} cannot also be a feature")
    both = sorted(set(cats) & set(nums))
    if both:
        raise InputError(f"column(s) {', '.join(both)} listed as both categorical and numeric")
    if not cats and not nums:
        raise InputError("no feature columns: the schema lists only the label")
    return cats, nums


def read_table(spark, source: str, schema: TableSchema | None, *, label: str | None = None,
               categorical: list[str] | None = None, numeric: list[str] | None = None,
               impute: str = "none", handle_invalid: str = "error", task: str = "auto",
               display: Callable[[str], str] = str) -> Table:
    """Read and check `source` (a file or folder Spark can read); `display` maps paths to what users gave."""
    from pyspark.sql import functions as F

    where = display(source)
    header = schema.header if schema is not None else True
    raw = (spark.read.option("header", str(header).lower()).option("inferSchema", "false")
           .option("escape", '"')  # RFC 4180 quoting ("" inside quotes), not Spark's default backslash
           .option("recursiveFileLookup", "true")  # every file under a folder, as storage.list_files lists them
           .csv(source))
    pairs = _named_columns(raw, schema, where)
    named = raw.select(*(F.col(_quoted(src)).alias(name) for src, name in pairs),
                       F.input_file_name().alias(FILE), F.monotonically_increasing_id().alias(ROW))

    stats = _column_stats(named, [name for _, name in pairs], label or (schema.label if schema else None))
    rows = stats["rows"]
    if rows == 0:
        raise InputError(f"{where}: no data rows (the input is empty{' or holds only a header' if header else ''})")
    if schema is None:
        schema = _inferred_schema([name for _, name in pairs], stats, label, where, task)
    elif label:
        schema = TableSchema(schema.columns, label, schema.header)
    if schema.label not in schema.names:
        raise InputError(f"{where}: label column {schema.label!r} is not in the input")
    cats, nums = _feature_lists(schema, categorical, numeric)
    classify = labels.is_classification(task, schema.column(schema.label).numeric)
    if not classify and not schema.column(schema.label).numeric:
        raise InputError(f"{where}: label column {schema.label!r} is text; --task regression needs numbers "
                         "(use --task classification or auto)")
    _check(stats, schema, cats, nums, impute, handle_invalid, where, display, classify)

    names = [name for _, name in pairs]
    unused = [n for n in names if n not in (schema.label, *cats, *nums)]  # kept as text for the sample rows
    s = stats[schema.label]
    classes = None
    label_stats = {"count": rows, "min": s["min"], "max": s["max"], "mean": s["mean"], "stddev": s["stddev"]}
    if classify:
        classes, counts, target = _classes(named, schema.label, where)
        label_col = [F.col(_quoted(schema.label)).alias(schema.label), target.alias(LABEL_INDEX)]
        label_stats = {"count": rows, "classes": counts}
    else:
        label_col = [as_double(schema.label).alias(schema.label)]
    texts = [F.col(_quoted(n)).alias(TEXT + n) for n in [*([] if classify else [schema.label]), *nums]]
    typed = named.select(ROW, *label_col, *cats, *(as_double(n).alias(n) for n in nums), *unused, *texts).cache()
    return Table(
        df=typed, label=schema.label, categorical=cats, numeric=nums, rows=rows, label_stats=label_stats,
        missing={**{c: stats[c]["nulls"] for c in cats}, **{c: stats[c]["missing"] for c in nums}},
        types={c: schema.column(c).type for c in [schema.label, *cats, *nums]},
        columns=names, classes=classes,
    )


def _classes(named, label: str, where: str) -> tuple[list[str], dict[str, int], Any]:
    """(class names in index order, rows per class, the Spark expression of a row's class index as a double).

    Raises InputError for one class or more than labels.MAX_CLASSES."""
    from pyspark.sql import functions as F

    value = F.trim(F.col(_quoted(label)))
    found = (named.where(value.isNotNull() & (value != "")).groupBy(value.alias("v")).count()
             .limit(4 * labels.MAX_CLASSES + 1).collect())
    classes = labels.ordered_classes(r["v"] for r in found)
    problems = labels.class_problems(classes, label, where)
    if problems:
        raise InputError.of(problems)
    index = {name: i for i, name in enumerate(classes)}
    counts = dict.fromkeys(classes, 0)
    pairs = []
    for r in found:
        name = labels.class_name(r["v"])
        if name in index:
            counts[name] += r["count"]
            pairs += [F.lit(r["v"]), F.lit(float(index[name]))]
    return classes, counts, F.element_at(F.create_map(*pairs), value)


def _column_stats(named, names: list[str], label: str | None) -> dict:
    """One aggregation: per column null and null-or-NaN counts, unparseable-number count, examples, files."""
    from pyspark.sql import functions as F

    aggs = [F.count(F.lit(1)).alias("rows")]
    for i, name in enumerate(names):
        col, num = F.col(_quoted(name)), as_double(name)
        missing = col.isNull() | F.isnan(num)
        bad = col.isNotNull() & num.isNull()
        aggs += [
            F.sum(missing.cast("long")).alias(f"missing{i}"),
            F.min(F.when(missing, F.col(FILE))).alias(f"missing_file{i}"),
            F.sum(col.isNull().cast("long")).alias(f"nulls{i}"),
            F.min(F.when(col.isNull(), F.col(FILE))).alias(f"null_file{i}"),
            F.sum(bad.cast("long")).alias(f"bad{i}"),
            F.min(F.when(bad, col)).alias(f"bad_example{i}"),
            F.min(F.when(bad, F.col(FILE))).alias(f"bad_file{i}"),
        ]
        if name == label:
            aggs += [F.min(num).alias("label_min"), F.max(num).alias("label_max"),
                     F.mean(num).alias("label_mean"), F.stddev(num).alias("label_stddev")]
    row = named.agg(*aggs).first().asDict()
    stats: dict[str, Any] = {"rows": row["rows"]}
    for i, name in enumerate(names):
        keys = ("missing", "missing_file", "nulls", "null_file", "bad", "bad_example", "bad_file")
        stats[name] = {k: row[f"{k}{i}"] for k in keys}
        for k in ("missing", "nulls", "bad"):
            stats[name][k] = stats[name][k] or 0
        if name == label:
            stats[name].update({k: row[f"label_{k}"] for k in ("min", "max", "mean", "stddev")})
    return stats


def _inferred_schema(names: list[str], stats: dict, label: str | None, where: str, task: str = "auto") -> TableSchema:
    """Without a schema file: a column is numeric when every value parses as a number."""
    if not label:
        raise InputError(f"{where}: without a schema file, name the label column (--label)")
    cols = tuple(Column(n, "double" if stats[n]["bad"] == 0 and stats[n]["missing"] < stats["rows"] else "string")
                 for n in names)
    schema = TableSchema(cols, label, header=True)
    if label in names and not schema.column(label).numeric and task == "regression":
        raise InputError(f"{where}: label column {label!r} has non-numeric values, "
                         f"e.g. {stats[label]['bad_example']!r}")
    return schema


def _file_name(path: str | None, display: Callable[[str], str], where: str) -> str:
    if not path:
        return where
    return display(path.removeprefix("file://"))


def _check(stats: dict, schema: TableSchema, cats: list[str], nums: list[str], impute: str,
           handle_invalid: str, where: str, display: Callable[[str], str], classify: bool = False) -> None:
    """Every problem found in the data, raised together as one InputError."""
    rows = stats["rows"]
    problems = []
    for name in [schema.label, *cats, *nums]:
        s = stats[name]
        if (s["nulls"] if name in cats else s["missing"]) == rows:
            problems.append(f"column {name!r} in {where} has no values: all {rows} rows are empty/null")
            continue
        numeric = (name == schema.label and not classify) or name in nums
        if numeric and s["bad"]:
            problems.append(
                f"column {name!r} in {_file_name(s['bad_file'], display, where)} should be numeric but holds "
                f"text, e.g. {s['bad_example']!r} ({s['bad']} of {rows} rows)")
    label = stats[schema.label]
    if classify:
        label = {**label, "missing": label["nulls"], "missing_file": label["null_file"]}
    if label["missing"] and label["missing"] < rows:
        problems.append(f"label column {schema.label!r} in {_file_name(label['missing_file'], display, where)} "
                        f"is missing in {label['missing']} of {rows} rows; every row needs a label")
    problems += missing_value_problems(
        {n: (stats[n]["missing"], _file_name(stats[n]["missing_file"], display, where)) for n in nums},
        {n: (stats[n]["nulls"], _file_name(stats[n]["null_file"], display, where)) for n in cats},
        impute, handle_invalid, rows)
    if problems:
        raise InputError.of(problems)


def missing_value_problems(numeric: dict[str, tuple[int, str]], categorical: dict[str, tuple[int, str]],
                           impute: str, handle_invalid: str, rows: int) -> list[str]:
    """Problems for missing feature values the options leave unhandled; each column maps to (count, file)."""
    problems = []
    for name, (count, file) in numeric.items():
        if count and count < rows and impute == "none":
            problems.append(f"column {name!r} in {file} has {count} missing values (null/NaN); "
                            "pass --impute mean|median|mode to fill them")
    for name, (count, file) in categorical.items():
        if count and count < rows and handle_invalid == "error":
            problems.append(f"column {name!r} in {file} has {count} missing values; pass --handle-invalid keep "
                            "to give them their own category (or skip to drop those rows)")
    return problems
