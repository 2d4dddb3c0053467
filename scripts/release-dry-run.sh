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
  local dir=$1
  rm -rf "$dir"
  git clone -q "$repo" "$dir"
  ln -s "$repo/node_modules" "$dir/node_modules"
  git -C "$dir" config user.name "release dry run"
  git -C "$dir" config user.email "dry-run@localhost"
}
task() { (cd "$1" && npx projen "$2" >"$1.$2.log" 2>&1) || { cat "$1.$2.log"; return 1; }; }
version() { cat "$1/dist/version.txt" 2>/dev/null || echo "(none)"; }

echo "release dry run: the next release from HEAD ($(git -C "$repo" rev-parse --short HEAD))"
next="$work/next"
clone "$next"
before=$(node -p "require('$next/package.json').version")
task "$next" bump
echo "  version $(version "$next"), tag $(cat "$next/dist/releasetag.txt"), changelog:"
sed 's/^/    /' "$next/dist/changelog.md" | head -20
task "$next" unbump
after=$(node -p "require('$next/package.json').version")
if [ "$before" != "$after" ] || ! git -C "$next" diff --quiet -- package.json; then
  echo "  FAILED: unbump left package.json at $after (was $before)"; fail=1
else
  echo "  unbump: package.json back at $after"
fi

echo "release dry run: versions from conventional commits (on a tag v1.2.3 in the clone)"
cases=("fix: a fix|1.2.4" "feat: a feature|1.3.0" "feat!: a breaking change|2.0.0" "docs: only documentation|1.2.3")
pids=()
for i in "${!cases[@]}"; do
  (
    dir="$work/case$i"
    clone "$dir"
    git -C "$dir" tag v1.2.3
    git -C "$dir" commit -q --allow-empty -m "${cases[$i]%%|*}"
    task "$dir" bump
  ) &
  pids+=($!)
done
for i in "${!cases[@]}"; do
  message=${cases[$i]%%|*} expected=${cases[$i]##*|}
  if ! wait "${pids[$i]}"; then echo "  FAILED '$message': bump failed"; fail=1; continue; fi
  got=$(version "$work/case$i")
  if [ "$got" = "$expected" ]; then echo "  ok     '$message' -> $got"; else echo "  FAILED '$message' -> $got, expected $expected"; fail=1; fi
done

exit $fail
