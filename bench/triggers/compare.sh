#!/usr/bin/env bash
# Many triggers due in the same second, this tree's silo against a baseline commit's, alternated in one run:
#   bench/triggers/compare.sh --baseline-commit <rev> [--wiring embedded|cluster] [--rounds 2] [--counts 1000,10000]
#       [--robots 100] [--lead 15] [--create-rate 500] [--port 5733] [--silo-port 11901] [--gateway-port 30901] [--pg-activity] [--pg-statements] [--warm-up-triggers 2000]
#       [--ready-to-run] [--current-env NAME=VALUE ...]
# Each measurement publishes nothing new: both silos are published once (Release), then every round starts each build
# in turn on a fresh store, runs the driver (bench/triggers/Program.cs) and stops it. Embedded: one silo on a fresh data
# folder (SQLite). Cluster: one throwaway PostgreSQL server for the whole run (the driver's postgres-server: durable,
# fsync on), a fresh database on it per run, and two silos of one cluster on that database, HTTP on --port and the
# next port, Orleans on --silo-port/--gateway-port and the next ones; the driver spreads its calls over both and adds
# up both silos' CPU. --pg-activity samples PostgreSQL's sessions during the fire, --pg-statements lists the statements
# run most often (both cluster only). --warm-up-triggers N fires N triggers of another account first, so that the
# measured fire runs on silos that have fired before, not on freshly started ones. --ready-to-run publishes both builds
# precompiled (ReadyToRun: dotnet publish -r <this machine's RID> -p:PublishReadyToRun=true). --current-env sets an
# environment variable for this tree's silos only (repeat it for more): with --baseline-commit HEAD, the same code with
# and without a runtime setting (DOTNET_TieredCompilation=0, say).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d -t orchestrator-trigger-bench-XXXXXX)"
silo_pids=()
pg_pid=""
stop_silos() {
  for pid in "${silo_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${silo_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  silo_pids=()
}
cleanup() {
  stop_silos
  # Closing its standard input stops the PostgreSQL server and removes its folder.
  if [[ -n "$pg_pid" ]]; then exec {pg_in}>&-; wait "$pg_pid" 2>/dev/null || true; fi
  rm -rf "$out"
}
trap cleanup EXIT
# The runtime identifier of this machine, for a ReadyToRun publish.
rid() { case "$(uname -m)" in aarch64) echo linux-arm64 ;; *) echo linux-x64 ;; esac; }
publish_options=()
current_env=()
baseline="" wiring=embedded rounds=2 counts="1000,10000" robots=100 lead=15 rate=500 port="" silo_port=11901 gateway_port=30901 driver_options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline-commit) baseline="$2" ;;
    --wiring) wiring="$2" ;;
    --rounds) rounds="$2" ;;
    --counts) counts="$2" ;;
    --robots) robots="$2" ;;
    --lead) lead="$2" ;;
    --create-rate) rate="$2" ;;
    --port) port="$2" ;;
    --silo-port) silo_port="$2" ;;
    --gateway-port) gateway_port="$2" ;;
    --pg-activity) driver_options+=(--pg-activity 1); shift; continue ;;
    --pg-statements) driver_options+=(--pg-statements 1); shift; continue ;;
    --warm-up-triggers) driver_options+=(--warm-up-triggers "$2") ;;
    --current-env) current_env+=("$2") ;;
    --ready-to-run) publish_options=(-r "$(rid)" --self-contained false -p:PublishReadyToRun=true); shift; continue ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
case "$wiring" in
  embedded) port="${port:-5733}" ;;
  cluster) port="${port:-5901}" ;;
  *) echo "--wiring is embedded or cluster" >&2; exit 2 ;;
esac
builds=(current)
if [[ -n "$baseline" ]]; then
  mkdir -p "$out/baseline-src"
  git -C "$root" archive "$baseline" | tar -x -C "$out/baseline-src"
  dotnet publish "$out/baseline-src/src/Silo" -c Release "${publish_options[@]}" -o "$out/baseline" --nologo -v quiet >&2
  builds=(baseline current)
