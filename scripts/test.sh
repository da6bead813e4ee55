#!/usr/bin/env bash
# Every test: types, lint, rule tests, process tests (real server over stdio, fake OpenAI, MCP servers),
# and the end-to-end tests in a real VS Code (code-server + chromium). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
[ -d node_modules ] || npm ci
# Node 22 for the MCP conformance runner, kept apart so npm scripts stay on the project's Node.
[ -x test/mcp/node22/node_modules/node/bin/node ] || npm --prefix test/mcp/node22 ci --no-audit --no-fund
step() { echo; echo "=== $* ==="; }
step typecheck; npm run --silent typecheck
step lint;      npm run --silent lint
step "unit tests";    npm run --silent test:unit
# The platform VSIX with its own Node: the packaged CLI's process test and the E2E tests use it.
VSIX="$PWD/.e2e/local-agents.vsix"
mkdir -p .e2e
step "package ($(node -p 'process.platform + "-" + process.arch') VSIX with its Node runtime)"; node scripts/package.mjs --out "$VSIX"
# Computer use drives a real browser in the process tests: Debian's chromium, as a user's installed browser.
step "chromium (apt)"; timeout --kill-after=30s 15m bash scripts/ensure-chromium.sh
step "process tests"; npm run --silent test:process
if [ "${LOCAL_AGENTS_SKIP_E2E:-}" = "1" ]; then
  echo "E2E skipped (LOCAL_AGENTS_SKIP_E2E=1)"
else
  # Called directly, not through npm run, so installs inside keep their own output and npm environment.
  # Bounded like the node suites: a hang ends as a red line that names the step, within CI's time.
  step "end-to-end tests (code-server + chromium)"
  timeout --kill-after=30s 15m bash scripts/e2e/setup.sh
  E2E_VSIX="$VSIX" E2E_PACKAGED=1 timeout --kill-after=30s 25m bash scripts/e2e/run.sh
fi
