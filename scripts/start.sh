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

# Each service runs under a small supervisor: a service that exits is started again after a
# pause that doubles from 1 s up to 30 s (back to 1 s once it has stayed up a minute), so one
# crash never stops the others. A configuration error (exit 78) is not retried: it cannot heal.
supervisors=()
stopping="$STATE/run/services-stopping"
mkdir -p "$STATE/run" "$STATE/logs"
rm -f "$stopping"

supervise() { # app port
  local app="$1" port="$2" delay=1 started code child
  trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; exit 0' TERM
  while true; do
    started=$SECONDS
    PORT="$port" node "$(app_entry "$app")" >>"$STATE/logs/$app.log" 2>&1 &
    child=$!
    code=0
    wait "$child" || code=$?
    [[ -e "$stopping" ]] && exit 0
    if ((code == 78)); then
      say "error: $app refused its configuration (exit 78); see $STATE/logs/$app.log"
      exit 78
    fi
    ((SECONDS - started >= 60)) && delay=1
    say "$app exited with $code; starting it again in ${delay}s (log: $STATE/logs/$app.log)"
    sleep "$delay" &
    child=$!
    wait "$child" || true
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

stop_all() {
  trap - INT TERM EXIT
  say "stopping services ..."
  touch "$stopping"
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${supervisors[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((${#started_infra[@]})); then bash infra/infra.sh down "${started_infra[@]}"; fi
  say "stopped"
  exit 0
}
trap stop_all INT TERM EXIT

declare -A ports=([gateway]=3000 [contacts]=3001 [invites]=3002 [notifications]=3003 [files]=3004 [audit]=3005)
ports[gateway]="${PORT:-3000}"
export CONTACTS_URL="http://127.0.0.1:${ports[contacts]}" INVITES_URL="http://127.0.0.1:${ports[invites]}"
export NOTIFICATIONS_URL="http://127.0.0.1:${ports[notifications]}" FILES_URL="http://127.0.0.1:${ports[files]}"
export AUDIT_URL="http://127.0.0.1:${ports[audit]}"
for app in "${APPS[@]}"; do
  supervise "$app" "${ports[$app]}" &
  supervisors+=($!)
done

say "waiting for the services to be ready ..."
deadline=$((SECONDS + 90))
for app in "${APPS[@]}"; do
  port="${ports[$app]}"
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
# Services that exit are started again by their supervisors; only a configuration error ends one.
wait -n "${supervisors[@]}" || true
say "a service cannot start (see $STATE/logs); stopping"
exit 1
