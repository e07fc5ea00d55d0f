#!/bin/sh
# Part of `npm run setup`: the report test renders the resilience report in Debian's Chromium,
# driven by playwright-core (which downloads no browser). Installs the Debian package when it is
# missing and we may (root with apt-get); otherwise says what to do. CHROMIUM_PATH overrides.
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found at $CHROMIUM; installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
  echo "chromium: $(/usr/bin/chromium --version)"
  exit 0
fi
echo "chromium: not found at $CHROMIUM. The report test needs it: install Debian's chromium" >&2
echo "(sudo apt-get install chromium) or point CHROMIUM_PATH at a Chromium or Chrome binary." >&2
exit 1
