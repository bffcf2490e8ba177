#!/usr/bin/env bash
# Every test of citycheck: the Rust unit, integration and documentation tests, then the
# Python package's pytest suite (scripts/python-tests.sh: a venv in .venv, maturin develop).
# This is the README's test command; .ci/run calls it. It needs only Rust and Python 3 and
# downloads the crates and Python packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# At the root, cargo means the library (the workspace's default member): the binding crate
# python/ is a pyo3 cdylib, built and tested through Python below.
echo "== cargo fmt --check and cargo clippy (the library, its CLI and the binding crate)"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

# The report test renders report.html in headless Chromium (tests/it/report.rs): Debian's
# chromium package, with a Chinese font so that the page's CJK text has glyphs. Installed when
# absent; a machine that cannot install it fails here, loudly (CITYCHECK_SKIP_BROWSER=1 skips
# the browser test, and this step, on purpose).
if [ "${CITYCHECK_SKIP_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "== installing Debian's chromium and a CJK font for the report test"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: chromium is not installed and apt-get is not available: install Chromium," \
             "or set CITYCHECK_SKIP_BROWSER=1 to skip the browser test" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-wqy-microhei
fi

echo "== cargo test (unit, integration, doc tests)"
cargo test --all-targets
cargo test --doc

# The fuzzing harness's bounded run on its own, so that its counts (runs, panics, hangs, NaN
# outputs, inconsistent exits) are printed; the long run is in README (Development).
echo "== fuzzing harness, bounded run (tests/it/fuzz.rs)"
cargo test --test it fuzz_bounded_run -- --ignored --nocapture

echo "== Python package (maturin develop + pytest)"
bash scripts/python-tests.sh
