#!/usr/bin/env python3
"""citycheck.spark in local mode against cc.compute on one machine (issue 21).

DEV-ONLY. For each size, generates a province (scripts/gen_province.py, Parquet, buildings
split by district, two check-up years) unless it is there, then times in fresh processes:
  one     cc.compute([folder], mohurd-2023)            (the ledger kept in memory)
  spark   citycheck.spark.compute on Spark local[2]     (the ledger written as Parquet)
and reports wall time, the records per second and per core, and peak memory: for `one` the
process's peak RSS; for `spark` the driver's Python process, the JVM (driver and, in local mode,
the executor: its VmHWM) and the Python workers that run the partitions (the peak of their
summed RSS, sampled every 0.2 s with psutil). Both
results are compared row for row (value to 1e-9 relative). From the per-core rate it projects
a national run (--national buildings, --cores executor cores) — assumptions printed with it.

Setup: the repository's venv with the extension built, plus pyspark and psutil:
    .venv/bin/pip install "pyspark>=3.5" psutil
Run (Java 17; about 2 GB of disk for 10 M):
    .venv/bin/python scripts/bench_spark.py --buildings 1000000 --buildings 10000000 --work /tmp/bench-spark \
        [--levels district,city]
--levels limits the output levels of both sides (default: every level of mohurd-2023, down to the
compound: 4.3 M indicator rows for 1 M buildings, which the driver rolls up, hands to Spark and
the benchmark collects back — at 10 M more than this machine's memory).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate(n: int, work: Path) -> Path:
    folder = work / f"province-{n}"
    if not (folder / "districts.parquet").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "gen_province.py"),
                *("--buildings", str(n), "--years", "2024,2025", "--split-by", "district", "--out", str(folder)),
            ],
            check=True,
        )
    return folder


def vm_hwm_mib(pid: int) -> float:
    """A live process's peak RSS (VmHWM, Linux), in MiB; 0 where /proc is not there."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


class WorkerSampler:
    """The peak of the summed RSS of the Python workers (children of the JVM that run the
    partitions), sampled every 0.2 s with psutil; they come and go, so /proc at the end
    cannot tell."""

    def __init__(self, jvm_pid: int) -> None:
        import psutil

        self.psutil = psutil
        self.jvm = psutil.Process(jvm_pid)
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(self.psutil.Error):
                self.peak = max(self.peak, sum(c.memory_info().rss for c in self.jvm.children(recursive=True)))
            time.sleep(0.2)

    def finish(self) -> float:
        self.stop.set()
        self.thread.join()
        return round(self.peak / 2**20, 1)


def child_one(folder: Path, out: Path, levels: list[str] | None) -> dict[str, object]:
    import citycheck as cc

    start = time.perf_counter()
    computed = cc.compute([folder], cc.Catalog.builtin("mohurd-2023"), levels=levels)
    seconds = time.perf_counter() - start
    computed.indicators.write_parquet(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak, 1), "rows": computed.indicators.height}


def child_spark(folder: Path, out: Path, cores: int, memory: str, levels: list[str] | None) -> dict[str, object]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import citycheck as cc
    import citycheck.spark as ccs

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jvm_pid = spark.sparkContext._gateway.proc.pid
    try:
        sampler: WorkerSampler | None = WorkerSampler(jvm_pid)
    except ImportError:
        sampler = None
    start = time.perf_counter()
    tables = ccs.read_records(spark, [str(folder)])
    read_seconds = time.perf_counter() - start
    result = ccs.compute(tables, cc.Catalog.builtin("mohurd-2023"), levels=levels, ledger_path=str(out) + ".ledger")
    indicators = result.indicators.toArrow() if hasattr(result.indicators, "toArrow") else None
    seconds = time.perf_counter() - start
    import polars as pl

    frame = pl.from_arrow(indicators) if indicators is not None else pl.from_pandas(result.indicators.toPandas())
    assert isinstance(frame, pl.DataFrame)
    frame.write_parquet(out)
    memory_mib = {
        "driver_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # In local mode the JVM is the driver and the executor.
        "jvm": vm_hwm_mib(jvm_pid),
        "python_workers": sampler.finish() if sampler is not None else "psutil not installed",
    }
    spark.stop()
    return {
        "seconds": round(seconds, 2),
        "read_records_seconds": round(read_seconds, 2),
        "peak_rss_mib": memory_mib,
        "rows": frame.height,
    }


def same(one: Path, spark: Path) -> str:
    import polars as pl

    key = ["level", "unit", "year", "indicator"]
    a, b = pl.read_parquet(one).sort(key), pl.read_parquet(spark).sort(key)
    if a.height != b.height or not a.select(key).equals(b.select(key)):
        return "DIFFERENT ROWS"
    diff = ((a["value"] - b["value"]).abs() / a["value"].abs().clip(lower_bound=1.0)).fill_null(0.0).max()
    return f"same rows; max relative difference of value {float(diff or 0.0):.1e}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--buildings", type=int, action="append", help="province size (repeatable; default 1,000,000)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-spark"))
    ap.add_argument("--cores", type=int, default=2, help="Spark local[N] (default 2)")
    ap.add_argument("--driver-memory", default="4g", help="JVM heap of local mode (driver and executor)")
    ap.add_argument("--national", type=float, default=3e8, help="buildings of the projection (default 300 M)")
    ap.add_argument("--cluster-cores", type=int, default=200, help="executor cores of the projection")
    ap.add_argument("--levels", help="output levels, comma-separated (default: the catalogue's all); the finest "
                    "is the unit of the partial sums the driver collects and rolls up")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    levels = args.levels.split(",") if args.levels else None
    if args.child:
        kind, folder, out = args.child
        if kind == "one":
            print(json.dumps(child_one(Path(folder), Path(out), levels)))
        else:
            print(json.dumps(child_spark(Path(folder), Path(out), args.cores, args.driver_memory, levels)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    for n in args.buildings or [1_000_000]:
        folder = generate(n, args.work)
        records = 2 * n  # two check-up years of buildings (compounds, blocks and districts besides)
        report: dict[str, object] = {"buildings": n, "building_records": records, "levels": args.levels or "all"}
        suffix = "-" + args.levels.replace(",", "-") if args.levels else ""
        for kind in ("one", "spark"):
            out = args.work / f"indicators-{n}-{kind}{suffix}.parquet"
            cmd = [sys.executable, __file__, "--cores", str(args.cores), "--driver-memory", args.driver_memory]
            cmd += ["--levels", args.levels] if args.levels else []
            cmd += ["--child", kind, str(folder), str(out)]
            run = subprocess.run(cmd, check=True, capture_output=True, text=True)
            report[kind] = json.loads(run.stdout.strip().splitlines()[-1])
        report["check"] = same(
            args.work / f"indicators-{n}-one{suffix}.parquet", args.work / f"indicators-{n}-spark{suffix}.parquet"
        )
        spark_seconds = float(report["spark"]["seconds"])  # type: ignore[index]
        per_core = records / spark_seconds / args.cores
        report["spark_records_per_second_per_core"] = round(per_core)
        report["projection"] = {
            "assumptions": (
                f"{args.national:.0f} building records, {args.cluster_cores} executor cores each as fast as one "
                "core here, the work spread evenly (partitions by district), the per-core rate of this run "
                "(which includes Spark's fixed costs of a small job: the projection is pessimistic for them), "
                "Parquet read at the same speed from the cluster's storage; the driver holds the summed "
                f"parts (one row per unit of the finest output level{', ' + levels[0] if levels else ''}, and year)"
            ),
            "seconds": round(args.national / (per_core * args.cluster_cores)),
        }
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
