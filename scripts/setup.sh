#!/usr/bin/env bash
# Installs what building and testing http-verdict needs, and only what is missing, so it is cheap to
# run before every build or test. Works unattended (no TTY, CI=true) as root on a fresh machine of this
# closed network: everything comes from crates.io, npm or Debian, never from a binary download.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WASM_PACK_VERSION=0.15.1
say() { printf 'setup: %s\n' "$*"; }

# Root on CI and the dev machines; sudo only matters if someone runs this as another user.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# `cargo install --locked` reproduces the tool's own lockfile, but a pinned crate in it may be missing
# from the registry mirror (wasm-bindgen-cli 0.2.130 pins a webpki-roots the mirror lacks); then
# resolve afresh against the mirror. --force replaces a binary of the wrong version. --debug: these
# tools only orchestrate (a wasm-bindgen run takes 0.3 s instead of 0.06 s, and its output is
# byte-identical), while a debug build halves the install on a bare 2-core machine (measured
# 2026-12-07: wasm-pack 127 → 66 s, wasm-bindgen-cli 142 → 69 s).
cargo_install() { # crate version
  cargo install --debug --locked --force "$1" --version "$2" ||
    { say "--locked install of $1 $2 failed; retrying without --locked"; cargo install --debug --force "$1" --version "$2"; }
}

# 1. The wasm target (a fresh rustup toolchain has only the host target).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rust component $component"
    rustup component add "$component"
  fi
done

# 2. wasm-bindgen CLI at exactly the version Cargo.lock resolved: wasm-pack (--mode no-install) refuses
# any other, and the test runner must speak the same ABI as the crate.
[ -f Cargo.lock ] || cargo generate-lockfile
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$bindgen_version" ] || { echo "setup: no wasm-bindgen package in Cargo.lock" >&2; exit 1; }
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
have_runner=$(command -v wasm-bindgen-test-runner || true)
if [ "$have_bindgen" != "$bindgen_version" ] || [ -z "$have_runner" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (found: ${have_bindgen:-none})"
  cargo_install wasm-bindgen-cli "$bindgen_version"
fi

# 3. wasm-pack, pinned so every machine builds the same way.
have_pack=$(wasm-pack --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_pack" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (found: ${have_pack:-none})"
  cargo_install wasm-pack "$WASM_PACK_VERSION"
fi

# 4. Dev npm packages (wasm-opt from binaryen, vite, playwright-core, typescript). npm writes
# node_modules/.package-lock.json on every install, so it tells whether node_modules matches the lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# 5. Debian's Chromium for the browser tests (a browser download by playwright would fail here).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

# 5b. Debian's Firefox ESR, the second browser engine (tests/browser/engines.test.mjs, driven by
# puppeteer-core over WebDriver BiDi: no geckodriver needed).
if [ ! -x /usr/bin/firefox-esr ]; then
  say "installing firefox-esr from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends firefox-esr
fi

# 6. Debian's nginx, a real rate limiter and redirector for tests/node/nginx.test.mjs (started by the
# tests on a loopback port with their own config; the package's own service is not used). The
# `nginx` package has limit_req and return, all the tests need (nginx-light only adds a module).
if [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx
fi

# 7. Debian's redis-server for tests/node/redis*.test.mjs (the fleet sharing over Redis): the tests
# start their own on a free loopback port without persistence and stop it by its PID; the package's
# own service is not used.
if [ ! -x /usr/bin/redis-server ]; then
  say "installing redis-server from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server
fi

say "ok (wasm-bindgen $bindgen_version, wasm-pack $WASM_PACK_VERSION, $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1), $(/usr/bin/firefox-esr --version 2>/dev/null), $(/usr/sbin/nginx -v 2>&1), $(/usr/bin/redis-server --version | cut -d' ' -f1-3))"
