#!/usr/bin/env bash
# Builds the extension, packages the VSIX and runs the E2E tests in code-server + chromium.
# Usage: scripts/e2e/run.sh [filter]   (filter: substring of a test name, e.g. "smoke" or
# "extension-host"). Needs scripts/e2e/setup.sh once. The last line is "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
E2E=${E2E_DIR:-$ROOT/.e2e}
export E2E_DIR="$E2E"
VSIX=${E2E_VSIX:-$E2E/local-agents.vsix}
export E2E_VSIX="$VSIX"
t() { echo "[e2e:run $(date +%T)] $*"; }
fail() { echo "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ -f "$E2E"/system-node-path ] && [ -f "$E2E"/cs/.installed ] || fail "E2E tools missing: run npm run e2e:setup"

# Whatever happens to the runner (crash, Ctrl-C), code-server and everything it spawned goes.
cleanup() {
  local pgid_file="$E2E"/run/code-server.pgid
  if [ -f "$pgid_file" ]; then kill -- -"$(cat "$pgid_file")" 2>/dev/null || true; fi
}
trap cleanup EXIT
# timeout(1) ends a hung run with TERM: exit through the EXIT trap, so code-server's group goes too.
trap 'exit 143' TERM INT

if [ -z "${E2E_SKIP_BUILD:-}" ]; then
  # The extension-host suite loads the development build (dist/); the UI tests install the VSIX.
  t "build"
  npm run build || fail "npm run build failed"
  if [ -z "${E2E_PACKAGED:-}" ]; then
    t "package $VSIX (platform VSIX with its Node runtime)"
    rm -f "$VSIX"
    npm run package -- --out "$VSIX" || fail "npm run package failed"
  fi
fi
[ -f "$VSIX" ] || fail "$VSIX is missing: run npm run package -- --out $VSIX"

t "run tests${1:+ matching '$1'}"
node test/e2e/runner.js "$@"
