#!/usr/bin/env bash
# The one test command (`bash scripts/test.sh`, also CI's .ci/run). Runs every check in order, stops
# at the first failing stage, and ends with the plain line `N passed, N failed` counting stages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

# Counted from this file so the number cannot drift; stages not reached are reported as skipped.
STAGES=$(grep -c '^stage ' "${BASH_SOURCE[0]}")
passed=0
failed=0
timings=()

# Runs one stage as a single command. Not inside `if`, because bash ignores `set -e` in there.
stage() {
  local name=$1 started=$SECONDS rc=0
  shift
  printf '\n==> [%d/%d] %s\n' $((passed + failed + 1)) "$STAGES" "$name"
  set +e
  "$@"
  rc=$?
  set -e
  timings+=("$(printf '%5ds  %s' $((SECONDS - started)) "$name")")
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    printf '<== ok: %s (%ds)\n' "$name" $((SECONDS - started))
  else
    failed=$((failed + 1))
    printf '<== FAILED: %s (exit %d)\n' "$name" "$rc"
    summary
    exit "$rc"
  fi
}

summary() {
  printf '\nstage times:\n'
  printf '%s\n' "${timings[@]}"
  local skipped=$((STAGES - passed - failed))
  if [ "$skipped" -gt 0 ]; then
    printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  else
    printf '%d passed, %d failed\n' "$passed" "$failed"
  fi
}

stage "setup (install what is missing)" bash scripts/setup.sh
stage "cargo fmt --check" cargo fmt --all --check
stage "eslint (every hand-written JS file)" eslint .
stage "clippy (native, all targets, the core and the simulator)" cargo clippy --workspace --all-targets -- -D warnings
stage "clippy (wasm32, lib, as the package builds it)" cargo clippy --lib --target wasm32-unknown-unknown --features package -- -D warnings
stage "cargo test (native, the core and the simulator)" cargo test --workspace
# The same tests compiled to wasm32 and run in Node by wasm-bindgen's runner. --lib --tests leaves out
# doctests: with --target cargo still builds and runs them for the host, a repeat of the native stage.
stage "cargo test (wasm32 in Node)" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib --tests
# The never-trap job: proptest with a large case count over every parser, classifier, profile and
# decision (a panic there would trap the wasm instance). Release mode keeps it near a minute.
stage "fuzz (proptest, ${FUZZ_CASES:=200000} cases per property, release)" env PROPTEST_CASES="$FUZZ_CASES" \
  cargo test --release --test fuzz_inputs --test properties
stage "build pkg/ (wasm-pack + assemble, size budget)" bash scripts/build.sh
stage "node tests (tests/node)" node --test tests/node/
stage "typescript (tests/types against pkg/index.d.ts)" tsc --noEmit -p tests/types/tsconfig.json
stage "packaging (npm pack, install, ESM/CJS/bundler/browser)" node --test tests/pack/
stage "browser (headless chromium: plain page, createFetch, tabs sharing, offline, CSP, demo)" node --test tests/browser/
summary
