#!/usr/bin/env bash
# Storage upload/download throughput in one command: publishes the server (Release), builds the driver, and runs
# it; the driver starts the server as a process of its own. Arguments go to the driver, e.g.
#   bench/storage/run.sh --rounds 5 --seconds 5 --megabytes 4 --concurrency 4
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d -t orchestrator-bench-storage-XXXXXX)"
trap 'rm -rf "$out"' EXIT
dotnet publish "$root/src/Silo" -c Release -o "$out/silo" --nologo -v quiet >&2
dotnet build "$root/bench/storage" -c Release -o "$out/bench" --nologo -v quiet >&2
dotnet "$out/bench/Orchestrator.Bench.Storage.dll" --server "$out/silo/Orchestrator.Silo.dll" "$@"
