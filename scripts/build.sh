#!/usr/bin/env bash
# Builds the wasm with wasm-pack, then assembles the npm package in pkg/ (scripts/assemble.mjs).
# --mode no-install: use the wasm-bindgen that scripts/setup.sh installed, never download one.
# --no-pack: pkg/package.json is ours (pkg-template/), wasm-pack's would only be noise.
# node_modules/.bin first on PATH so wasm-pack finds binaryen's current wasm-opt, not an old one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm-pack build --release --target web --mode no-install --no-pack \
  --out-dir target/wasm-pack --out-name http_verdict
node scripts/assemble.mjs

# The demo page's simulator: a second wasm with the `sim` feature, served by scripts/serve.mjs at
# /sim/ and never part of the npm package (which stays free of the simulator's code).
wasm-pack build --release --target web --mode no-install --no-pack \
  --out-dir target/wasm-sim --out-name http_verdict_sim -- --features sim
