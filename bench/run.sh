#!/usr/bin/env bash
# The request-path benchmark in one command: publishes the server (Release), then runs the driver, which
# starts it as a process of its own and loads it with wrk. Arguments go to the driver, e.g.
#   bench/run.sh --rounds 7 --seconds 5 --endpoints heartbeat,read
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d -t orchestrator-bench-publish-XXXXXX)"
trap 'rm -rf "$out"' EXIT
export PATH="$PATH:$HOME/.dotnet/tools"
dotnet publish "$root/src/Silo" -c Release -o "$out/silo" --nologo -v quiet >&2
dotnet build "$root/bench" -c Release -o "$out/bench" --nologo -v quiet >&2
dotnet "$out/bench/Orchestrator.Bench.dll" --server "$out/silo/Orchestrator.Silo.dll" "$@"
