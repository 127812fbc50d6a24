#!/usr/bin/env bash
# Type-checks the page's modules (src/Earworm.Web/wwwroot/js, `// @ts-check` with JSDoc types) with TypeScript's
# compiler in strict mode; nothing is emitted, the page keeps no build step. Uses `tsc` from PATH, else installs
# TypeScript 5 with npm into a temporary folder (so it needs npm and the registry; ./test.sh does not run it).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
tsc="$(command -v tsc || true)"
if [ -z "$tsc" ]; then
  command -v npm >/dev/null 2>&1 || { echo "check-js: needs tsc on PATH or npm to install TypeScript (apt-get install -y npm)" >&2; exit 2; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  npm install --prefix "$tmp" --no-audit --no-fund --silent typescript@5 >&2
  tsc="$tmp/node_modules/.bin/tsc"
fi
"$tsc" --noEmit --allowJs --checkJs --strict --target es2022 --module es2022 --moduleResolution bundler \
  --lib es2022,dom,dom.iterable "$here"/src/Earworm.Web/wwwroot/js/*.js
echo "check-js: the page's modules type-check (strict)"
