#!/usr/bin/env bash
# Every test of citycheck: the Rust unit, integration and documentation tests.
# This is the README's test command; .ci/run calls it. It needs only Rust (cargo) and
# downloads the crates it needs. The Python package and its pytest suite come with issue 7;
# when they land, this script builds them into a venv and runs pytest too.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (unit, integration, doc tests)"
cargo test --all-targets
cargo test --doc
