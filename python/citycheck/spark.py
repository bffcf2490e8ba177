"""citycheck on Apache Spark: the record computation where the records lie (issue 21).

:func:`compute` is :func:`citycheck.compute` for records held as pyspark DataFrames (one per
object type). The records never leave the executors: each Spark partition runs citycheck's
own record computation on its Arrow batches (``mapInArrow``) and returns the partial sums
per finest unit — numerator, denominator and unknown count per indicator, and the number of
records; Spark adds the parts up by unit (``groupBy(…).sum(…)``); the driver rolls the added
sums up to the coarser levels with the library's own roll-up (the same plan, checks and
code as on one machine), so every rate is a ratio of sums and the rows equal
:func:`citycheck.compute`'s. Duplicate ids are counted by Spark over all records, and the
object ledger is written by the executors as partitioned Parquet. :func:`run` runs a run
config whose ``[compute]`` names Parquet records: computed on Spark, then the small panel is
scored centrally and the output folder written as :func:`citycheck.run` writes it.
:func:`read_records` reads record files into one DataFrame per object type, checking that
the files of one table agree.

pyspark (``pip install citycheck[spark]``, Java 17) is imported only when these functions
run: ``import citycheck`` never imports it. The executors need citycheck installed (README,
"Spark").

The record computation of a partition fails once, for tests of Spark's retries, when the
environment variable ``CITYCHECK_SPARK_FAIL_ONCE`` names a file that does not exist yet (the
first attempt creates it); it is read on the driver when the job is built.

>>> import citycheck.spark
>>> citycheck.spark.compute.__name__
'compute'
>>> from pyspark.sql import SparkSession                                   # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()          # doctest: +SKIP
>>> records = citycheck.spark.read_records(spark, ["datasets/province_parquet"])  # doctest: +SKIP
>>> out = citycheck.spark.compute(records, cc.Catalog.builtin("mohurd-2023"))     # doctest: +SKIP
>>> out.indicators.where("level = 'city'").show()                          # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, arrow_source
from .catalog import Catalog
from .checkup import _result_of
from .computed import Computed
from .panel import Panel
from .result import Result

if TYPE_CHECKING:
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import SparkSession

__all__ = ["SparkComputed", "compute", "read_records", "run"]

#: The environment variable that makes a partition's computation fail once (tests of retries).
FAIL_ONCE = "CITYCHECK_SPARK_FAIL_ONCE"
#: The object types, finest first; a table's type is its finest id column (as the library reads).
_LEVELS = ("building", "compound", "community", "block", "district", "city")
#: Records summed at once in a partition: bounds an executor's memory, whatever the partition.
ROWS_PER_BATCH = 1_000_000
#: The columns of indicators.csv and their Spark types.
_INDICATORS = (
    ("unit", "string"),
    ("level", "string"),
    ("year", "int"),
    ("indicator", "string"),
    ("value", "double"),
    ("numerator", "double"),
    ("denominator", "double"),
    ("unknown", "bigint"),
    ("objects", "bigint"),
)


def _pyspark() -> Any:
    """The pyspark package, or an ImportError that says how to install it."""
    try:
        import pyspark
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("citycheck.spark needs pyspark (and Java 17): pip install 'citycheck[spark]'") from e
    return pyspark


@dataclass
class SparkComputed:
    """Indicators computed on Spark (:func:`compute`).

    Attributes
    ----------
    indicators : pyspark.sql.DataFrame
        The columns of indicators.csv — ``unit, level, year, indicator, value, numerator,
        denominator, unknown, objects`` — one row per unit, year and indicator at every level,
        the rows of :func:`citycheck.compute` on the same records.
    issues : list of dict
        What was found: records without ids, duplicate ids, objects under two parents, …
    ledger : str or None
        Where the executors wrote the object ledger (Parquet partitioned by ``year`` and
        ``level``), None when no ledger was asked for or no formula lists problems.

    >>> out = SparkComputed(indicators=None, issues=[], ledger=None)
    >>> out.issues
    []
    """

    indicators: SparkDataFrame
    issues: list[dict[str, Any]] = field(default_factory=list)
    ledger: str | None = None

    def panel(self, level: str = "city") -> Panel:
        """The indicators of ``level`` collected to the driver as a :class:`~citycheck.Panel`
        to score (small: one row per unit, year and indicator).

        >>> out = SparkComputed(indicators=None)
        >>> out.panel("city").units                                         # doctest: +SKIP
        ['C01', 'C02']
        """
        from pyspark.sql import functions as F

        rows = self.indicators.where(F.col("level") == level).select("unit", "year", "indicator", "value")
        frame = pl.from_arrow(_to_arrow(rows))
        assert isinstance(frame, pl.DataFrame)
        return Panel.from_frame(frame, unit="unit", year="year", indicator="indicator", value="value")


# ---------------------------------------------------------------------------------------
# Types between Spark and Arrow
# ---------------------------------------------------------------------------------------


def _quoted(name: str) -> str:
    """A column name as Spark reads it whatever it holds (``gas:numerator``, dots)."""
    return "`" + name.replace("`", "``") + "`"


def _arrow_of(spark_schema: Any) -> Any:
    """The Arrow schema of a Spark schema (as mapInArrow hands batches over)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(spark_schema)


