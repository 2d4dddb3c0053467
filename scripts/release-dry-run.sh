#!/usr/bin/env bash
# Dry run of projen's release versioning (`npx projen bump` / `unbump`), in a throwaway clone of HEAD: nothing
# in this checkout changes, nothing is tagged, pushed or published.
#   1. the next release: `bump` on the real history prints the version, tag and changelog it would get;
#   2. versions follow the conventional commits: on a tag v1.2.3 made in the clone, `fix:` bumps to 1.2.4,
#      `feat:` to 1.3.0, `feat!:` to 2.0.0, and `docs:` alone releases nothing (only features and fixes do);
#   3. `unbump` puts package.json back as it was.
# Run after `npm ci` (the clone borrows this checkout's node_modules):  bash scripts/release-dry-run.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-connect-sp-release.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0

clone() {
  rm -rf "$work/clone"
  git clone -q "$repo" "$work/clone"
  ln -s "$repo/node_modules" "$work/clone/node_modules"
  git -C "$work/clone" config user.name "release dry run"
  git -C "$work/clone" config user.email "dry-run@localhost"
}
bump() { (cd "$work/clone" && npx projen bump >"$work/bump.log" 2>&1) || { cat "$work/bump.log"; return 1; }; }
unbump() { (cd "$work/clone" && npx projen unbump >"$work/unbump.log" 2>&1) || { cat "$work/unbump.log"; return 1; }; }
version() { cat "$work/clone/dist/version.txt" 2>/dev/null || echo "(none)"; }

echo "release dry run: the next release from HEAD ($(git -C "$repo" rev-parse --short HEAD))"
clone
before=$(node -p "require('$work/clone/package.json').version")
bump
echo "  version $(version), tag $(cat "$work/clone/dist/releasetag.txt"), changelog:"
sed 's/^/    /' "$work/clone/dist/changelog.md" | head -20
unbump
after=$(node -p "require('$work/clone/package.json').version")
if [ "$before" != "$after" ] || ! git -C "$work/clone" diff --quiet -- package.json; then
  echo "  FAILED: unbump left package.json at $after (was $before)"; fail=1
else
  echo "  unbump: package.json back at $after"
fi

echo "release dry run: versions from conventional commits (on a tag v1.2.3 in the clone)"
check() {
  local message=$1 expected=$2
  clone
  git -C "$work/clone" tag v1.2.3
  git -C "$work/clone" commit -q --allow-empty -m "$message"
  bump
  local got
  got=$(version)
  if [ "$got" = "$expected" ]; then echo "  ok    '$message' -> $got"; else echo "  FAILED '$message' -> $got, expected $expected"; fail=1; fi
}
check "fix: a fix" 1.2.4
check "feat: a feature" 1.3.0
check "feat!: a breaking change" 2.0.0
check "docs: only documentation" 1.2.3

exit $fail
