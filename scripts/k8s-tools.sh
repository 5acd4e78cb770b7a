#!/usr/bin/env bash
# The pinned tools that render and validate k8s/ offline, installed once into the shared cache:
#   kustomize            go install sigs.k8s.io/kustomize/kustomize/v5 (needs Go 1.26+)
#   kubernetes-validate  PyPI package with the Kubernetes JSON schemas inside (needs Python 3.9+
#                        with venv); nothing is downloaded when it validates
#
#   k8s-tools.sh install      build/install what is missing (bootstrap.sh calls this)
#   k8s-tools.sh env          print KUSTOMIZE=... and KUBERNETES_VALIDATE=... (the test reads them)
set -euo pipefail

CACHE="${CLIENT_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/client-portal}"
# v5.8.2 is the newest release whose go.mod accepts this Go (1.26); v5.8.3 needs Go 1.27.
KUSTOMIZE_VERSION="v5.8.2"
KUBERNETES_VALIDATE_VERSION="1.37.0"

KUSTOMIZE="$CACHE/kustomize-$KUSTOMIZE_VERSION/kustomize"
VALIDATE_HOME="$CACHE/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
KUBERNETES_VALIDATE="$VALIDATE_HOME/bin/kubernetes-validate"

log() { printf '[k8s-tools] %s\n' "$*" >&2; }
die() { printf '[k8s-tools] error: %s\n' "$*" >&2; exit 1; }

install_kustomize() {
  [[ -x "$KUSTOMIZE" ]] && return 0
  command -v go >/dev/null || die "go is required to build kustomize"
  log "building kustomize $KUSTOMIZE_VERSION with go install (first run only, about a minute) ..."
  # GOTOOLCHAIN=local: this Go builds it; never fetch another toolchain.
  GOTOOLCHAIN=local GOBIN="$(dirname "$KUSTOMIZE")" CGO_ENABLED=0 \
    go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >/dev/null 2>&1 ||
    die "go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION failed"
}

install_validator() {
  [[ -x "$KUBERNETES_VALIDATE" ]] && return 0
  command -v python3 >/dev/null || die "python3 (3.9+, with venv) is required for kubernetes-validate"
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into a virtualenv (first run only) ..."
  rm -rf "$VALIDATE_HOME"
  python3 -m venv "$VALIDATE_HOME" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$VALIDATE_HOME/bin/pip" install --quiet --disable-pip-version-check \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" || { rm -rf "$VALIDATE_HOME"; die "pip install failed"; }
}

case "${1:-}" in
  install) install_kustomize; install_validator ;;
  env) printf 'KUSTOMIZE=%s\nKUBERNETES_VALIDATE=%s\n' "$KUSTOMIZE" "$KUBERNETES_VALIDATE" ;;
  *) die "usage: k8s-tools.sh install|env" ;;
esac
