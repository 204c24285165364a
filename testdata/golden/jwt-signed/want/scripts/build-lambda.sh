#!/bin/sh
# Builds build/lambda/bootstrap.zip, the package of an AWS Lambda function
# on the provided.al2023 runtime: cmd/lambda as the executable bootstrap.
#
#   scripts/build-lambda.sh            # arm64 (Graviton), the default
#   GOARCH=amd64 scripts/build-lambda.sh
#
# arm64 because Lambda bills Graviton functions about 20% less per
# GB-second than x86_64 ones; create the function with the same
# architecture (--architectures arm64). CGO_ENABLED=0 makes a static binary
# (SQLite is modernc.org/sqlite, pure Go), so nothing depends on the
# runtime image's C library; -tags lambda.norpc leaves out aws-lambda-go's
# RPC mode, which only the retired go1.x runtime used. authgen wrote this
# file once; it is yours. docs/DEPLOY.md in authgen's repository explains it.
set -eu
cd "$(dirname "$0")/.."
out=build/lambda
mkdir -p "$out"
rm -f "$out/bootstrap" "$out/bootstrap.zip"
GOOS=linux GOARCH="${GOARCH:-arm64}" CGO_ENABLED=0 \
	go build -trimpath -tags lambda.norpc -ldflags="-s -w" -o "$out/bootstrap" ./cmd/lambda
(cd "$out" && zip -q -X bootstrap.zip bootstrap)
echo "$out/bootstrap.zip"
