#!/usr/bin/env bash
# The Python package's tests: lints and type-checks the pure-Python facade (ruff, mypy
# --strict against the native module's stub python/citycheck/_citycheck.pyi; no build needed),
# builds the extension (maturin develop, debug) into the venv .venv, created here if absent,
# checks the native stub against it (mypy stubtest), runs the pytest suite in python/tests
# (with the README's Python quick start and the docstring examples) and executes the example
# notebook python/examples/quickstart.ipynb. The chart tests (python/tests/test_plot.py) save
# PNGs with Chinese text: when matplotlib finds no CJK font, Debian's fonts-noto-cjk is
# installed with apt-get (as root, or through sudo); without apt-get, install a CJK font by hand.
# Needs only Rust, Python 3 (≥ 3.9) and Java 17 (for pyspark); pip downloads maturin, pytest,
# polars, pandas, pyarrow, numpy, matplotlib, mypy, ruff and pyspark the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv"
    python3 -m venv "$venv"
fi
# maturin develop installs into the active virtual environment.
# shellcheck disable=SC1091
source "$venv/bin/activate"

echo "== pip install maturin pytest polars pandas pyarrow numpy matplotlib mypy ruff"
python -m pip install --quiet --disable-pip-version-check maturin pytest polars pandas pyarrow numpy matplotlib mypy ruff
# citycheck.spark's tests run Spark in local mode (python/tests/test_spark.py); pyspark needs
# Java 17. CITYCHECK_SKIP_SPARK=1 skips them (and this install).
if [ "${CITYCHECK_SKIP_SPARK:-0}" != "1" ]; then
    python -m pip install --quiet --disable-pip-version-check "pyspark>=3.5"
    if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
        export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    fi
fi

# Settings in pyproject.toml ([tool.ruff], [tool.mypy]).
echo "== ruff check python (the package, its tests and the example notebook)"
ruff check "$root/python"

echo "== mypy --strict python/citycheck (inline hints; the native module through its stub; matplotlib's own types)"
python -m mypy --strict "$root/python/citycheck"

# One target dir for cargo and maturin: polars is built once for both.
export CARGO_TARGET_DIR="$root/target"
# A build with abi3 on and one with it off leave differently named extensions side by side,
# and Python may load the stale one: remove every earlier build first.
rm -f "$root"/python/citycheck/_citycheck*.so "$root"/python/citycheck/_citycheck*.pyd

echo "== maturin develop (debug): the binding crate python/Cargo.toml"
maturin develop --manifest-path "$root/python/Cargo.toml"

echo "== mypy stubtest: the native module's stub against the built module (the rest is typed inline)"
(cd "$root/python" && python -m mypy.stubtest --mypy-config-file "$root/pyproject.toml" citycheck._citycheck)

# The charts write Chinese in the first font of citycheck.plot.CJK_FONTS that matplotlib finds.
has_cjk_font() {
    python - <<'PY'
import sys
import warnings

warnings.simplefilter("ignore")  # the "no CJK font" warning: the exit status says it
from citycheck.plot import cjk_font

font = cjk_font()
print(f"CJK font for the charts: {font}")
sys.exit(0 if font else 1)
PY
}
echo "== a CJK font for the charts (python/tests/test_plot.py fails on a missing glyph)"
if ! has_cjk_font; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "no font with Chinese glyphs and no apt-get: install one of citycheck.plot.CJK_FONTS" \
             "(Noto Sans CJK, Source Han Sans, WenQuanYi, …) and run again" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "== apt-get install fonts-noto-cjk"
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-noto-cjk; }; then
        echo "apt-get could not install fonts-noto-cjk: the chart tests need a CJK font" >&2
        exit 1
    fi
    # matplotlib caches its font list: forget it so that it sees the new font.
    rm -f "$(python -c 'import matplotlib; print(matplotlib.get_cachedir())')"/fontlist-*.json
    if ! has_cjk_font; then
        echo "fonts-noto-cjk is installed but matplotlib finds no CJK font in it" >&2
        exit 1
    fi
fi

echo "== pytest python/tests and the docstring examples of python/citycheck"
status=0
python -m pytest "$root/python/tests" "$root/python/citycheck" --doctest-modules -q || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure, not a pass" >&2
    exit 1
fi

echo "== the example notebook, every code cell in order (python/examples/run_notebook.py)"
"$venv/bin/python" "$root/python/examples/run_notebook.py" "$root/python/examples/quickstart.ipynb" || status=$?
exit "$status"
