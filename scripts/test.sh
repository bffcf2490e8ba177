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

echo "== cargo test (unit, integration, doc tests)"
cargo test --all-targets
cargo test --doc

echo "== Python package (maturin develop + pytest)"
bash scripts/python-tests.sh