def _spark_and_arrow(arrow_schema: Any) -> tuple[Any, Any]:
    """The Spark schema of a table the native side made, and the Arrow schema its batches are
    cast to before Spark takes them (text as ``string``, integers signed)."""
    import pyarrow as pa
    from pyspark.sql import types as T

    spark_fields, arrow_fields = [], []
    for f in arrow_schema:
        t = f.type
        if pa.types.is_int32(t):
            spark_type, arrow_type = T.IntegerType(), pa.int32()
        elif pa.types.is_integer(t):
            spark_type, arrow_type = T.LongType(), pa.int64()
        elif pa.types.is_floating(t):
            spark_type, arrow_type = T.DoubleType(), pa.float64()
        elif pa.types.is_boolean(t):
            spark_type, arrow_type = T.BooleanType(), pa.bool_()
        else:
            spark_type, arrow_type = T.StringType(), pa.string()
        spark_fields.append(T.StructField(f.name, spark_type, True))
        arrow_fields.append(pa.field(f.name, arrow_type))
    return T.StructType(spark_fields), pa.schema(arrow_fields)


def _to_arrow(frame: SparkDataFrame) -> Any:
    """A (small) Spark DataFrame collected to the driver as a pyarrow Table."""
    import pyarrow as pa

    if hasattr(frame, "toArrow"):  # pyspark >= 4.0
        return frame.toArrow()
    batches = frame._collect_as_arrow()  # pyspark 3.5
    return pa.Table.from_batches(batches, schema=_arrow_of(frame.schema))


def _to_spark(spark: SparkSession, indicators: pl.DataFrame) -> SparkDataFrame:
    """The indicators table (polars, on the driver) as a Spark DataFrame of indicators.csv's
    columns and types."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int32(), "double": pa.float64(), "bigint": pa.int64()}
    target = pa.schema([(name, types[t]) for name, t in _INDICATORS])
    table = indicators.to_arrow().cast(target)
    ddl = ", ".join(f"{name} {t}" for name, t in _INDICATORS)
    if spark.version >= "4":
        return spark.createDataFrame(table, schema=ddl)
    return spark.createDataFrame(table.to_pandas(), schema=ddl)  # pragma: no cover - pyspark 3.5


# ---------------------------------------------------------------------------------------
# Errors from the executors
# ---------------------------------------------------------------------------------------

# A citycheck exception raised in a Python worker, as Spark reports it ("citycheck.DataError: …").
_NATIVE_ERROR = re.compile(r"citycheck\.(CitycheckError|CatalogError|DataError|SpecError|MethodError|IoError): (.*)")
# Spark's Parquet reader on a file whose column type differs from the table's (3.5, then 4.x).
_PARQUET_MISMATCH = (
    re.compile(
        r"Parquet column cannot be converted in file (\S+?)\. Column: \[([^\]]*)\], Expected: (\w+), Found: (\w+)"
    ),
    re.compile(
        r"rror while reading file (\S+?)\. Data type mismatches when reading Parquet column \[?([^\]\s]+?)\]?\. "
        r"Expected Spark type (\S+?), actual Parquet type (\S+?)\."
    ),
)


def _raise_from_spark(error: Exception) -> NoReturn:
    """Re-raises a failed Spark job's error as the citycheck exception it carries: the
    executor's own (naming file, indicator and column), or a Parquet type mismatch as a
    DataError naming the file and the column; anything else as it is."""
    text = str(error)
    found = _NATIVE_ERROR.findall(text)
    if found:
        kind, message = found[-1]
        raise getattr(_native, kind)(message) from error
    for pattern in _PARQUET_MISMATCH:
        m = pattern.search(text)
        if m:
            file, column, expected, actual = m.groups()
            raise _native.DataError(
                f"{_display(file)}: column '{column.strip('`')}' holds {actual} where the table reads {expected}: "
                "the files of one table need the same column types"
            ) from error
    raise error


def _display(uri: str) -> str:
    """A file as run.json and messages name it: a local path for ``file:`` URIs."""
    for prefix in ("file://", "file:"):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def _origin(frame: SparkDataFrame, k: int) -> str:
    """Where a DataFrame's records come from, for messages: its files, or ``records k``."""
    try:
        files = sorted(_display(f) for f in frame.inputFiles())
    except Exception:  # a DataFrame without files (made in memory)
        files = []
    if not files:
        return f"records {k}"
    shown = ", ".join(files[:3])
    return shown if len(files) <= 3 else f"{shown}, … ({len(files)} files)"


