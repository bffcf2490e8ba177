#!/usr/bin/env python3
"""What the Python layer of citycheck costs on the benchmark-sized check-up (dev-only).

DEV-ONLY: not part of the library, the package or the test run. It needs release builds of
both the command line and the Python extension, in the same target directory:

    cargo build --release                                   # target/release/citycheck
    .venv/bin/maturin develop --release                     # the extension in .venv
    .venv/bin/python scripts/peers/python_overhead.py [--repeat 5]

The job. The 2,900 units × 69 indicators × 5 years synthetic panel of the pipeline benchmark's
pandas peer: --data/--groups if they exist (default /tmp/peer/synth_2900x69x5.csv and .json),
otherwise written first by `scripts/peers/pipeline_pandas.py --generate 2900,69,5,42` (run as
a subprocess, so that the generator exists once). Its GROUPS.json becomes a catalogue TOML (8
groups, every 5th indicator "lower", as benches/common) and a run config: strict validation,
the check-up default spec (min-max [0, 100] over the panel, entropy_normalized weights within
groups, equal above, arithmetic means), CSV output.

The comparison. Both sides run the same Rust function, `citycheck::run::run`, on the same
config — read the CSV, validate, score, write the output folder:
  rust     `target/release/citycheck run CONFIG --out DIR`, wall clock of the process, best of
           N, minus the best-of-N start-up of `target/release/citycheck --version`;
  python   `cc.run(CONFIG, out=DIR)` in this process, best of N.
Their difference is exactly what the Python layer adds to a call: the PyO3 call and GIL
release, the binding's conversion of the outcome (scores and weights as Arrow-exportable
tables, the fitted parameters, spec and issues as JSON), the import of both tables into polars
and the json.loads of the facade. The CLI's own extra work — printing the latest year's
ranking, to /dev/null here — is negligible next to the job. overhead % = (python − rust)/rust.

Why this way. It needs no new Rust code and compares like with like, which the alternatives do
not: `cargo bench --bench pipeline` times the pipeline on another synthetic panel (the Rust
generator of benches/common, same shape) without reading or writing files; a Rust example
timing only validate + score would add a file to the crate for this one measurement. The price:
the ratio's denominator includes CSV reading and writing, as a yearly batch does, so the
percentage is the overhead on the batch job; the absolute seconds are the overhead per call.

Also printed, outside the ratio: the notebook path — cc.Panel.read, then cc.score on the read
panel — and the share of cc.score spent in the pure-Python facade (cc.score against the bare
native call `citycheck._citycheck.score`, which still includes the binding's conversion); and,
if `cargo bench --bench pipeline` has been run, criterion's median for reference.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "peers" / "pipeline_pandas.py"
SHAPE = "2900,69,5,42"  # units, indicators, years, seed: the pipeline benchmark's size
CRITERION = ROOT / "target" / "criterion" / "pipeline" / "2900x69x5" / "new" / "estimates.json"

# The check-up default spec (Spec::checkup_default, datasets/default-run.toml).
SPEC_TOML = """\
[spec]
normalize = { method = "min_max", lo = 0.0, hi = 100.0 }
scope = "panel"
missing = "renormalize"
aggregate = { method = "arithmetic" }

