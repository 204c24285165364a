#!/usr/bin/env bash
# Build the test-server binaries used by internal/integration/testsvc (and staticcheck) into a bin directory.
#
# usage: tools/build.sh [name...]        (default: all)
#   names: ferretdb-embed dex mailpit zitadel-example-op staticcheck
#
# The output directory is $AUTHGEN_TOOLS_BIN if set, else tools/bin. Versions are
# pinned by tools/go.mod + go.sum (tool directives); building here, inside the
# tools module, avoids `go install pkg@version`, which the module proxy refuses
# for several of these modules.
set -euo pipefail

cd "$(dirname "$0")"
bin=${AUTHGEN_TOOLS_BIN:-$PWD/bin}
mkdir -p "$bin"
bin=$(cd "$bin" && pwd)

# name -> package. Keep the servers in sync with toolPackages in
# internal/integration/testsvc/tools.go; staticcheck is for .ci/run.
declare -A pkg=(
  [ferretdb-embed]=./cmd/ferretdb-embed
  [dex]=github.com/dexidp/dex/cmd/dex
  [mailpit]=github.com/axllent/mailpit
  [zitadel-example-op]=github.com/zitadel/oidc/v3/example/server
  [staticcheck]=honnef.co/go/tools/cmd/staticcheck
)

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(ferretdb-embed dex mailpit zitadel-example-op staticcheck)
fi
pkgs=()
for n in "${names[@]}"; do
  p=${pkg[$n]:-}
  if [ -z "$p" ]; then
    echo "build.sh: unknown tool $n (known: ${!pkg[*]})" >&2
    exit 2
  fi
  pkgs+=("$p")
done

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# The repository's go.work does not include this module (its versions would
# leak into the others' builds), so build it on its own.
export GOWORK=off

# A single `go build` for all packages shares the dependency graph (much faster
# than one go command per binary). Binaries are written to a scratch directory
# (named after the last path element, e.g. "server" for the zitadel example) and
# then renamed into place, so a concurrent reader never sees a partial file.
tmp=$(mktemp -d "$bin/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)
go build -o "$tmp/" "${pkgs[@]}"
for i in "${!names[@]}"; do
  mv -f "$tmp/$(basename "${pkgs[$i]}")" "$bin/${names[$i]}"
done
echo "build.sh: built ${names[*]} into $bin in $(( $(date +%s) - t0 ))s"