# ---------------------------------------------------------------------------------------
# The executors' side
# ---------------------------------------------------------------------------------------


def _fail_once(marker: str | None) -> None:
    """Raises once per marker file (see the module's docstring): the first attempt creates it."""
    if marker is None or os.path.exists(marker):
        return
    try:
        with open(marker, "x", encoding="utf-8") as f:
            f.write("failed once\n")
    except FileExistsError:  # another partition failed first
        return
    raise RuntimeError(f"{FAIL_ONCE}: this attempt fails on purpose; a retry succeeds")


def _partition_sums(
    catalog: Catalog, levels: list[str], origin: str, target: Any, rows_per_batch: int, marker: str | None
) -> Any:
    """The function mapInArrow runs on each partition of a record table: the partition's
    records, in batches of up to ``rows_per_batch`` rows, summed by the native record
    computation; yields the partial sums cast to ``target``."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        _fail_once(marker)

        def summed(pending: list[Any]) -> Iterator[Any]:
            table = pa.Table.from_batches(pending)
            out = _native.compute_partial(catalog._native, arrow_source(table), levels, origin)
            if out is not None:
                yield from pa.table(out[1]).cast(target).to_batches()

        pending: list[Any] = []
        rows = 0
        for batch in batches:
            pending.append(batch)
            rows += batch.num_rows
            if rows >= rows_per_batch:
                yield from summed(pending)
                pending, rows = [], 0
        if pending:
            yield from summed(pending)

    return run


def _partition_ledger(catalog: Catalog, levels: list[str], parents: list[str], origin: str, target: Any) -> Any:
    """The function mapInArrow runs on each partition for the object ledger."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            table = pa.Table.from_batches([batch])
            out = _native.compute_ledger_part(catalog._native, arrow_source(table), levels, parents, origin)
            if out is not None:
                yield from pa.table(out).cast(target).to_batches()

    return run


# ---------------------------------------------------------------------------------------
# The driver's side
# ---------------------------------------------------------------------------------------


@dataclass
class _Table:
    """One record table on Spark and what the driver knows of it before any job runs."""

    frame: SparkDataFrame
    origin: str
    #: No rows, the frame's columns: the native plan reads the columns from it.
    empty: Any
    #: The object type, None when nothing is computed from the table (the roll-up says why).
    object: str | None
    #: The Arrow schema of its partial sums.
    sums: Any


def _tables(frames: Sequence[SparkDataFrame], catalog: Catalog, levels: list[str]) -> list[_Table]:
    """Plans every table on the driver, from its columns alone: a formula reading a column the
    records lack fails here, naming the files, the indicator and the column."""
    import pyarrow as pa

    tables = []
    for k, frame in enumerate(frames, start=1):
        origin = _origin(frame, k)
        empty = arrow_source(_arrow_of(frame.schema).empty_table())
        probe = _native.compute_partial(catalog._native, empty, levels, origin)
        if probe is None:
            tables.append(_Table(frame, origin, empty, None, None))
        else:
            tables.append(_Table(frame, origin, empty, probe[0], pa.table(probe[1]).schema))
    return tables


