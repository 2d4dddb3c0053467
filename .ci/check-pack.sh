#!/usr/bin/env bash
# Checks what `npm pack` would ship: the compiled library, jsii metadata, the bundled handler, and
# nothing that is not for users (sources of the handler, tests, CI, examples, benchmarks).
set -euo pipefail
files=$(npm pack --dry-run --json 2>/dev/null | node -e '
  const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
  for (const f of j[0].files) console.log(f.path);')
fail=0
for required in lib/index.js lib/index.d.ts .jsii assets/handler/index.js assets/handler/THIRD-PARTY-NOTICES.txt rosetta/default.ts-fixture README.md LICENSE API.md package.json; do
  if ! grep -qx "$required" <<<"$files"; then echo "missing from the tarball: $required"; fail=1; fi
done
if bad=$(grep -E '^(lambda|local|test|\.ci|examples|bench|scripts|src|coverage|test-reports|dist|\.tmp|projenrc|connect-model)/|^\.projenrc|\.meta\.json$|\.ts$' <<<"$files" | grep -v '\.d\.ts$'); then
  echo "not for users, but in the tarball:"; echo "$bad"; fail=1
fi
# what npm and Construct Hub show users: where the project lives, where to report bugs, which Node.js it runs on
if missing=$(node -e '
  const p = require("./package.json");
  const gaps = ["homepage", "bugs", "repository", "engines", "license"].filter((k) => !p[k]);
  if (gaps.length) { console.log(gaps.join(", ")); process.exit(1); }'); then :; else
  echo "package.json lacks: $missing (set them in .projenrc.ts)"; fail=1
fi
echo "$(wc -l <<<"$files") files in the tarball"
exit $fail
