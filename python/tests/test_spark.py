"""citycheck.spark: the record computation on Apache Spark equals cc.compute (issue 21).

Spark runs in local mode inside the tests (a session-scoped ``local[2,2]`` session: two
threads, and a failed task retried once — Spark's local mode ignores spark.task.maxFailures,
the second number of the master is its retries). Skipped only when CITYCHECK_SKIP_SPARK=1;
otherwise a missing pyspark or Java fails the tests. The generated province has
CITYCHECK_SPARK_BUILDINGS buildings (default 200,000 for the test script's time; the lead's
1 M run: CITYCHECK_SPARK_BUILDINGS=1000000; scripts/bench_spark.py times 1 M and 10 M).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import citycheck as cc

from conftest import ROOT

if os.environ.get("CITYCHECK_SKIP_SPARK") == "1":
    pytest.skip("CITYCHECK_SKIP_SPARK=1", allow_module_level=True)

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import citycheck.spark as ccs

SAMPLE = ROOT / "datasets" / "province_sample"
TABLES = ["buildings", "compounds", "blocks", "districts"]
BUILDINGS = int(os.environ.get("CITYCHECK_SPARK_BUILDINGS", "200000"))
KEY = ["level", "unit", "year", "indicator"]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    # The workers run the test's own interpreter (with citycheck installed), not `python3`.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2,2]")
        .appName("citycheck-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.task.maxFailures", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def sample_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample's four tables as Parquet (Spark reads records from Parquet)."""
    out = tmp_path_factory.mktemp("sample")
    for t in TABLES:
        pl.read_csv(SAMPLE / f"{t}.csv", infer_schema_length=10_000).write_parquet(out / f"{t}.parquet")
    return out


@pytest.fixture(scope="session")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated province (scripts/gen_province.py), buildings split in one file per district."""
    out = tmp_path_factory.mktemp("province")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_province.py"),
            *("--buildings", str(BUILDINGS), "--years", "2024,2025", "--split-by", "district", "--out", str(out)),
        ],
        check=True,
        capture_output=True,
    )
    return out


def collect(frame: Any) -> pl.DataFrame:
    """A Spark DataFrame on the driver as polars."""
    # toArrow from pyspark 4.0; pandas before.
    result = pl.from_arrow(frame.toArrow()) if hasattr(frame, "toArrow") else pl.from_pandas(frame.toPandas())
    assert isinstance(result, pl.DataFrame)
    return result


def assert_same_indicators(expected: pl.DataFrame, actual: pl.DataFrame) -> None:
    """Row for row: the keys, unknown and objects exactly; value, numerator and denominator to
    1e-12 relative (parts are added in another order than one machine adds them)."""
    e, a = expected.sort(KEY), actual.sort(KEY)
    assert a.height == e.height > 0
    assert a.select(KEY).equals(e.select(KEY))
    for column in ("unknown", "objects"):
        assert a[column].cast(pl.Int64).equals(e[column].cast(pl.Int64)), column
    for column in ("value", "numerator", "denominator"):
        x, y = e[column], a[column]
        assert x.is_null().equals(y.is_null()), column
        diff = ((x - y).abs() / x.abs().clip(lower_bound=1.0)).fill_null(0.0)
        assert float(diff.max() or 0.0) <= 1e-12, column


def messages(issues: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The issues' kinds and messages (their file names differ: Spark lists files as it read them)."""
    return [(str(i["kind"]), str(i["message"])) for i in issues]


def read(spark: Any, folder: Path) -> list[Any]:
    return [spark.read.parquet(str(folder / f"{t}.parquet")) for t in TABLES]