def _partial_sums(
    tables: list[_Table],
    catalog: Catalog,
    levels: list[str],
    partition_by: str | None,
    partitions: int | None,
    rows_per_batch: int,
) -> list[tuple[str, str, Any]]:
    """Every computed table's partial sums, summed per partition on the executors and added
    up by unit by Spark; collected (one row per finest unit and year) as Arrow tables."""
    from pyspark.sql import functions as F

    marker = os.environ.get(FAIL_ONCE)
    out = []
    for t in tables:
        if t.object is None:
            continue
        spark_schema, target = _spark_and_arrow(t.sums)
        frame = t.frame
        if partition_by is not None and partition_by in frame.columns:
            column = F.col(_quoted(partition_by))
            frame = frame.repartition(partitions, column) if partitions else frame.repartition(column)
        parts = frame.mapInArrow(
            _partition_sums(catalog, levels, t.origin, target, rows_per_batch, marker), spark_schema
        )
        keys = [n for n in target.names if n == "year" or n.endswith("_id")]
        sums = [F.sum(F.col(_quoted(n))).alias(n) for n in target.names if n not in keys]
        added = parts.groupBy(*[F.col(_quoted(n)) for n in keys]).agg(*sums)
        try:
            out.append((t.object, t.origin, _to_arrow(added)))
        except Exception as e:
            _raise_from_spark(e)
    return out


def _duplicates(tables: list[_Table]) -> list[tuple[str, int, list[str]]]:
    """Per computed table, the ids of its own objects that appear more than once in a year,
    counted by Spark over all records: how many, and the first five in sorted order."""
    from pyspark.sql import functions as F

    out = []
    for t in tables:
        if t.object is None or f"{t.object}_id" not in t.frame.columns:
            continue
        own = f"{t.object}_id"
        ids = (
            t.frame.where(F.col(own).isNotNull())
            .groupBy(F.col("year"), F.col(own))
            .count()
            .where(F.col("count") > 1)
            .select(F.col(own).cast("string").alias("id"))
            .distinct()
            .persist()
        )
        try:
            count = int(ids.count())
            first = [str(r["id"]) for r in ids.orderBy("id").limit(5).collect()] if count else []
        except Exception as e:
            _raise_from_spark(e)
        finally:
            ids.unpersist()
        out.append((t.object, count, first))
    return out


def _write_ledger(tables: list[_Table], catalog: Catalog, levels: list[str], path: str) -> bool:
    """Writes the object ledger of every table from the executors, as Parquet partitioned by
    ``year`` and ``level`` (replacing ``path``); False when no formula lists problems."""
    from functools import reduce

    import pyarrow as pa

    parents = _native.compute_ledger_parents(catalog._native, [(t.empty, t.origin) for t in tables])
    parts = []
    for t in tables:
        if t.object is None:
            continue
        probe = _native.compute_ledger_part(catalog._native, t.empty, levels, parents, t.origin)
        if probe is None:
            continue
        spark_schema, target = _spark_and_arrow(pa.table(probe).schema)
        parts.append(t.frame.mapInArrow(_partition_ledger(catalog, levels, parents, t.origin, target), spark_schema))
    if not parts:
        return False
    ledger = reduce(lambda a, b: a.unionByName(b), parts)
    try:
        ledger.write.mode("overwrite").partitionBy("year", "level").parquet(path)
    except Exception as e:
        _raise_from_spark(e)
    return True


def _levels(levels: Sequence[str] | str | None) -> list[str]:
    if levels is None:
        return []
    return [levels] if isinstance(levels, str) else [str(v) for v in levels]


def compute(
    records: SparkDataFrame | Sequence[SparkDataFrame],
    catalog: Catalog,
    *,
    levels: Sequence[str] | None = None,
    ledger_path: str | None = None,
    parameters: dict[str, float] | None = None,
    partition_by: str | None = "city_id",
    partitions: int | None = None,
    rows_per_batch: int = ROWS_PER_BATCH,
) -> SparkComputed:
    """Compute the catalogue's ``[indicators.formula]`` indicators from records held as pyspark
    DataFrames, one per object type (as :func:`citycheck.compute` takes frames): the same rows.

    Each table is repartitioned by ``partition_by`` (``city_id``; ``district_id`` spreads a
    big city over more tasks; None keeps the DataFrame's own partitions, and a table without
    the column keeps them too) into ``partitions`` partitions (default
    ``spark.sql.shuffle.partitions``). Every partition sums its records with citycheck's record
    computation, ``rows_per_batch`` records at a time; Spark adds the partial sums up by unit;
    the driver collects them (one row per finest unit and year) and rolls them up with the
    library. ``ledger_path`` (any path Spark writes to, e.g. ``hdfs://…`` or ``s3a://…``)
    receives the object ledger as Parquet partitioned by ``year`` and ``level``, written by the
    executors; it is replaced if it exists. ``levels`` and ``parameters`` as in
    :func:`citycheck.compute`.

    Errors raised on the executors come back as citycheck's exceptions: a DataError naming the
    files, the indicator and the column; a Parquet file whose column type differs from the
    table's, naming the file and the column.

    >>> import citycheck as cc
    >>> import citycheck.spark
    >>> catalog = cc.Catalog.builtin("mohurd-2023")
    >>> frames = [spark.read.parquet(f"records/{t}") for t in ("buildings", "compounds")]  # doctest: +SKIP
    >>> out = citycheck.spark.compute(frames, catalog, ledger_path="hdfs:///checkup/ledger")  # doctest: +SKIP
    >>> out.indicators.where("level = 'city'").count() > 0                   # doctest: +SKIP
    True
    """
    _pyspark()
    frames: list[SparkDataFrame] = list(records) if isinstance(records, (list, tuple)) else [records]
    if not frames:
        raise _native.DataError("citycheck.spark.compute: no record DataFrame given")
    if parameters:
        catalog = catalog.with_parameters(parameters)
    wanted = _levels(levels)
    tables = _tables(frames, catalog, wanted)
    partials = _partial_sums(tables, catalog, wanted, partition_by, partitions, rows_per_batch)
    duplicates = _duplicates(tables)
    written = ledger_path is not None and _write_ledger(tables, catalog, wanted, ledger_path)
    native = _native.compute_roll_up(
        catalog._native, [(t.empty, t.origin) for t in tables], partials, duplicates, wanted
    )
    computed = Computed(native)
    spark = frames[0].sparkSession
    return SparkComputed(
        indicators=_to_spark(spark, computed.indicators),
        issues=computed.issues,
        ledger=ledger_path if written else None,
    )


