#!/usr/bin/env bash
# Installs what the project needs, once: npm packages (when the lock file changed) and the
# pinned servers (into the shared cache); with --browser also Debian's chromium for the browser
# e2e. Safe to run every time; warm runs take a second.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for tool in node npm; do command -v "$tool" >/dev/null || { say "error: $tool is required"; exit 1; }; done

stamp="node_modules/.install-stamp"
lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  say "installing npm packages ..."
  # `npm install` honours the lock file exactly; npm 11's `npm ci` rejects a lock that omits
  # other platforms' optional binaries (unrs-resolver), which is how npm 11 writes it.
  npm install --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

read -r -a components <<<"$(local_components)"
if ((${#components[@]})); then bash infra/infra.sh install "${components[@]}"; fi

# Schemathesis (the API fuzz test) in a virtualenv of its own, once per pinned version.
venv="$(schemathesis_venv)"
if [[ ! -f "$venv/.installed" ]]; then
  command -v python3 >/dev/null || { say "error: python3 (3.9+) is required for the API fuzz test"; exit 1; }
  say "installing schemathesis into $venv ..."
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$ROOT/test/fuzz/requirements.txt"
  touch "$venv/.installed"
fi

# kustomize and the Kubernetes schema validator, for the k8s/ test (test/unit/k8s-manifests.spec.ts).
bash scripts/k8s-tools.sh install

# The browser e2e drives Debian's chromium through playwright-core: no browser download at test time.
if [[ " $* " == *" --browser "* && -z "${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-}" ]] && ! command -v chromium >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    say "warning: no chromium: the browser e2e needs Debian's package 'chromium' (apt-get install -y chromium as root) or PLAYWRIGHT_CHROMIUM_EXECUTABLE pointing at a Chromium binary"
  fi
fi