def test_the_sample_equals_cc_compute_with_its_ledger(spark: Any, sample_parquet: Path, tmp_path: Path) -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    expected = cc.compute([sample_parquet / f"{t}.parquet" for t in TABLES], catalog)
    ledger = tmp_path / "ledger"
    out = ccs.compute(read(spark, sample_parquet), catalog, ledger_path=str(ledger))
    assert_same_indicators(expected.indicators, collect(out.indicators))
    assert out.issues == expected.issues == []
    # The ledger, written by the executors, partitioned by year and level: the same rows.
    assert out.ledger == str(ledger) and expected.ledger is not None
    written = pl.read_parquet(ledger / "**" / "*.parquet", hive_partitioning=True)
    columns = expected.ledger.columns
    assert sorted(written.columns) == sorted(columns)
    written = written.select(columns).with_columns(pl.col("year").cast(pl.Int32))
    assert written.sort(columns).equals(expected.ledger.sort(columns))
    # The city panel collected for scoring is the one cc.compute gives.
    assert out.panel("city").units == expected.panel("city").units


def test_a_generated_province_equals_cc_compute_with_a_city_over_several_partitions(
    spark: Any, province: Path
) -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    expected = cc.compute([province], catalog)
    tables = ccs.read_records(spark, [str(province)])
    assert [t.columns[5] for t in tables][:1] == ["building_id"]
    # Round-robin partitions: every city's buildings (and compounds) lie in several partitions.
    spread = [tables[0].repartition(5), tables[1].repartition(3), *tables[2:]]
    parts = spread[0].where(F.col("city_id") == "C01").select(F.spark_partition_id().alias("p")).distinct().count()
    assert parts > 1, "C01's buildings are in one partition only"
    out = ccs.compute(spread, catalog, partition_by=None, rows_per_batch=25_000)
    assert_same_indicators(expected.indicators, collect(out.indicators))
    assert messages(out.issues) == messages(expected.issues)
    # Partitioned by district (a big city over several tasks): the same rows.
    by_district = ccs.compute(tables, catalog, levels=["district", "city"], partition_by="district_id")
    assert_same_indicators(
        expected.indicators.filter(pl.col("level").is_in(["district", "city"])), collect(by_district.indicators)
    )


def test_records_without_ids_and_duplicates_are_reported_as_cc_compute_reports_them(
    spark: Any, sample_parquet: Path, tmp_path: Path
) -> None:
    buildings = pl.read_parquet(sample_parquet / "buildings.parquet")
    row = pl.int_range(pl.len())
    broken = pl.concat(
        [
            buildings.with_columns(
                pl.when(row < 3).then(None).otherwise(pl.col("building_id")).alias("building_id"),
                pl.when(row.is_between(10, 12)).then(None).otherwise(pl.col("compound_id")).alias("compound_id"),
                pl.when(row.is_between(20, 21)).then(None).otherwise(pl.col("city_id")).alias("city_id"),
            ),
            buildings.slice(100, 2),  # two buildings listed twice
        ]
    )
    folder = tmp_path / "broken"
    folder.mkdir()
    broken.write_parquet(folder / "buildings.parquet")
    for t in TABLES[1:]:
        pl.read_parquet(sample_parquet / f"{t}.parquet").write_parquet(folder / f"{t}.parquet")
    catalog = cc.Catalog.builtin("mohurd-2023")
    expected = cc.compute([folder / f"{t}.parquet" for t in TABLES], catalog)
    out = ccs.compute(read(spark, folder), catalog)
    assert_same_indicators(expected.indicators, collect(out.indicators))
    found = messages(out.issues)
    assert found == messages(expected.issues)
    assert any("5 building record(s) have no year or no compound" in m for _, m in found), found
    assert any("2 building id(s) appear more than once" in m for _, m in found), found