# ---------------------------------------------------------------------------------------
# Reading record files
# ---------------------------------------------------------------------------------------


def _files(spark: SparkSession, path: str) -> list[str]:
    """The Parquet files of a path: the file itself, or every ``*.parquet`` file under a
    folder (subfolders too), as Spark lists them."""
    if path.lower().endswith((".csv", ".txt")):
        raise _native.DataError(
            f"{path}: on Spark, records are read from Parquet (write the CSV as Parquet first, e.g. with polars)"
        )
    reader = spark.read.option("recursiveFileLookup", "true").option("pathGlobFilter", "*.parquet")
    try:
        files: list[str] = sorted(reader.parquet(path).inputFiles())
    except Exception as e:
        raise _native.IoError(f"{path}: cannot list Parquet record files: {str(e).splitlines()[0]}") from e
    if not files:
        raise _native.DataError(f"{path}: the folder holds no .parquet record file")
    return files


def _object_of(names: Sequence[str], file: str) -> str:
    """A table's object type: its finest id column, as the library names it."""
    for level in _LEVELS:
        if f"{level}_id" in names:
            return level
    raise _native.DataError(
        f"{_display(file)}: a record table needs the id column of its object and its parents: building_id, "
        "compound_id, community_id, block_id, district_id, city_id (the finest present names the object type)"
    )


def _widened(name: str, have: Any, have_file: str, other: Any, other_file: str) -> Any:
    """The type a column of several files is read as: the same type, or the wider number
    (long for integers, double when a file holds fractions); anything else is an error naming
    the file and the column."""
    from pyspark.sql import types as T

    if have == other:
        return have
    numbers = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType, T.DecimalType)
    if isinstance(have, numbers) and isinstance(other, numbers):
        integers = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
        return T.LongType() if isinstance(have, integers) and isinstance(other, integers) else T.DoubleType()
    raise _native.DataError(
        f"{_display(other_file)}: column '{name}' holds {other.simpleString()} where {_display(have_file)} holds "
        f"{have.simpleString()}: the files of one table need the same column types"
    )


