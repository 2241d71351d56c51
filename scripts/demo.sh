#!/usr/bin/env bash
# `npm run demo`: set everything up, generate the bundled sample batch, and process it through the
# real workflows on the embedded Temporal dev server.
set -euo pipefail
# Two malloc arenas: with one per thread (glibc's default) the engine's native memory grew all batch long (README, Speed).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cache="${KYC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kyc-engine}"
sample="$cache/sample-batch"
npx --no-install tsx scripts/generate-corpus.ts --sample --clean --out "$sample" >&2
npx --no-install kyc process "$sample"/*/ --as-of 2026-11-01 --sanctions "$sample/sanctions.csv" "$@"
