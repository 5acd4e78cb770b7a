#!/usr/bin/env bash
# `npm test`: install, lint, typecheck, build, start the servers, run unit and integration
# tests against them, stop what it started, and end with one line: "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

read -r -a components <<<"$(local_components)"
bash scripts/bootstrap.sh --browser

say "lint ..."
npx --no-install eslint --max-warnings 0 .
say "typecheck ..."
npx --no-install tsc -p tsconfig.json --noEmit
npx --no-install tsc -p apps/web/tsconfig.json
bash scripts/build.sh

started_infra=()
for c in "${components[@]}"; do
  if ! bash infra/infra.sh status "$c" | grep -q running; then started_infra+=("$c"); fi
done
cleanup() { if ((${#started_infra[@]})); then bash infra/infra.sh down "${started_infra[@]}" || true; fi; }
trap cleanup EXIT
if ((${#components[@]})); then bash infra/infra.sh up "${components[@]}"; fi
local_stack_env

mkdir -p "$STATE"
results="$STATE/jest-results.json"
rm -f "$results"
status=0
npx --no-install jest --runInBand --json --outputFile="$results" "$@" || status=$?
if [[ -f "$results" ]]; then
  node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit "$status"