def read_records(spark: SparkSession, paths: Sequence[PathLike]) -> list[SparkDataFrame]:
    """Read record files and folders (Parquet; a folder's ``*.parquet`` files, subfolders too)
    into one DataFrame per object type, finest first, as :func:`citycheck.compute` groups
    files into tables. The files of one table must have the same columns; a column may be an
    integer in one file and a float in another (read as the wider number). A file that lacks a
    column, has one more, or holds text where another holds numbers is a DataError naming the
    file and the column, before any job runs. Reads only the files' schemas (one footer per
    file, on the driver).

    >>> import citycheck.spark
    >>> tables = citycheck.spark.read_records(spark, ["/data/province"])      # doctest: +SKIP
    >>> [t.columns[5] for t in tables]                                         # doctest: +SKIP
    ['building_id', 'compound_id', 'block_id', 'district_id']
    """
    _pyspark()
    from pyspark.sql import functions as F

    by_object: dict[str, list[tuple[str, Any]]] = {}
    for path in paths:
        for file in _files(spark, os.fspath(path)):
            schema = spark.read.parquet(file).schema
            by_object.setdefault(_object_of(schema.fieldNames(), file), []).append((file, schema))
    frames = []
    for level in _LEVELS:
        files = by_object.get(level)
        if not files:
            continue
        first_file, first = files[0]
        names = first.fieldNames()
        target = {f.name: f.dataType for f in first.fields}
        decided_by = dict.fromkeys(names, first_file)
        for file, schema in files[1:]:
            theirs = schema.fieldNames()
            for name in names:
                if name not in theirs:
                    raise _native.DataError(
                        f"{_display(file)}: column '{name}' is missing, which {_display(first_file)} has: "
                        "the files of one table need the same columns"
                    )
            for name in theirs:
                if name not in target:
                    raise _native.DataError(
                        f"{_display(file)}: column '{name}' is not in {_display(first_file)}: "
                        "the files of one table need the same columns"
                    )
            for f in schema.fields:
                wider = _widened(f.name, target[f.name], decided_by[f.name], f.dataType, file)
                if wider != target[f.name]:
                    target[f.name], decided_by[f.name] = wider, file
        groups: dict[str, list[str]] = {}
        for file, schema in files:
            groups.setdefault(schema.simpleString(), []).append(file)
        parts = [
            spark.read.parquet(*group).select([F.col(_quoted(n)).cast(target[n]).alias(n) for n in names])
            for group in groups.values()
        ]
        frame = parts[0]
        for part in parts[1:]:
            frame = frame.unionByName(part)
        frames.append(frame)
    return frames


def _sha256(content: bytes) -> str:
    """A file's SHA-256, lower-case hex (as run.json gives every input's)."""
    return hashlib.sha256(content).hexdigest()


def _digests(spark: SparkSession, frames: Sequence[SparkDataFrame]) -> list[tuple[str, str]]:
    """Every input file and its SHA-256, hashed on the executors (the driver reads no records)."""
    files = sorted({f for frame in frames for f in frame.inputFiles()})
    if not files:
        return []
    pairs = spark.sparkContext.binaryFiles(",".join(files)).mapValues(_sha256).collect()
    return sorted((_display(path), sha) for path, sha in pairs)


def run(
    config: PathLike,
    out: PathLike | None = None,
    *,
    spark: SparkSession | None = None,
    ledger_path: str | None = None,
    partition_by: str | None = "city_id",
    partitions: int | None = None,
) -> Result:
    """Run a run config whose ``[compute]`` names Parquet record files or folders, computing
    on Spark and scoring centrally: the records are read by Spark (:func:`read_records`) and
    computed where they lie (:func:`compute`); the driver rolls the sums up, scores the
    ``score_level`` panel (small) with the usual pipeline and writes the output folder
    (``out``, default the config's ``[output] dir``) as :func:`citycheck.run` does — scores,
    indicators, the evaluation and diagnosis the config asks for, run.json with every record
    file's digest (hashed on the executors) and the computation's issues. The object ledger
    is written by the executors to ``ledger_path`` (default ``<out>/object_ledger/``, Parquet
    partitioned by ``year`` and ``level``: on a cluster give a path every executor writes
    to). ``spark`` is the session (default: the active one, or a new one).

    >>> import citycheck.spark
    >>> result = citycheck.spark.run("province.toml", out="out")              # doctest: +SKIP
    >>> result.index(2025)["unit"].head(3).to_list()                           # doctest: +SKIP
    ['C03', 'C01', 'C02']
    """
    _pyspark()
    from pyspark.sql import SparkSession

    native_catalog, plan = _native.run_compute_config(config)
    catalog = Catalog(native_catalog)
    out_dir = Path(out) if out is not None else Path(plan["out"])
    session = spark if spark is not None else SparkSession.builder.getOrCreate()
    frames = read_records(session, plan["records"])
    levels = [str(level) for level in plan["levels"]]
    tables = _tables(frames, catalog, levels)
    partials = _partial_sums(tables, catalog, levels, partition_by, partitions, ROWS_PER_BATCH)
    duplicates = _duplicates(tables)
    if plan["ledger"]:
        _write_ledger(tables, catalog, levels, ledger_path or str(out_dir.resolve() / "object_ledger"))
    inputs = _digests(session, frames)
    stages = _native.run_computed(config, [(t.empty, t.origin) for t in tables], partials, duplicates, inputs, out_dir)
    return _result_of(stages)
