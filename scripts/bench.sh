#!/usr/bin/env bash
# The core's benchmarks in one run: native Rust (cargo bench) and the same calls from JavaScript
# through the wasm boundary, next to a plain JS switch. Figures, not pass/fail: see README "Speed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
bash scripts/build.sh >/dev/null 2>&1
cargo bench --quiet --bench core 2>/dev/null
node benches/js-core.mjs
