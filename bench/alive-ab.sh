#!/bin/bash
# GET /alive alone, for builds compared on the request path's floor: each build's silo is started in turn on a fresh
# data folder, wrk warms it for 3 s and measures 5 s with 2 threads and 64 connections, and it is stopped; the builds
# alternate, ROUNDS times (default 5). Arguments: the builds' publish folders (dotnet publish src/Silo -c Release -o …).
set -euo pipefail
rounds=${ROUNDS:-5}
for r in $(seq 1 "$rounds"); do
  for build in "$@"; do
    data=$(mktemp -d)
    dotnet "$build/Orchestrator.Silo.dll" --urls http://127.0.0.1:5200 --Orchestrator:SiloPort=11300 --Orchestrator:GatewayPort=30300 \
      --Orchestrator:DataPath="$data" --Orchestrator:AdminKey=abcdefabcdefabcdefabcdefabcdefabcdef --Logging:LogLevel:Default=Warning > "$data/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:5200/alive && break; sleep 0.2; done
    wrk -t2 -c64 -d3s http://127.0.0.1:5200/alive > /dev/null 2>&1
    echo "round $r $build $(wrk -t2 -c64 -d5s http://127.0.0.1:5200/alive 2>&1 | grep Requests/sec)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$data"
  done
done
