#!/usr/bin/env bash
# One idempotent set-up for `npm run demo`, `npm test` and `npm run bench`:
# npm dependencies when missing or stale, a Chromium when none is found
# (Debian's package, when we are root), then the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# 1. npm dependencies (npm ci only when node_modules is missing or older than the lock file).
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  # electron is there for its type declarations only (the type test): no binary download.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

# 2. A Chrome/Chromium: CHROME_PATH, else the usual places; install Debian's chromium if none.
find_chrome() {
  if [ -n "${CHROME_PATH:-}" ]; then
    [ -x "$CHROME_PATH" ] && { echo "$CHROME_PATH"; return 0; }
    return 1
  fi
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}
if ! chrome=$(find_chrome); then
  if [ -n "${CHROME_PATH:-}" ]; then
    say "CHROME_PATH=$CHROME_PATH is not an executable; fix it or unset it"
    exit 1
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "no Chrome found: installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
    chrome=$(find_chrome) || { say "chromium installed but not found"; exit 1; }
  else
    say "no Chrome found. Install one ('sudo apt-get install -y chromium' on Debian/Ubuntu) or set CHROME_PATH."
    exit 1
  fi
fi
say "Chrome: $chrome"

# 2b. For the remote-browser tests (Selenium Grid, chromedriver endpoints): Debian's chromedriver
# (it matches Debian's chromium) and a Java for the Grid jar (an npm dev dependency).
missing=()
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    say "missing ${missing[*]} (needed by the remote-browser tests only)"
  fi
fi

# 3. Build (tsc is incremental enough at this size: a few seconds).
npx tsc -p tsconfig.json
