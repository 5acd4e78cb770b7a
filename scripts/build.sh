#!/usr/bin/env bash
# Compiles every app with the Nest CLI; skipped when no source changed since the last build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

sources_hash="$( (find apps libs -type f -name '*.ts' ! -name '*.spec.ts' -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json tsconfig*.json nest-cli.json) | sha256sum | cut -c1-16)"
stamp="dist/.build-stamp"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$sources_hash" ]]; then exit 0; fi

say "building ${#APPS[@]} services ..."
started=$SECONDS
rm -rf dist
npx --no-install nest build --all >/dev/null
echo "$sources_hash" >"$stamp"
say "built in $((SECONDS - started))s"