[spec.weights]
default = { method = "equal" }
levels = { "2" = { method = "entropy_normalized", shift = 0.0001 } }
"""


def toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(text, ensure_ascii=False)


def ensure_data(data: Path, groups: Path) -> None:
    if data.exists() and groups.exists():
        return
    data.parent.mkdir(parents=True, exist_ok=True)
    print(f"generating {data} and {groups} with {GENERATOR.name} --generate {SHAPE}", file=sys.stderr)
    subprocess.run(
        [sys.executable, str(GENERATOR), "--generate", SHAPE, "--data-out", str(data), "--groups-out", str(groups)],
        check=True,
    )


def write_catalog(groups_json: Path, path: Path) -> None:
    """GROUPS.json ({"indicators": {id: {"group", "direction"}}}) as a citycheck catalogue."""
    indicators: Dict[str, Dict[str, str]] = json.loads(groups_json.read_text(encoding="utf-8"))["indicators"]
    lines = ['[catalog]\nid = "synthetic"\nname = "synthetic benchmark panel"\nversion = "1"\n']
    for group in dict.fromkeys(meta["group"] for meta in indicators.values()):
        lines.append(f'[[groups]]\nid = "{group}"\nname_zh = "维度 {group}"\nname_en = "group {group}"\n')
    for ind, meta in indicators.items():
        lines.append(
            f'[[indicators]]\nid = "{ind}"\nname_zh = "指标 {ind}"\nname_en = "indicator {ind}"\n'
            f'group = "{meta["group"]}"\nunit = "index"\ndirection = "{meta.get("direction", "higher")}"\n'
        )
    path.write_text("\n".join(lines), encoding="utf-8")


def write_config(catalog: Path, data: Path, path: Path) -> None:
    path.write_text(
        f"catalog = {toml_string(str(catalog))}\n\n"
        f'[data]\npath = {toml_string(str(data))}\nunit_column = "unit"\nvalidation = "strict"\n\n'
        f"{SPEC_TOML}\n"
        '[output]\ndir = "out"\nformat = "csv"\n',
        encoding="utf-8",
    )


def best_of(repeat: int, job: Callable[[], object]) -> float:
    times: List[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def process(args: List[str]) -> Callable[[], object]:
    return lambda: subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/tmp/peer/synth_2900x69x5.csv"))
    ap.add_argument("--groups", type=Path, help="GROUPS.json (default: --data with .json)")
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "citycheck")
    ap.add_argument("--repeat", type=int, default=5, help="best of N (default 5)")
    a = ap.parse_args()
    groups = a.groups or a.data.with_suffix(".json")
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")
    if not a.cli.exists():
        raise SystemExit(f"{a.cli} not found: build it with `cargo build --release`")

    import citycheck as cc
    from citycheck import _citycheck as native

    ensure_data(a.data, groups)
    with tempfile.TemporaryDirectory(prefix="citycheck-overhead-") as tmp:
        work = Path(tmp)
        catalog_path, config = work / "catalog.toml", work / "run.toml"
        write_catalog(groups, catalog_path)
        write_config(catalog_path, a.data.resolve(), config)

        # Same job, same output: check before timing.
        run_result = cc.run(config, out=work / "python-out")
        subprocess.run([str(a.cli), "run", str(config), "--out", str(work / "rust-out")], check=True,
                       stdout=subprocess.DEVNULL)
        catalog = cc.Catalog.from_toml(catalog_path)
        panel = cc.Panel.read(a.data, unit="unit")
        spec = run_result.spec  # the config's spec, as the library read it
        score_result = cc.score(panel, catalog, spec=spec)
        if not run_result.scores.equals(score_result.scores):
            raise SystemExit("cc.run(CONFIG) and cc.score(panel, catalog, spec) give different scores: not one job")
        if spec != cc.checkup_default_spec():
            print("note: the config's spec is not exactly Spec::checkup_default", file=sys.stderr)

        startup = best_of(a.repeat, process([str(a.cli), "--version"]))
        rust = best_of(a.repeat, process([str(a.cli), "run", str(config), "--out", str(work / "rust-out")])) - startup
        python = best_of(a.repeat, lambda: cc.run(config, out=work / "python-out"))
        read = best_of(a.repeat, lambda: cc.Panel.read(a.data, unit="unit"))
        facade = best_of(a.repeat, lambda: cc.score(panel, catalog, spec=spec))
        spec_json = json.dumps(spec)
        bare = best_of(a.repeat, lambda: native.score(panel._native, catalog._native, spec_json, "strict"))

    units = run_result.scores["unit"].n_unique()
    years = run_result.scores["year"].n_unique()
    print(f"citycheck {cc.__version__}; extension {native.__file__}; cli {a.cli}")
    print(f"job: {a.data} ({len(panel)} observations, {units} units, {years} years), check-up default spec, "
          f"strict validation, CSV output; best of {a.repeat}")
    print(f"rust    citycheck run CONFIG        {rust:8.3f} s   (process start-up {startup:.4f} s subtracted)")
    print(f"python  cc.run(CONFIG)              {python:8.3f} s")
    print(f"overhead of the Python layer        {python - rust:+8.3f} s   {100 * (python - rust) / rust:+.1f} %")
    print("the notebook path (not in the ratio):")
    print(f"python  cc.Panel.read(CSV)          {read:8.3f} s")
    print(f"python  cc.score(panel, catalog)    {facade:8.3f} s")
    print(f"        native score call alone     {bare:8.3f} s   (the facade adds {facade - bare:+.3f} s, "
          f"{100 * (facade - bare) / bare:+.1f} %)")
    if CRITERION.exists():
        median = json.loads(CRITERION.read_text())["median"]["point_estimate"] / 1e9
        print(f"for reference: cargo bench pipeline/2900x69x5 (in memory, Rust-generated panel of the same shape, "
              f"validate + score) median {median:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
