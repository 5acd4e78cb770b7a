#!/usr/bin/env bash
# Installs (pinned, cached) and runs the servers the services need, natively on loopback:
# Kafka (KRaft), a MongoDB-wire server (mongo-java-server with its H2 file backend, see
# infra/mongo/), MinIO and Mailpit (SMTP + web inbox).
#
#   infra.sh install [component...]   fetch/build into the cache only
#   infra.sh up      [component...]   install if needed, then start
#   infra.sh down    [component...]   stop what `up` started (pid files)
#   infra.sh status  [component...]
#
# Components: kafka mongo minio smtp (default: all). A component whose external address is
# configured (KAFKA_BROKERS, MONGO_URL, S3_ENDPOINT, SMTP_URL) is never started here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CLIENT_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/client-portal}"
STATE="${INFRA_DIR:-$ROOT/.infra}"

# Pinned versions. Changing one gives a new cache folder; the old one stays until removed.
KAFKA_VERSION="3.9.1"
MONGO_JAVA_SERVER_VERSION="1.47.0"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MAILPIT_VERSION="v1.27.11"

# INFRA_*_PORT (with INFRA_DIR) run a private copy beside the usual servers, e.g. a test that
# stops and restarts servers (test/faults) without touching the ones everyone else uses.
KAFKA_PORT="${INFRA_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${INFRA_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${INFRA_MONGO_PORT:-27017}"
MINIO_PORT="${INFRA_MINIO_PORT:-9000}"
MINIO_CONSOLE_PORT="${INFRA_MINIO_CONSOLE_PORT:-9001}"
SMTP_PORT="${INFRA_SMTP_PORT:-1025}"
SMTP_HTTP_PORT="${INFRA_SMTP_HTTP_PORT:-8025}"
# Local-only credentials for the loopback MinIO; real deployments set S3_* themselves.
MINIO_USER="${S3_ACCESS_KEY:-clientportal}"
MINIO_PASSWORD="${S3_SECRET_KEY:-clientportal-local-secret}"

ALL=(kafka mongo minio smtp)

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

external_of() {
  case "$1" in
    kafka) echo "${KAFKA_BROKERS:-}" ;;
    mongo) echo "${MONGO_URL:-}" ;;
    minio) echo "${S3_ENDPOINT:-}" ;;
    smtp) echo "${SMTP_URL:-}" ;;
    *) die "unknown component '$1' (known: ${ALL[*]})" ;;
  esac
}

port_of() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    mongo) echo "$MONGO_PORT" ;;
    minio) echo "$MINIO_PORT" ;;
    smtp) echo "$SMTP_PORT" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_file() { echo "$STATE/run/$1.pid"; }

running_pid() {
  local f; f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  local pid; pid="$(cat "$f")"
  kill -0 "$pid" 2>/dev/null || return 1
  # A killed server stays a zombie where PID 1 does not reap orphans: that is not running.
  [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]] || return 1
  echo "$pid"
}

# Runs a slow step with a line before and after, so a first run shows where it is.
step() {
  local what="$1"; shift
  local started=$SECONDS
  log "$what ..."
  local out; out="$(mktemp)"
  if ! "$@" >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    rm -f "$out"
    die "$what failed"
  fi
  rm -f "$out"
  log "$what done in $((SECONDS - started))s"
}

# ---------- install ----------

kafka_home() { echo "$CACHE/kafka-$KAFKA_VERSION"; }
install_kafka() {
  local home; home="$(kafka_home)"
  [[ -f "$home/.complete" ]] && return 0
  command -v java >/dev/null || die "java is required for Kafka (install a JDK 17+)"
  command -v mvn >/dev/null || die "mvn is required to fetch the Kafka jars"
  rm -rf "$home"; mkdir -p "$home"
  step "resolving Kafka $KAFKA_VERSION jars with Maven (first run only)" \
    mvn -q -B -f "$ROOT/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$home/libs"
  touch "$home/.complete"
}

mongo_home() {
  # The launcher's source and the pom are part of the key, so editing either rebuilds.
  local key; key="$(cat "$ROOT/infra/mongo/pom.xml" "$ROOT/infra/mongo/LocalMongoServer.java" | sha256sum | cut -c1-12)"
  echo "$CACHE/mongo-java-server-$MONGO_JAVA_SERVER_VERSION-$key"
}
install_mongo() {
  local home; home="$(mongo_home)"
  [[ -f "$home/.complete" ]] && return 0
  command -v java >/dev/null || die "java is required for the MongoDB-wire server (install a JDK 17+)"
  command -v javac >/dev/null || die "javac is required to compile infra/mongo/LocalMongoServer.java (install a JDK 17+)"
  command -v mvn >/dev/null || die "mvn is required to fetch the mongo-java-server jars"
  rm -rf "$home"; mkdir -p "$home"
  step "resolving mongo-java-server $MONGO_JAVA_SERVER_VERSION jars with Maven (first run only)" \
    mvn -q -B -f "$ROOT/infra/mongo/pom.xml" -Dmongo-java-server.version="$MONGO_JAVA_SERVER_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$home/libs"
  step "compiling the MongoDB-wire server launcher" \
    javac -d "$home/classes" -cp "$home/libs/*" "$ROOT/infra/mongo/LocalMongoServer.java"
  touch "$home/.complete"
}

