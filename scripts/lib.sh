# Shared by the npm scripts: paths, progress lines, and the local-stack environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${INFRA_DIR:-$ROOT/.infra}"
APPS=(contacts invites notifications files audit gateway)

say() { printf '\033[1m[client-portal]\033[0m %s\n' "$*" >&2; }

app_entry() { echo "$ROOT/dist/apps/$1/apps/$1/src/main.js"; }

# Which servers to run here: a server whose address the user configured is theirs, not ours.
# Must be read before local_stack_env fills those variables in.
local_components() {
  local c=()
  [[ -n "${KAFKA_BROKERS:-}" ]] || c+=(kafka)
  [[ -n "${MONGO_URL:-}" ]] || c+=(mongo)
  [[ -n "${S3_ENDPOINT:-}" ]] || c+=(minio)
  [[ -n "${SMTP_URL:-}" ]] || c+=(smtp)
  echo "${c[@]}"
}

# Secrets for the local stack: random once per checkout, kept out of git in .infra/.
local_secrets() {
  local f="$STATE/secrets.env"
  mkdir -p "$STATE"
  touch "$f" && chmod 600 "$f"
  add_secret "$f" JWT_SECRET 'randomBytes(32).toString("base64url")'
  add_secret "$f" INTERNAL_API_TOKEN 'randomBytes(24).toString("base64url")'
  add_secret "$f" INVITE_LINK_KEY 'randomBytes(32).toString("base64")'
  add_secret "$f" TWO_STEP_KEY 'randomBytes(32).toString("base64")'
  set -a; . "$f"; set +a
}

add_secret() { # file name expression
  grep -q "^$2=" "$1" || echo "$2=$(node -e "process.stdout.write(require('crypto').$3)")" >>"$1"
}

# The environment every service reads, pointing at the loopback servers unless set already.
local_stack_env() {
  local_secrets
  export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
  export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${INFRA_MONGO_PORT:-27017}}"
  export S3_ENDPOINT="${S3_ENDPOINT:-http://127.0.0.1:9000}"
  export S3_ACCESS_KEY="${S3_ACCESS_KEY:-clientportal}"
  export S3_SECRET_KEY="${S3_SECRET_KEY:-clientportal-local-secret}"
  export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:1025}"
  export MAIL_FROM="${MAIL_FROM:-portal@client-portal.local}"
  export PORTAL_URL="${PORTAL_URL:-http://localhost:3000/portal}"
  export HOST="${HOST:-127.0.0.1}"
  export LOG_LEVEL="${LOG_LEVEL:-info}"
}

# The shared cache of installed tools (the same as infra/infra.sh's).
CACHE="${CLIENT_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/client-portal}"

# Schemathesis, for the API fuzz test: a virtualenv per pinned version, in the shared cache.
schemathesis_venv() {
  local version
  version="$(sed -n 's/^schemathesis==//p' "$ROOT/test/fuzz/requirements.txt")"
  echo "$CACHE/venv-schemathesis-$version"
}