fi
dotnet publish "$root/src/Silo" -c Release "${publish_options[@]}" -o "$out/current" --nologo -v quiet >&2
dotnet build "$root/bench/triggers/TriggersBench.csproj" -c Release -o "$out/driver" --nologo -v quiet >&2
key="trigger-bench-admin-key-$(date +%s%N)"
if [[ "$wiring" == cluster ]]; then
  # The server runs until its standard input (this script's end of a pipe) closes: at exit, however the script ends.
  mkfifo "$out/pg-in"
  dotnet "$out/driver/Orchestrator.TriggersBench.dll" postgres-server <"$out/pg-in" >"$out/pg-port" &
  pg_pid=$!
  exec {pg_in}>"$out/pg-in"
  for _ in $(seq 1 120); do [[ -s "$out/pg-port" ]] && break; sleep 0.5; done
  read -r pg_port <"$out/pg-port"
  psql="$(pg_config --bindir)/psql"
  secret="$(head -c 32 /dev/urandom | base64)"
  echo "PostgreSQL (durable) on port $pg_port"
fi

# Starts one silo of $build with its data folder $1 and its index $2 (0, 1: ports $port + index …); $connection (cluster) set.
start_silo() {
  local data="$1" index="$2" settings=()
  mkdir -p "$data"
  if [[ "$build" == current ]]; then settings=("${current_env[@]}"); fi
  if [[ "$wiring" == cluster ]]; then
    (cd "$out/$build" && ConnectionStrings__Orchestrator="$connection" Orchestrator__SecretKey="$secret" \
      Orchestrator__AdminKey="$key" Orchestrator__DataPath="$data" Orchestrator__SiloPort=$((silo_port + index)) \
      Orchestrator__GatewayPort=$((gateway_port + index)) exec env "${settings[@]}" dotnet Orchestrator.Silo.dll --urls "http://127.0.0.1:$((port + index))" \
      >"$data/silo.log" 2>&1) &
  else
    (cd "$out/$build" && Orchestrator__AdminKey="$key" Orchestrator__DataPath="$data" exec env "${settings[@]}" dotnet Orchestrator.Silo.dll \
      --urls "http://127.0.0.1:$((port + index))" >"$data/silo.log" 2>&1) &
  fi
  silo_pids+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((port + index))/alive" >/dev/null && return; sleep 0.5; done
  echo "(silo $index did not come up)" >&2
}

for ((round = 1; round <= rounds; round++)); do
  for count in ${counts//,/ }; do
    # Alternate which build goes first, so neither always runs on the machine as the other left it.
    order=("${builds[@]}")
    if (( round % 2 == 0 )) && (( ${#builds[@]} == 2 )); then order=("${builds[1]}" "${builds[0]}"); fi
    for build in "${order[@]}"; do
      data="$out/data-$build-$count-$round"
      if [[ "$wiring" == cluster ]]; then
        database="triggers_${build}_${count}_${round}"
        "$psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $database"
        connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database;Maximum Pool Size=100;Timeout=15"
        # One after the other: the first applies the schema.
        start_silo "$data-0" 0
        start_silo "$data-1" 1
        urls="http://127.0.0.1:$port,http://127.0.0.1:$((port + 1))"
        store=(--postgres "$connection")
      else
        start_silo "$data" 0
        urls="http://127.0.0.1:$port"
        store=(--sqlite "$data/orchestrator.db")
      fi
      echo "== round $round, $count triggers, $build, $wiring (uptime:$(uptime))"
      dotnet "$out/driver/Orchestrator.TriggersBench.dll" --url "$urls" --key "$key" "${store[@]}" "${driver_options[@]}" \
        --triggers "$count" --robots "$robots" --lead "$lead" --create-rate "$rate" --silo-pid "$(IFS=,; echo "${silo_pids[*]}")" \
        || echo "(the driver failed)"
      echo "   (after the run, uptime:$(uptime))"
      stop_silos
      rm -rf "$data" "$data"-*
      if [[ "$wiring" == cluster ]]; then
        "$psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "DROP DATABASE $database"
      fi
    done
  done
done
