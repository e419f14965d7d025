#!/usr/bin/env bash
# Runs the unit and integration tiers on the other supported Node.js lines (22 and 24).
# Not part of .ci/run yet: it has not been timed end to end on the CI machine
# (each line rebuilds better-sqlite3 from source), so a slow or failing
# rebuild cannot hold back every landing. Run it by hand: bash scripts/test-node-lines.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true
export RALLYHQ_TEST_PG="${RALLYHQ_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"

# The supported Node.js lines besides the machine's own: the unit and integration
# tiers again on Node 22 and 24, taken from the npm registry (the platform
# package behind `node@22`, which carries the headers to build better-sqlite3).
# Each runs in a copy of the tree whose better-sqlite3 is rebuilt from its
# bundled sources for that Node with npm's own node-gyp, so nothing is fetched
# from anywhere but the npm registry. The browser tier ran above; the pages do
# not depend on the server's Node.
platform="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
for major in 22 24; do
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "ci: unit and integration tests on Node $major ($platform@$major from the npm registry)"
  npm install --prefix "$work/node" --no-save --no-audit --no-fund "$platform@$major" >/dev/null
  nodedir="$work/node/node_modules/$platform"
  rsync -a --exclude .git --exclude data ./ "$work/tree/"
  (
    cd "$work/tree/node_modules/better-sqlite3"
    rm -rf build
    "$nodedir/bin/node" "$node_gyp" rebuild --release --nodedir="$nodedir" >/dev/null
  )
  (cd "$work/tree" && "$nodedir/bin/node" --version && "$nodedir/bin/node" scripts/run-tests.mjs unit int)
  rm -rf "$work"
  trap - EXIT
done
