#!/usr/bin/env python3
"""Runs every code cell of a Jupyter notebook, in order, in one namespace, with the standard
library only (no jupyter, nbformat or IPython). scripts/python-tests.sh runs
python/examples/quickstart.ipynb this way, so that the notebook cannot rot.

    python python/examples/run_notebook.py [NOTEBOOK ...]

Without an argument, the quickstart.ipynb beside this file. The cells run as plain Python in
the current working directory (the test script runs from the repository root): what a cell
prints is shown, the value of its last expression is not. IPython syntax (``%magic``,
``!shell``) is refused rather than skipped. The first failing cell stops the run with its
traceback and its number — "code cell K of N (notebook cell C)", C counting markdown cells too,
as Jupyter shows them — and the exit status is 1.
"""

from __future__ import annotations

import json
import linecache
import sys
import traceback
from pathlib import Path
from typing import Any


def code_cells(path: Path) -> list[tuple[int, str]]:
    """(position among all cells, 1-based; source) of every code cell of an nbformat-4 notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    if notebook.get("nbformat") != 4:
        raise ValueError(f"expected an nbformat 4 notebook, found nbformat {notebook.get('nbformat')!r}")
    cells = []
    for position, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append((position, "".join(source) if isinstance(source, list) else source))
    return cells


def ipython_syntax(source: str) -> str | None:
    """The first line of ``source`` that only IPython understands, if any."""
    for line in source.splitlines():
        if line.lstrip().startswith(("%", "!")):
            return line
    return None


def run(path: Path) -> bool:
    """Runs the notebook's code cells; False (after printing why) at the first failure."""
    try:
        cells = code_cells(path)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read the notebook: {e}", file=sys.stderr)
        return False
    if not cells:
        print(f"{path}: no code cell to run", file=sys.stderr)
        return False
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for k, (position, source) in enumerate(cells, start=1):
        where = f"{path.name}, code cell {k} of {len(cells)} (notebook cell {position})"
        magic = ipython_syntax(source)
        if magic is not None:
            print(f"FAILED {where}: IPython syntax is not run here: {magic.strip()!r}", file=sys.stderr)
            return False
        filename = f"<{where}>"
        # Lets the traceback quote the failing line of the cell.
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        try:
            exec(compile(source, filename, "exec"), namespace)
        except Exception:
            traceback.print_exc()
            print(f"FAILED {where}", file=sys.stderr)
            return False
    print(f"{path}: all {len(cells)} code cells ran")
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [Path(__file__).with_name("quickstart.ipynb")]
    return 0 if all(run(path) for path in paths) else 1


if __name__ == "__main__":
    sys.exit(main())
