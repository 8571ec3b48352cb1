#!/usr/bin/env bash
# The request-path benchmark in one command: publishes the server (Release), then runs the driver, which
# starts it as a process of its own and loads it with wrk. Arguments go to the driver, e.g.
#   bench/run.sh --rounds 7 --seconds 5 --endpoints heartbeat,read
#   bench/run.sh --suite queues                           # the queue benchmark (bench/README.md)
# --baseline-commit <rev> also publishes that commit's server and measures it beside this one's, phase by
# phase in the same run (the queue suite).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d -t orchestrator-bench-publish-XXXXXX)"
trap 'rm -rf "$out"' EXIT
export PATH="$PATH:$HOME/.dotnet/tools"
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--baseline-commit" ]]; then
    mkdir -p "$out/baseline-src"
    git -C "$root" archive "$2" | tar -x -C "$out/baseline-src"
    dotnet publish "$out/baseline-src/src/Silo" -c Release -o "$out/baseline-silo" --nologo -v quiet >&2
    args+=(--baseline-server "$out/baseline-silo/Orchestrator.Silo.dll")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
dotnet publish "$root/src/Silo" -c Release -o "$out/silo" --nologo -v quiet >&2
dotnet build "$root/bench" -c Release -o "$out/bench" --nologo -v quiet >&2
dotnet "$out/bench/Orchestrator.Bench.dll" --server "$out/silo/Orchestrator.Silo.dll" "${args[@]}"
