#!/usr/bin/env python3
"""The speed of `citycheck efficiency` against the scipy peer looping over units (dev-only).

DEV-ONLY: not part of the library, the package or the test run. Issue 20's aim: 2,900 units
× 4 inputs × 4 outputs, CCR input-oriented with slacks, in under 2 s on this machine and at
least 10× faster than scipy.optimize.linprog (HiGHS) looping over the units. R's Benchmarking
and deaR are not installed here (no R): scripts/peers/dea_scipy.py is the peer. It needs the
release command line and a venv with numpy and scipy:

    cargo build --release
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy scipy
    .venv-peer/bin/python scripts/peers/bench_dea.py [--units 2900] [--repeat 3] [--work /tmp/dea]

The data: seeded (`--seed`, default 42) Cobb–Douglas-like outputs of uniform inputs with a
random inefficiency, every value > 0. Times are wall clocks, best of `--repeat`:

  citycheck  `citycheck efficiency --model ccr --orientation input` as a process: read the
             CSV, one LP per unit (both phases: θ, then the largest slack sum) in parallel, the
             BCC LP per unit for the scale efficiency and returns to scale, write
             efficiency.csv;
  peer       the same LPs with linprog in a Python loop, timed in this process without start-up:
             CCR phase one and two per unit, and (printed apart) the BCC phase one citycheck
             also solves.

The scores of both are compared (max |Δ|, to --tol); exit status 1 when they disagree.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "peers"))

import dea_scipy as peer  # noqa: E402


def generate(n: int, m: int, s: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(10.0, 100.0, size=(n, m))
    scale = np.prod(x ** (1.0 / m), axis=1)
    efficiency = rng.uniform(0.5, 1.0, size=n)
    y = scale[:, None] * efficiency[:, None] * rng.uniform(0.5, 1.5, size=(n, s))
    return x, y


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=2900)
    ap.add_argument("--inputs", type=int, default=4)
    ap.add_argument("--outputs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--work", type=Path, default=Path("/tmp/dea-bench"))
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "citycheck")
    a = ap.parse_args()
    if not a.cli.exists():
        raise SystemExit(f"{a.cli} not found: build it with `cargo build --release`")
    a.work.mkdir(parents=True, exist_ok=True)
    x, y = generate(a.units, a.inputs, a.outputs, a.seed)
    ins = [f"x{i + 1}" for i in range(a.inputs)]
    outs = [f"y{r + 1}" for r in range(a.outputs)]
    data = a.work / "units.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", *ins, *outs])
        for k in range(a.units):
            w.writerow([f"u{k + 1}", *(repr(float(v)) for v in x[k]), *(repr(float(v)) for v in y[k])])
    out = a.work / "out"
    args = [str(a.cli), "efficiency", "--data", str(data), "--inputs", ",".join(ins), "--outputs", ",".join(outs)]
    args += ["--model", "ccr", "--orientation", "input", "--out", str(out)]
    cli_times = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        cli_times.append(time.perf_counter() - start)
    cli = min(cli_times)

    start = time.perf_counter()
    mine = peer.scores(x, y, "ccr", "input")  # both phases per unit
    ccr_time = time.perf_counter() - start
    start = time.perf_counter()
    for k in range(a.units):
        peer.radial(x, y, x[k], y[k], True, "input")
    bcc_time = time.perf_counter() - start

    with (out / "efficiency.csv").open(encoding="utf-8") as fh:
        got = [float(r["score"]) for r in csv.DictReader(fh)]
    worst = max(abs(g - p[0]) for g, p in zip(got, mine) if p[0] is not None)
    print(f"{a.units} units × {a.inputs} inputs × {a.outputs} outputs, CCR input-oriented with slacks")
    print(f"citycheck efficiency (process, best of {a.repeat})            {cli:9.3f} s   aim < 2 s")
    print(f"scipy peer: CCR both phases, looped                          {ccr_time:9.3f} s   = {ccr_time / cli:6.1f}×")
    print(
        f"scipy peer: + the BCC LP citycheck also solves               {ccr_time + bcc_time:9.3f} s   = "
        f"{(ccr_time + bcc_time) / cli:6.1f}×   aim ≥ 10×"
    )
    print(f"max |score difference|                                       {worst:9.2e}     tolerance {a.tol:g}")
    return 0 if worst <= a.tol else 1


if __name__ == "__main__":
    raise SystemExit(main())
