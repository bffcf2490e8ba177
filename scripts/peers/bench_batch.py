#!/usr/bin/env python3
"""The yearly batch from files, citycheck against pandas and the polars floor (dev-only).

DEV-ONLY: not part of the library, the package or the test run. It needs the release command
line and a venv with numpy, pandas and polars (benches/README.md has the commands):

    cargo build --release
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas pyarrow polars
    .venv-peer/bin/python scripts/peers/bench_batch.py [--repeat 5] [--work /tmp/perf]

The job: the 2,900 units × 69 indicators × 5 years synthetic panel of the pipeline benchmark
(`scripts/peers/pipeline_pandas.py --generate 2900,69,5,42`: 960,937 observations as a long
CSV), its catalogue (8 groups, every 5th indicator "lower") and the check-up default spec
(min-max [0, 100] over the panel, entropy_normalized weights within groups, equal above,
arithmetic means). Every time is the wall clock of a whole process, best of N:

  score      `citycheck score --spec SPEC --catalog CATALOG --data PANEL --out DIR`: read the
             CSV, validate strictly, score, rank, write scores.csv, weights.csv, fitted.json and
             run.json;
  pandas     `pipeline_pandas.py --data PANEL --groups GROUPS --out SCORES`: read_csv, the same
             pipeline written in plain vectorised pandas/numpy, to_csv (its numbers agree with
             citycheck's: tests/golden); also printed without the interpreter's start-up and
             imports (the script's own `pipeline_seconds` excludes reading and writing);
  floor      polars (Python; the same Rust engine citycheck links) reading PANEL and writing a
             table the shape of citycheck's scores.csv: the least any tool reading and writing
             those files could take;
  run        `citycheck run CONFIG` with `[evaluate]` (2018–2022) and `[diagnose]` (2022):
             the whole yearly batch, against `score` alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "scripts" / "peers"
sys.path.insert(0, str(PEERS))

import python_overhead as po  # noqa: E402  (the catalogue and spec writers)


def best_of(repeat: int, job: Callable[[], object]) -> float:
    times: List[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def process(args: List[str]) -> Callable[[], object]:
    return lambda: subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def floor(panel: Path, scores: Path, out: Path) -> Callable[[], object]:
    import polars as pl

    shape = pl.read_csv(scores)  # the table to write, read once outside the timing

    def job() -> None:
        pl.read_csv(panel)
        shape.write_csv(out)

    return job


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/perf"))
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "citycheck")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if not a.cli.exists():
        raise SystemExit(f"{a.cli} not found: build it with `cargo build --release`")
    work = a.work
    work.mkdir(parents=True, exist_ok=True)
    panel, groups = work / "panel.csv", work / "groups.json"
    if not panel.exists():
        subprocess.run(
            [sys.executable, str(PEERS / "pipeline_pandas.py"), "--generate", "2900,69,5,42",
             "--data-out", str(panel), "--groups-out", str(groups)],
            check=True,
        )
    catalog, spec = work / "catalog.toml", work / "spec.toml"
    po.write_catalog(groups, catalog)
    spec.write_text(po.SPEC_TOML.replace("[spec.", "[").replace("[spec]\n", ""), encoding="utf-8")
    config = work / "run.toml"
    po.write_config(catalog, panel, config)
    with config.open("a", encoding="utf-8") as fh:
        fh.write('\n[evaluate]\nfrom = 2018\nto = 2022\n\n[diagnose]\nyear = 2022\n')

    cli = str(a.cli)
    score = best_of(a.repeat, process([cli, "score", "--spec", str(spec), "--catalog", str(catalog),
                                        "--data", str(panel), "--unit-column", "unit",
                                        "--out", str(work / "out-score")]))
    start_up = best_of(a.repeat, process([cli, "--version"]))
    pandas = best_of(a.repeat, process([sys.executable, str(PEERS / "pipeline_pandas.py"), "--data", str(panel),
                                         "--groups", str(groups), "--out", str(work / "pandas.csv")]))
    imports = best_of(a.repeat, process([sys.executable, "-c", "import numpy, pandas"]))
    low = best_of(a.repeat, floor(panel, work / "out-score" / "scores.csv", work / "floor.csv"))
    whole = best_of(a.repeat, process([cli, "run", str(config), "--out", str(work / "out-run")]))

    print(f"citycheck score (read, validate, score, write)  {score:8.3f} s")
    print(f"pandas script (read_csv ... to_csv)             {pandas:8.3f} s  = {pandas / score:5.1f}× citycheck")
    print(f"  without interpreter start-up and imports      {pandas - imports:8.3f} s  = "
          f"{(pandas - imports) / score:5.1f}× citycheck")
    print(f"polars floor (read the CSV, write scores-size)  {low:8.3f} s  citycheck = {score / low:4.1f}× floor")
    print(f"citycheck start-up                              {start_up:8.3f} s")
    print(f"citycheck run: score + evaluate + diagnose      {whole:8.3f} s  = {whole / score:4.2f}× score")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
