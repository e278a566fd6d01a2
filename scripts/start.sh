#!/usr/bin/env bash
# The demo: installs what is missing, builds pkg/, then serves www/ and pkg/ on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs
