#!/usr/bin/env bash
# Consumer test: proves that users can install us.
# 1. `npm pack` the built library (run after `npx projen build`, which compiles lib/ and bundles the handler);
# 2. install the tarball into a brand-new CDK app in a temporary folder OUTSIDE the repo, from the tarball and
#    the registry only, with aws-cdk-lib at the OLDEST version of our peer range (this is what proves the floor);
# 3. type-check the app (README usage) against the installed .d.ts files, synthesize it, and assert on the
#    template and the cloud assembly (the handler asset resolves, is inside the tarball, and is the same file).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-connect-sp-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT

# CONSUMER_CDK_VERSION overrides the aws-cdk-lib version (to probe a lower floor before moving it).
min_cdk=${CONSUMER_CDK_VERSION:-$(node -p "require('$repo/package.json').peerDependencies['aws-cdk-lib'].replace(/^\^/, '')")}
constructs=$(node -p "require('$repo/package.json').peerDependencies['constructs'].replace(/^\^/, '')")
echo "consumer: packing the library"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/cdk-connect-security-profiles-*.tgz)

mkdir -p "$work/app"
cp "$repo/test/consumer/app.ts" "$repo/test/consumer/assert.js" "$work/app/"
cat > "$work/app/package.json" <<JSON
{ "name": "consumer-app", "version": "1.0.0", "private": true,
  "dependencies": { "aws-cdk-lib": "$min_cdk", "constructs": "$constructs", "@types/node": "^20", "cdk-connect-security-profiles": "file:$tarball" } }
JSON
cat > "$work/app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true,
  "skipLibCheck": false, "types": ["node"], "outDir": "dist" }, "files": ["app.ts"] }
JSON
echo "consumer: installing the tarball with aws-cdk-lib@$min_cdk (peer minimum) and constructs@$constructs"
# a probe below the declared floor must bypass our own peer range
peer_flag=${CONSUMER_CDK_VERSION:+--legacy-peer-deps}
(cd "$work/app" && npm install --no-audit --no-fund --silent $peer_flag >/dev/null 2>&1) || (cd "$work/app" && npm install --no-audit --no-fund $peer_flag)
echo "consumer: type-checking the README usage against the installed declarations"
# skipLibCheck is false: our .d.ts files must compile against the oldest aws-cdk-lib we claim to support.
# (aws-cdk-lib's own declarations are checked too; they are fine with the TypeScript we ship with.)
(cd "$work/app" && "$repo/node_modules/.bin/tsc" -p tsconfig.json)
echo "consumer: synthesizing"
(cd "$work/app" && node dist/app.js)
echo "consumer: asserting on the cloud assembly"
(cd "$work/app" && node assert.js "$tarball")
echo "consumer: ok"
