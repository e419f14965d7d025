#!/usr/bin/env bash
# The unit and integration tiers again on the other supported Node.js lines
# (22 and 24), after `npm test` has run everything on the machine's own Node.
# Called by .ci/run; by hand: bash scripts/test-node-lines.sh [22 24]
#
# Each Node line comes from the npm registry (the platform package behind
# `node@22`, which carries the headers too). Each runs in a copy of the tree
# whose better-sqlite3 is rebuilt from its bundled sources for that Node with
# npm's own node-gyp and `--nodedir`, so nothing is fetched from anywhere but
# the npm registry (node-gyp downloads headers only without `--nodedir`). The
# browser tier is not repeated: the pages do not depend on the server's Node.
# Any failure (install, rebuild, a test) stops the script with its status.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
export RALLYHQ_TEST_PG="${RALLYHQ_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"

lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(22 24)
platform="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || { echo "test-node-lines: npm's node-gyp not found at $node_gyp" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for major in "${lines[@]}"; do
  start=$SECONDS
  echo "test-node-lines: Node $major ($platform@$major from the npm registry)"
  rm -rf "$work/node" "$work/tree"
  npm install --prefix "$work/node" --no-save --no-audit --no-fund --no-package-lock "$platform@$major" >/dev/null
  nodedir="$work/node/node_modules/$platform"
  [ -x "$nodedir/bin/node" ] && [ -f "$nodedir/include/node/node.h" ] || { echo "test-node-lines: $platform@$major has no node binary or headers" >&2; exit 1; }
  # The tree with node_modules and the built pages; not the repository, not a
  # server's data directory (anchored: packages may have a data/ of their own).
  mkdir -p "$work/tree"
  tar -C . --anchored --exclude=./.git --exclude=./data --exclude=./.ci -cf - . | tar -C "$work/tree" -xf -
  (
    cd "$work/tree/node_modules/better-sqlite3"
    rm -rf build
    "$nodedir/bin/node" "$node_gyp" rebuild --release --nodedir="$nodedir" >"$work/gyp.log" 2>&1 \
      || { tail -40 "$work/gyp.log" >&2; echo "test-node-lines: better-sqlite3 did not build for Node $major" >&2; exit 1; }
  )
  # `node` by name is this line too, for anything a test starts.
  (
    cd "$work/tree"
    export PATH="$nodedir/bin:$PATH"
    node --version
    node scripts/run-tests.mjs unit int
  )
  echo "test-node-lines: Node $major passed in $((SECONDS - start)) s"
done
