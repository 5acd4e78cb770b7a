#!/usr/bin/env bash
# `npm start`: install, build, start the servers and the five services, print where they are.
# Ctrl-C or SIGTERM stops the services and the servers this command started.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

read -r -a components <<<"$(local_components)"
bash scripts/bootstrap.sh
bash scripts/build.sh

started_infra=()
for c in "${components[@]}"; do
  if ! bash infra/infra.sh status "$c" | grep -q running; then started_infra+=("$c"); fi
done
if ((${#components[@]})); then bash infra/infra.sh up "${components[@]}"; fi
local_stack_env

pids=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping services ..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((${#started_infra[@]})); then bash infra/infra.sh down "${started_infra[@]}"; fi
  say "stopped"
  exit 0
}
trap stop_all INT TERM EXIT

declare -A ports=([gateway]=3000 [contacts]=3001 [invites]=3002 [notifications]=3003 [files]=3004)
export CONTACTS_URL="http://127.0.0.1:${ports[contacts]}" INVITES_URL="http://127.0.0.1:${ports[invites]}"
export NOTIFICATIONS_URL="http://127.0.0.1:${ports[notifications]}" FILES_URL="http://127.0.0.1:${ports[files]}"
mkdir -p "$STATE/logs"
for app in "${APPS[@]}"; do
  port="${ports[$app]}"
  [[ "$app" == gateway ]] && port="${PORT:-3000}"
  PORT="$port" node "$(app_entry "$app")" >>"$STATE/logs/$app.log" 2>&1 &
  pids+=($!)
done

say "waiting for the services to be ready ..."
deadline=$((SECONDS + 90))
for app in "${APPS[@]}"; do
  port="${ports[$app]}"; [[ "$app" == gateway ]] && port="${PORT:-3000}"
  until curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      say "error: $app is not ready; its log: $STATE/logs/$app.log"
      curl -sS "http://127.0.0.1:$port/ready" >&2 || tail -n 20 "$STATE/logs/$app.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

cat >&2 <<TXT

  Client Portal is running.
    Firm app     http://localhost:${PORT:-3000}/app
    Portal       http://localhost:${PORT:-3000}/portal   (invite links open here; sign in at /portal/<firm>/sign-in)
    Gateway      http://localhost:${PORT:-3000}/v1
    API docs     http://localhost:${PORT:-3000}/v1/docs
    Mail inbox   http://localhost:8025
    Logs         $STATE/logs/<service>.log
  Press Ctrl-C to stop.

TXT
wait -n "${pids[@]}" || true
say "a service exited; see $STATE/logs"
exit 1
