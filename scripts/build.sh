#!/usr/bin/env bash
# Builds the wasm with wasm-pack, optimises it with wasm-opt, then assembles the npm package in pkg/
# (scripts/assemble.mjs: bundles the JS, strips the wasm's names, prints sizes, enforces the budget).
# --mode no-install: use the wasm-bindgen that scripts/setup.sh installed, never download one.
# --no-pack: pkg/package.json is ours (pkg-template/), wasm-pack's would only be noise.
# --features package: the crate without std, with a trapping panic and a small allocator.
# node_modules/.bin first on PATH so that binaryen's current wasm-opt runs, not an old one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The core's tables the package's JavaScript bundles (the verdicts' words, reason ids, method and
# header names, the documented kinds), written by the core natively: in one place, out of the wasm.
cargo run --quiet --example core_tables -- target/core-tables

wasm-pack build --release --target web --mode no-install --no-pack \
  --out-dir target/wasm-pack --out-name http_verdict -- --features package
# wasm-pack's own wasm-opt run is off (Cargo.toml): this one keeps the names (-g) in a twin that the
# size report reads; assemble ships it with only the custom sections removed. -Oz measured smaller
# than -Os here, and the code it produces decides as fast (README "Speed").
# --low-memory-unused: Rust's wasm32 layout puts the stack below 1 MiB growing down and the data
# above it, so the first 1 KiB is never addressed (the stack would have overflowed first); binaryen
# then folds constant offsets into loads and stores (-254 B gzip, measured).
mkdir -p target/size
wasm-opt -Oz --converge --low-memory-unused -g target/wasm-pack/http_verdict_bg.wasm -o target/size/http_verdict_named.wasm
node scripts/assemble.mjs

# The demo page's simulator: a second wasm, from its own crate (sim/), served by scripts/serve.mjs at
# /sim/ and never part of the npm package (which stays free of the simulator's code).
wasm-pack build sim --release --target web --mode no-install --no-pack \
  --out-dir "$PWD/target/wasm-sim" --out-name http_verdict_sim
wasm-opt -Oz target/wasm-sim/http_verdict_sim_bg.wasm -o target/wasm-sim/http_verdict_sim_bg.wasm