def test_a_schema_that_differs_between_files_names_the_file_and_the_column(
    spark: Any, sample_parquet: Path, tmp_path: Path
) -> None:
    buildings = pl.read_parquet(sample_parquet / "buildings.parquet")
    folder = tmp_path / "buildings"
    folder.mkdir()
    half = buildings.height // 2
    buildings.slice(0, half).write_parquet(folder / "part-1.parquet")
    text = buildings.slice(half).with_columns(pl.col("non_self_contained").cast(pl.String))
    text.write_parquet(folder / "part-2.parquet")
    # Read by citycheck: refused before any job runs.
    with pytest.raises(cc.DataError, match=r"part-2\.parquet: column 'non_self_contained' holds string"):
        ccs.read_records(spark, [str(folder)])
    # Read by Spark alone (one schema for both files): the executors' error, translated.
    catalog = cc.Catalog.builtin("mohurd-2023")
    with pytest.raises(cc.DataError, match=r"part-\d\.parquet.*non_self_contained"):
        ccs.compute([spark.read.parquet(str(folder))], catalog)
    # A column missing from one file.
    buildings.slice(half).drop("gas_hazard").write_parquet(folder / "part-2.parquet")
    with pytest.raises(cc.DataError, match=r"part-\d\.parquet: column 'gas_hazard'"):
        ccs.read_records(spark, [str(folder)])
    # Integers of another width are read as the wider number.
    buildings.slice(half).with_columns(pl.col("floors").cast(pl.Int32)).write_parquet(folder / "part-2.parquet")
    (table,) = ccs.read_records(spark, [str(folder)])
    assert dict(table.dtypes)["floors"] == "bigint" and table.count() == buildings.height
    # A formula's column the records lack: the driver's plan names it with the files.
    with pytest.raises(cc.DataError, match=r"part-1\.parquet.*gas_hazard"):
        ccs.compute([table.drop("gas_hazard")], catalog)
    with pytest.raises(cc.DataError, match="Parquet"):
        ccs.read_records(spark, [str(SAMPLE / "buildings.csv")])


def test_a_partition_that_fails_once_is_retried_with_the_same_result(
    spark: Any, sample_parquet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    expected = cc.compute([sample_parquet / f"{t}.parquet" for t in TABLES], catalog)
    marker = tmp_path / "failed-once"
    monkeypatch.setenv(ccs.FAIL_ONCE, str(marker))
    out = ccs.compute(read(spark, sample_parquet), catalog)
    assert marker.exists(), "no partition failed: the retry was not exercised"
    assert_same_indicators(expected.indicators, collect(out.indicators))


def test_a_run_config_computes_on_spark_and_scores_as_cc_run(spark: Any, sample_parquet: Path, tmp_path: Path) -> None:
    config = tmp_path / "province.toml"
    config.write_text(
        'catalog = "mohurd-2023"\n[compute]\n'
        f'records = ["{sample_parquet.as_posix()}"]\nscore_level = "district"\n[output]\ndir = "out"\n',
        encoding="utf-8",
    )
    expected = cc.run(config, out=tmp_path / "one-machine")
    result = ccs.run(config, out=tmp_path / "spark", spark=spark)
    e, a = expected.scores.sort("unit", "year", "node"), result.scores.sort("unit", "year", "node")
    assert a.select("unit", "year", "node", "rank").equals(e.select("unit", "year", "node", "rank"))
    assert ((a["score"] - e["score"]).abs().fill_null(0.0) <= 1e-9).all()
    spark_out = tmp_path / "spark"
    for name in ("scores.csv", "indicators.csv", "run.json"):
        assert (spark_out / name).is_file(), name
    assert (spark_out / "object_ledger").is_dir() and not (spark_out / "object_ledger.csv").exists()
    report = json.loads((spark_out / "run.json").read_text(encoding="utf-8"))
    one_machine = json.loads((tmp_path / "one-machine" / "run.json").read_text(encoding="utf-8"))
    assert sorted(i["sha256"] for i in report["inputs"]) == sorted(i["sha256"] for i in one_machine["inputs"])
    assert report["counts"] == one_machine["counts"]
    indicators = pl.read_csv(spark_out / "indicators.csv")
    assert_same_indicators(pl.read_csv(tmp_path / "one-machine" / "indicators.csv"), indicators)
    no_compute = tmp_path / "data.toml"
    no_compute.write_text('catalog = "ccsy-example"\n[data]\npath = "x.csv"\n', encoding="utf-8")
    with pytest.raises(cc.SpecError, match=r"\[compute\]"):
        ccs.run(no_compute, spark=spark)
