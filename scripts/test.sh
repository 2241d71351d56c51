#!/usr/bin/env bash
# `npm test`: set everything up, then run every test layer (unit, activity, adapter, API, workflow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx --no-install tsc --noEmit -p .
npx --no-install vitest run "$@"