go_tool_install() { # name module version
  local dir="$CACHE/$1-$3"
  [[ -x "$dir/$1" ]] && return 0
  command -v go >/dev/null || die "go is required to build $1"
  mkdir -p "$dir"
  step "building $1 $3 with go install (first run only, a few minutes)" \
    env GOBIN="$dir" CGO_ENABLED=0 go install "$2@$3"
}
install_minio() { go_tool_install minio github.com/minio/minio "$MINIO_VERSION"; }
install_smtp() { go_tool_install mailpit github.com/axllent/mailpit "$MAILPIT_VERSION"; }

# ---------- start ----------

launch() { # name logfile command...
  local name="$1" logf="$2"; shift 2
  mkdir -p "$STATE/run" "$STATE/logs"
  # setsid: the server outlives this script and ignores the terminal's Ctrl-C; `down` stops it.
  setsid "$@" >>"$logf" 2>&1 < /dev/null &
  echo $! >"$(pid_file "$name")"
}

start_kafka() {
  local home data conf
  home="$(kafka_home)"; data="$STATE/data/kafka"; conf="$STATE/conf/kafka"
  mkdir -p "$data" "$conf"
  cat >"$conf/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/logs
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
EOF
  cat >"$conf/log4j.properties" <<EOF
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
EOF
  local cp="$home/libs/*"
  if [[ ! -f "$data/logs/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java -cp "$cp" -Dlog4j.configuration="file:$conf/log4j.properties" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    step "formatting Kafka storage" java -cp "$cp" -Dlog4j.configuration="file:$conf/log4j.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$conf/server.properties" --ignore-formatted
  fi
  launch kafka "$STATE/logs/kafka.log" java -Xms256m -Xmx768m -XX:+UseG1GC \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$conf/log4j.properties" \
    -cp "$cp" kafka.Kafka "$conf/server.properties"
}

start_mongo() {
  local home; home="$(mongo_home)"
  mkdir -p "$STATE/data/mongo"
  launch mongo "$STATE/logs/mongo.log" java -Xms64m -Xmx1g -Djava.awt.headless=true \
    -cp "$home/libs/*:$home/classes" LocalMongoServer \
    --host 127.0.0.1 --port "$MONGO_PORT" --data "$STATE/data/mongo" --durability "${INFRA_MONGO_DURABILITY:-commit}"
}

start_minio() {
  mkdir -p "$STATE/data/minio"
  launch minio "$STATE/logs/minio.log" env MINIO_ROOT_USER="$MINIO_USER" MINIO_ROOT_PASSWORD="$MINIO_PASSWORD" \
    MINIO_BROWSER=off MINIO_UPDATE=off "$CACHE/minio-$MINIO_VERSION/minio" server --quiet \
    --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT" "$STATE/data/minio"
}

start_smtp() {
  mkdir -p "$STATE/data/mailpit"
  launch smtp "$STATE/logs/mailpit.log" "$CACHE/mailpit-$MAILPIT_VERSION/mailpit" \
    --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$SMTP_HTTP_PORT" \
    --database "$STATE/data/mailpit/mailpit.db" --max 0 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --disable-version-check
}

wait_ready() { # name seconds
  local name="$1" limit="$2" port; port="$(port_of "$1")"
  local deadline=$((SECONDS + limit))
  while ! port_open "$port"; do
    if ! running_pid "$name" >/dev/null; then
      tail -n 30 "$STATE/logs/"*"$name"*.log 2>/dev/null >&2 || true
      die "$name exited during start (logs in $STATE/logs)"
    fi
    ((SECONDS < deadline)) || die "$name did not open port $port within ${limit}s (logs in $STATE/logs)"
    sleep 0.3
  done
}

cmd_install() { local c; for c in "$@"; do [[ -n "$(external_of "$c")" ]] || "install_$c"; done; }

cmd_up() {
  local c
  cmd_install "$@"
  for c in "$@"; do
    if [[ -n "$(external_of "$c")" ]]; then log "$c: external ($(external_of "$c")), not started"; continue; fi
    if running_pid "$c" >/dev/null; then continue; fi
    if port_open "$(port_of "$c")"; then
      # Another checkout's stack (or the user's own server) already serves this port: use it.
      log "$c: port $(port_of "$c") already answers; using that server (not managed by this checkout)"
      continue
    fi
    "start_$c"
  done
  for c in "$@"; do
    [[ -n "$(external_of "$c")" ]] && continue
    running_pid "$c" >/dev/null || continue
    wait_ready "$c" 120
    log "$c: up on 127.0.0.1:$(port_of "$c")"
  done
}

cmd_down() {
  local c pid
  for c in "$@"; do
    pid="$(running_pid "$c")" || { rm -f "$(pid_file "$c")"; continue; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do running_pid "$c" >/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$(pid_file "$c")"
    log "$c: stopped"
  done
}

cmd_status() {
  local c
  for c in "$@"; do
    if [[ -n "$(external_of "$c")" ]]; then echo "$c external $(external_of "$c")"
    elif pid="$(running_pid "$c")"; then echo "$c running pid=$pid port=$(port_of "$c")"
    else echo "$c stopped"; fi
  done
}

main() {
  local cmd="${1:-}"; shift || true
  local comps=("$@"); ((${#comps[@]})) || comps=("${ALL[@]}")
  case "$cmd" in
    install) cmd_install "${comps[@]}" ;;
    up) cmd_up "${comps[@]}" ;;
    down) cmd_down "${comps[@]}" ;;
    status) cmd_status "${comps[@]}" ;;
    *) die "usage: infra.sh install|up|down|status [${ALL[*]}]" ;;
  esac
}

main "$@"
