#!/usr/bin/env bash
# Compiles every app with the Nest CLI, then the web app (apps/web) with Vite and checks its
# bundle budget; each part is skipped when none of its sources changed since its last build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

web_build() {
  local web_hash web_stamp="apps/web/dist/.build-stamp"
  web_hash="$( (find apps/web -path apps/web/dist -prune -o -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json) | sha256sum | cut -c1-16)"
  if [[ -f "$web_stamp" && "$(cat "$web_stamp")" == "$web_hash" ]]; then return 0; fi
  say "building the web app ..."
  local started=$SECONDS
  npx --no-install vite build --config apps/web/vite.config.mts --logLevel warn
  node scripts/web-budget.mjs
  echo "$web_hash" >"$web_stamp"
  say "web app built in $((SECONDS - started))s"
}

sources_hash="$( (find apps libs -path apps/web -prune -o -type f -name '*.ts' ! -name '*.spec.ts' -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json tsconfig*.json nest-cli.json) | sha256sum | cut -c1-16)"
stamp="dist/.build-stamp"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$sources_hash" ]]; then web_build; exit 0; fi

say "building ${#APPS[@]} services ..."
started=$SECONDS
rm -rf dist
npx --no-install nest build --all >/dev/null
echo "$sources_hash" >"$stamp"
say "built in $((SECONDS - started))s"
web_build
