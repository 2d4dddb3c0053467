#!/usr/bin/env bash
# Consumer test: proves that users can install us, at both ends of the peer ranges.
# 1. `npm pack` the built library once (run after `npx projen build`, which compiles lib/ and bundles the handler);
# 2. for each case of the matrix, install the tarball into a brand-new CDK app in a temporary folder OUTSIDE the
#    repo, from the tarball and the registry only, WITHOUT --legacy-peer-deps (npm refuses a peer conflict):
#      floor   aws-cdk-lib at the oldest version of our peer range, constructs at the oldest version of ours,
#              after checking that this is the oldest constructs that aws-cdk-lib version itself accepts;
#      latest  aws-cdk-lib and constructs at their `latest` dist-tags;
# 3. type-check the app (README usage) against the installed .d.ts files, synthesize it, and assert on the
#    template and the cloud assembly (the handler asset resolves, is inside the tarball, and is the same file).
#
# CONSUMER_CASES picks cases ("floor latest" by default). CONSUMER_CDK_VERSION probes another aws-cdk-lib (with
# the constructs it asks for, and --legacy-peer-deps, since a probe below our floor conflicts with our own range).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-connect-sp-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT

peer() { node -p "require('$repo/package.json').peerDependencies['$1'].replace(/^\^/, '')"; }
floor_cdk=$(peer aws-cdk-lib)
floor_constructs=$(peer constructs)
cases=${CONSUMER_CASES:-floor latest}
if [ -n "${CONSUMER_CDK_VERSION:-}" ]; then cases=probe; fi

echo "consumer: packing the library"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/cdk-connect-security-profiles-*.tgz)

run_case() {
  local name=$1 cdk=$2 constructs=$3 flag=${4:-}
  local app="$work/$name"
  mkdir -p "$app"
  cp "$repo/test/consumer/app.ts" "$repo/test/consumer/assert.js" "$app/"
  cat > "$app/package.json" <<JSON
{ "name": "consumer-app-$name", "version": "1.0.0", "private": true,
  "dependencies": { "aws-cdk-lib": "$cdk", "constructs": "$constructs", "@types/node": "^22", "cdk-connect-security-profiles": "file:$tarball" } }
JSON
  cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true,
  "skipLibCheck": false, "types": ["node"], "outDir": "dist" }, "files": ["app.ts"] }
JSON
  echo "consumer[$name]: installing the tarball with aws-cdk-lib@$cdk and constructs@$constructs ${flag:-(no peer flags)}"
  # quiet when it works; on failure run again so the log shows npm's own explanation (ERESOLVE ...)
  (cd "$app" && npm install --no-audit --no-fund --silent $flag >/dev/null 2>&1) || (cd "$app" && npm install --no-audit --no-fund $flag)
  local got_cdk got_constructs
  got_cdk=$(cd "$app" && node -p "require('aws-cdk-lib/package.json').version")
  got_constructs=$(cd "$app" && node -p "require('constructs/package.json').version")
  echo "consumer[$name]: installed aws-cdk-lib $got_cdk, constructs $got_constructs"
  if [ "$name" = floor ]; then
    # Our constructs floor must be the oldest that aws-cdk-lib's floor accepts: higher and an app pinned to that
    # older constructs cannot install us; lower and the floor app would not install at all (npm refuses it).
    local cdk_wants
    cdk_wants=$(cd "$app" && node -p "require('aws-cdk-lib/package.json').peerDependencies.constructs")
    if [ "$cdk_wants" != "^$floor_constructs" ]; then
      echo "consumer[$name]: aws-cdk-lib@$got_cdk accepts constructs $cdk_wants, our peer range is ^$floor_constructs:" \
        "set constructsVersion in .projenrc.ts to the lowest version aws-cdk-lib@$got_cdk accepts"
      return 1
    fi
  fi
  echo "consumer[$name]: type-checking the README usage against the installed declarations"
  # skipLibCheck is false: our .d.ts files must compile against the aws-cdk-lib and constructs of the case.
  (cd "$app" && "$repo/node_modules/.bin/tsc" -p tsconfig.json)
  echo "consumer[$name]: synthesizing"
  (cd "$app" && node dist/app.js)
  (cd "$app" && node assert.js "$tarball")
  echo "consumer[$name]: ok"
}

for c in $cases; do
  case $c in
    floor) run_case floor "$floor_cdk" "$floor_constructs" ;;
    latest) run_case latest latest latest ;;
    probe)
      probe_constructs=$(npm view "aws-cdk-lib@$CONSUMER_CDK_VERSION" peerDependencies.constructs)
      run_case probe "$CONSUMER_CDK_VERSION" "$probe_constructs" --legacy-peer-deps ;;
    *) echo "consumer: unknown case '$c' in CONSUMER_CASES (floor, latest)"; exit 2 ;;
  esac
done
echo "consumer: ok ($cases)"
