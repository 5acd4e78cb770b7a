#!/usr/bin/env bash
# Measures what the production memory requests are based on: the resident memory (VmRSS) of each
# app, built as in the image (NODE_ENV=production), 30 s after it answers /ready, sampled every
# second for 30 s while probes hit /ready. Runs the five apps on ports PORT_BASE..PORT_BASE+4
# against the servers in the environment (KAFKA_BROKERS, MONGO_URL, ...; `npm run infra:up` or your
# own), with a throwaway STACK_PREFIX, then stops them.
#   bash scripts/build.sh && bash k8s/measure-idle-rss.sh [PORT_BASE=3800]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
local_stack_env
base="${1:-3800}"
export STACK_PREFIX="rss$(date +%s)_" HOST=127.0.0.1 LOG_LEVEL=warn NODE_ENV=production
export CONTACTS_URL="http://127.0.0.1:$((base + 1))" INVITES_URL="http://127.0.0.1:$((base + 2))"
export NOTIFICATIONS_URL="http://127.0.0.1:$((base + 3))" FILES_URL="http://127.0.0.1:$((base + 4))"
order=(gateway contacts invites notifications files)
declare -A pid port peak
for i in "${!order[@]}"; do port[${order[$i]}]=$((base + i)); done
trap 'for app in "${!pid[@]}"; do kill "${pid[$app]}" 2>/dev/null || true; done; wait' EXIT
for app in contacts invites notifications files gateway; do
  PORT=${port[$app]} node "$(app_entry "$app")" >"${TMPDIR:-/tmp}/rss-$app.log" 2>&1 &
  pid[$app]=$!
done
for app in "${order[@]}"; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:${port[$app]}/ready" >/dev/null && break; sleep 1; done
  curl -sf "http://127.0.0.1:${port[$app]}/ready" >/dev/null || { say "$app is not ready (log: ${TMPDIR:-/tmp}/rss-$app.log)"; exit 1; }
  peak[$app]=0
done
sleep 30
for _ in $(seq 1 30); do
  for app in "${order[@]}"; do
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/${pid[$app]}/status")
    ((rss > peak[$app])) && peak[$app]=$rss
    curl -s "http://127.0.0.1:${port[$app]}/ready" >/dev/null
  done
  sleep 1
done
for app in "${order[@]}"; do printf '%-14s %4d MiB\n' "$app" $((peak[$app] / 1024)); done
