#!/usr/bin/env bash
# Proof that the repository stands alone: clones HEAD into an empty temporary folder (nothing beside it,
# so none of the design notes a developer's machine keeps next to the repository), with an empty HOME (no npm or pnpm cache, no global config), runs the README's two
# quick-start commands there, and exits non-zero if either fails. Prints how long each took.
#
#   bash tooling/scripts/fresh-clone.sh            # HEAD of this checkout
#   KEEP=1 bash tooling/scripts/fresh-clone.sh     # keep the clone afterwards
#
# It needs what a fresh machine has (Node 20 and npm) plus what .ci/run installs for the browser and
# terminal tests (Chromium and tmux from Debian's packages); run .ci/run once first on a new machine.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/backprop-fresh-XXXXXX)"
cleanup() { [ -n "${KEEP:-}" ] && echo "== kept $work" || rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/home" "$work/parent"
git clone --quiet --no-hardlinks "$repo" "$work/parent/backprop-lab"
cd "$work/parent/backprop-lab"
[ "$(ls -A ..)" = "backprop-lab" ] || { echo "fresh-clone: the clone has company in $(dirname "$PWD")" >&2; exit 1; }
echo "== clone of $(git rev-parse --short HEAD) in $PWD (nothing beside it; HOME=$work/home)"

# The README's two commands, read from its quick start so that this script tests what it prints.
mapfile -t commands < <(awk '/^## Quick start/{q=1} q && /^```sh/{f=1; next} f && /^```/{exit} f' README.md | sed -E 's/[[:space:]]+#.*$//' | sed '/^[[:space:]]*$/d')
[ "${#commands[@]}" -eq 2 ] || { echo "fresh-clone: expected two commands in the README's quick start, found ${#commands[@]}" >&2; exit 1; }

export HOME="$work/home" npm_config_cache="$work/home/.npm" TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
status=0
for c in "${commands[@]}"; do
  echo "== \$ $c"
  start=$(date +%s)
  # the main job is an interactive dashboard on a terminal; with no terminal it prints its NDJSON run and ends
  if bash -c "$c" </dev/null >"$work/out.log" 2>&1; then rc=0; else rc=$?; fi
  end=$(date +%s)
  if [ "$rc" -eq 0 ]; then tail -n 5 "$work/out.log"; else grep -E "FAIL|Error|error|✗|×" "$work/out.log" | head -n 40; tail -n 20 "$work/out.log"; fi
  echo "== exit $rc after $((end - start)) s: $c"
  [ "$rc" -eq 0 ] || status=1
done
[ -z "$(git status --porcelain)" ] || { echo "fresh-clone: the commands left the tree changed:" >&2; git status --porcelain >&2; status=1; }
exit $status
