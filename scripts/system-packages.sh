#!/bin/sh
# System packages some tests use (they skip with a reason where these are missing):
#   fonts-noto-cjk  Chinese glyphs for the PNG/PDF certificate card and the QR page screenshots
#   chromium        the headless browser the QR calculator page is tested in (Playwright drives
#                   this one; no browser is downloaded)
#   nodejs npm      Ajv (installed from npm by the test) checks the frontend JSON Schemas
# Installed with apt-get when it is available and we may use it; otherwise a note, not a failure.
PACKAGES="fonts-noto-cjk chromium nodejs npm"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-packages: no apt-get; skipping $PACKAGES (tests that need them will skip)"
    exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "system-packages: not root and no sudo; skipping $PACKAGES"; exit 0; fi
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
    || echo "system-packages: could not install$missing (tests that need them will skip)"
exit 0
