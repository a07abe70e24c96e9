#!/usr/bin/env bash
# Installs a real VS Code for tests and `npm start`, offline-friendly: code-server (VS Code server +
# web workbench) from the npm registry into .vscode-test/code-server-<ver>/, plus the Debian
# packages the harness needs (chromium, ripgrep, headers for code-server's native modules).
# Idempotent: a finished install leaves a marker and the next run exits at once.
#
# usage: scripts/install-vscode.sh [--system-only]   env: CS_VERSION (default 4.100.3), SKIP_APT=1
#   --system-only: the Debian packages only (what the browser suite needs), no code-server
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines.node is 20.
CS_VERSION=${CS_VERSION:-4.100.3}
DEST="$ROOT/.vscode-test/code-server-$CS_VERSION"
MARKER="$DEST/.installed"
BIN="$DEST/node_modules/.bin/code-server"
APT_PACKAGES=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential python3)

log() { echo "[install-vscode] $*"; }
t0=$(date +%s)

missing_apt() {
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# 1. Debian packages, only those missing (a fresh CI machine has none of them).
if [ "${SKIP_APT:-0}" != 1 ] && command -v dpkg-query >/dev/null; then
  missing=$(missing_apt)
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      log "apt-get install $missing"
      apt-get update -qq
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      log "missing Debian packages: $missing (run as root: apt-get install $missing)"
      exit 1
    fi
  fi
fi

if [ "${1:-}" = --system-only ]; then exit 0; fi

if [ -f "$MARKER" ] && [ -x "$BIN" ]; then
  log "code-server $CS_VERSION already installed ($DEST)"
  exit 0
fi

mkdir -p "$DEST" "$ROOT/.vscode-test/tmp"
# Everything npm and the postinstalls write to os.tmpdir() stays inside .vscode-test.
export TMPDIR="$ROOT/.vscode-test/tmp"

# 2. @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable). It first looks in its
#    cache, os.tmpdir()/vscode-ripgrep-cache-<pkgver>/ripgrep-<tag>-<target>.tar.gz: seed that
#    with Debian's rg, for the exact @vscode/ripgrep version this code-server build pins.
seed_ripgrep() {
  local w="$TMPDIR/rgseed" rgv tag d
  rm -rf "$w"; mkdir -p "$w"
  (
    cd "$w"
    npm pack "code-server@$CS_VERSION" --silent >/dev/null
    tar -xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json
    rgv=$(node -p 'const l=require("./package/lib/vscode/npm-shrinkwrap.json");(l.packages["node_modules/@vscode/ripgrep"]||{}).version||""')
    if [ -z "$rgv" ]; then log "this build has no @vscode/ripgrep download step"; exit 0; fi
    npm pack "@vscode/ripgrep@$rgv" --silent >/dev/null
    tar -xzf vscode-ripgrep-*.tgz package/lib/postinstall.js
    tag=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" package/lib/postinstall.js)
    d="$TMPDIR/vscode-ripgrep-cache-$rgv"; mkdir -p "$d"
    tar -czf "$d/ripgrep-$tag-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
    log "seeded ripgrep cache for @vscode/ripgrep@$rgv ($tag) with $(command -v rg)"
  )
  rm -rf "$w"
}
command -v rg >/dev/null || { log "ripgrep (rg) is required: apt-get install ripgrep"; exit 1; }
seed_ripgrep

# 3. code-server. As root its postinstall needs npm_config_unsafe_perm; node-pty's postinstall runs
#    `npx node-gyp`, which must not prompt (npm_config_yes). npm 11 blocks dependency install
#    scripts by default, and code-server is nothing but install scripts (it runs nested npm
#    installs too, which inherit the env): allow them for this install only.
cd "$DEST"
[ -f package.json ] || printf '{ "name": "code-server-install", "private": true }\n' > package.json
log "npm install code-server@$CS_VERSION (about 75-120 s; log: $DEST/install.log)"
if ! npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true \
  npm install "code-server@$CS_VERSION" --no-audit --no-fund --no-save --foreground-scripts > install.log 2>&1; then
  tail -40 install.log; log "code-server install failed"; exit 1
fi

version=$(HOME="$TMPDIR/home" XDG_CONFIG_HOME="$TMPDIR/xdg" XDG_DATA_HOME="$TMPDIR/xdg" "$BIN" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -1)
case "$version" in "$CS_VERSION"*) ;; *) log "unexpected 'code-server --version': $version"; exit 1 ;; esac
date -u +%FT%TZ > "$MARKER"
log "code-server $version installed in $(( $(date +%s) - t0 ))s ($(du -sh "$DEST" | cut -f1))"
