#!/usr/bin/env bash
# Many triggers due in the same second, this tree's silo against a baseline commit's, alternated in one run:
#   bench/triggers/compare.sh --baseline-commit <rev> [--rounds 2] [--counts 1000,10000] [--robots 100] [--lead 15] [--create-rate 500]
# Each measurement publishes nothing new: both silos are published once (Release), then every round starts each
# build in turn on a fresh data folder (embedded, SQLite), runs the driver (bench/triggers/Program.cs) and stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d -t orchestrator-trigger-bench-XXXXXX)"
silo_pid=""
cleanup() { [[ -n "$silo_pid" ]] && kill "$silo_pid" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
baseline="" rounds=2 counts="1000,10000" robots=100 lead=15 rate=500 port=5733
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline-commit) baseline="$2" ;;
    --rounds) rounds="$2" ;;
    --counts) counts="$2" ;;
    --robots) robots="$2" ;;
    --lead) lead="$2" ;;
    --create-rate) rate="$2" ;;
    --port) port="$2" ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
builds=(current)
if [[ -n "$baseline" ]]; then
  mkdir -p "$out/baseline-src"
  git -C "$root" archive "$baseline" | tar -x -C "$out/baseline-src"
  dotnet publish "$out/baseline-src/src/Silo" -c Release -o "$out/baseline" --nologo -v quiet >&2
  builds=(baseline current)
fi
dotnet publish "$root/src/Silo" -c Release -o "$out/current" --nologo -v quiet >&2
dotnet build "$root/bench/triggers/TriggersBench.csproj" -c Release -o "$out/driver" --nologo -v quiet >&2
key="trigger-bench-admin-key-$(date +%s%N)"
for ((round = 1; round <= rounds; round++)); do
  for count in ${counts//,/ }; do
    # Alternate which build goes first, so neither always runs on the machine as the other left it.
    order=("${builds[@]}")
    if (( round % 2 == 0 )) && (( ${#builds[@]} == 2 )); then order=("${builds[1]}" "${builds[0]}"); fi
    for build in "${order[@]}"; do
      data="$out/data-$build-$count-$round"
      mkdir -p "$data"
      (cd "$out/$build" && Orchestrator__AdminKey="$key" Orchestrator__DataPath="$data" exec dotnet Orchestrator.Silo.dll --urls "http://127.0.0.1:$port" >"$data/silo.log" 2>&1) &
      silo_pid=$!
      for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/alive" >/dev/null && break; sleep 0.5; done
      echo "== round $round, $count triggers, $build (uptime:$(uptime))"
      dotnet "$out/driver/Orchestrator.TriggersBench.dll" --url "http://127.0.0.1:$port" --key "$key" --sqlite "$data/orchestrator.db" \
        --triggers "$count" --robots "$robots" --lead "$lead" --create-rate "$rate" --silo-pid "$silo_pid" || echo "(the driver failed)"
      echo "   (after the run, uptime:$(uptime))"
      kill "$silo_pid"; wait "$silo_pid" 2>/dev/null || true; silo_pid=""
      rm -rf "$data"
    done
  done
done
