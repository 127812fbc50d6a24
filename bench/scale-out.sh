#!/usr/bin/env bash
# The chaos run: a PostgreSQL catalog and a Redis server of its own (temporary folders, loopback), three `earworm silo`
# processes, a load generator (similar tracks and feedback through a health-checked balancer, bench/Earworm.Benchmarks
# scale-out), and during the load one silo SIGKILLed (then started again) and another SIGSTOPped (then SIGCONTed: it
# finds itself declared dead and leaves). Ends with one JSON line:
#   {"silos","requests","errors","recovery_seconds","events_acknowledged","events_lost",…}
# events_lost: acknowledged feedback missing from PostgreSQL afterwards; recovery_seconds: the longest time from a fault
# to the end of the last request, ended before the next fault, that failed or was a similar answer covering less than
# every shard (recovery_per_fault: each fault's; the load generator lists those requests, each attempt's silo and time).
#   flock /work/bench.lock bench/scale-out.sh [--seconds 60] [--tracks 20000] [--dims 32] [--clients 8] [--shards 6] [--replicas 2]
#   bench/scale-out.sh --short [--check] [--max-recovery S]
#     the CI run: 45 s of load, 2000 tracks (about 90 s in all on a quiet machine); --check exits 1 when a target is
#     missed: errors ≤ 1 % of requests, no acknowledged event lost, recovery ≤ S seconds (default 10, the target)
#   --keep-logs DIR keeps the silos' and servers' logs and the faults' times there
#   flock /work/bench.lock bench/scale-out.sh --throughput --silos 1|3 --tracks 1000000 --dims 64 --catalog FILE
#     [--clients 16] [--seconds 20] [--runs 3] [--rate 2000] [--shards N] [--replicas N] [--ef-search N]
#     no faults: similar tracks as fast as the silos answer, then paced at --rate (bench/Earworm.Benchmarks
#     scale-throughput); one JSON line of req/s, p50/p99, errors, the silos' CPU-ms a request (all silo processes,
#     user and system, over each run, divided by its requests) and each silo's resident memory. --catalog FILE: a
#     SQLite catalog the silos share (only read), filled when missing and kept for the next run, its shards' HNSW
#     indexes saved beside it (FILE.models/) so the next run loads them; put it on tmpfs (/dev/shm) to fill 1 M tracks
#     in minutes. Without --catalog, the PostgreSQL catalog as in the chaos run.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=bench/postgres.sh
. "$here/bench/postgres.sh"

seconds=60; tracks=20000; dims=32; clients=8; shards=6; replicas=2; check=0; max_recovery=10; keep_logs=""
throughput=0; silos=3; catalog=""; runs=3; rate=2000; seconds_set=0; clients_set=0; silo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; seconds_set=1; shift 2 ;;
    --tracks) tracks="$2"; shift 2 ;;
    --dims) dims="$2"; shift 2 ;;
    --clients) clients="$2"; clients_set=1; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --replicas) replicas="$2"; shift 2 ;;
    --short) seconds=45; tracks=2000; clients=6; shift ;;
    --check) check=1; shift ;;
    --max-recovery) max_recovery="$2"; shift 2 ;;
    --keep-logs) keep_logs="$2"; shift 2 ;;
    --throughput) throughput=1; shift ;;
    --silos) silos="$2"; shift 2 ;;
    --catalog) catalog="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --ef-search) silo_args+=(--ef-search "$2"); shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "scale-out: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$silos" in 1|2|3|4|5) ;; *) echo "scale-out: --silos $silos: give 1–5" >&2; exit 2 ;; esac
if [ "$throughput" = 0 ] && [ "$silos" -lt 3 ]; then echo "scale-out: the chaos run needs 3 silos or more" >&2; exit 2; fi
if [ "$throughput" = 1 ]; then [ "$seconds_set" = 1 ] || seconds=20; [ "$clients_set" = 1 ] || clients=16; fi
command -v redis-server >/dev/null || { echo "scale-out: redis-server is missing: apt-get install -y redis-server" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "${EARWORM_PREBUILT:-0}" = 1 ]; then
  cli="$here/src/Earworm.Cli/bin/Release/net10.0/earworm.dll"
  bench="$here/bench/Earworm.Benchmarks/bin/Release/net10.0/Earworm.Benchmarks.dll"
else
  out="$here/.earworm/build/scale-out"
  dotnet build "$here/src/Earworm.Cli/Earworm.Cli.csproj" -c Release -o "$out/cli" --nologo -v quiet -clp:ErrorsOnly >&2
  dotnet build "$here/bench/Earworm.Benchmarks/Earworm.Benchmarks.csproj" -c Release -o "$out/bench" --nologo -v quiet -clp:ErrorsOnly >&2
  cli="$out/cli/earworm.dll"; bench="$out/bench/Earworm.Benchmarks.dll"
fi

tmp="$(mktemp -d /tmp/earworm-scale-out.XXXXXX)"
chmod 755 "$tmp" # the server runs as postgres when we are root
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true
  earworm_pg_stop "$tmp/pg" || true
  if [ -n "$keep_logs" ]; then mkdir -p "$keep_logs" && cp "$tmp"/*.log "$tmp/faults" "$keep_logs/" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
t0=$(now)
elapsed() { awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

export EARWORM_HOME="$tmp/home" # a PostgreSQL catalog's local files (model folder) in the run's folder
if [ -n "$catalog" ]; then
  mkdir -p "$(dirname "$catalog")"   # readlink -f fails (and the script with it) where the folder does not exist yet
  db="$(readlink -f "$catalog")"
  if [ ! -f "$db" ]; then dotnet "$bench" scale-catalog --db "$db" --tracks "$tracks" --dims "$dims" >&2; fi
else
  earworm_pg_start "$tmp/pg"
  db="$EARWORM_PG_URL"
  dotnet "$bench" scale-catalog --db "$db" --tracks "$tracks" --dims "$dims" >&2
fi
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$tmp" --save "" --appendonly no --daemonize yes \
  --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log" >/dev/null
echo "scale-out: catalog and servers ready at $(elapsed) s" >&2

declare -A silo_port gateway_port http_port silo_pid
start_silo() { # NAME: starts (or starts again) a silo on its ports
  local n="$1"
  dotnet "$cli" --db "$db" silo --redis "127.0.0.1:$redis_port" --port "${silo_port[$n]}" --gateway "${gateway_port[$n]}" \
    --http "${http_port[$n]}" --shards "$shards" --replicas "$replicas" "${silo_args[@]}" >> "$tmp/silo-$n.log" 2>&1 &
  silo_pid[$n]=$!
  pids+=("$!")
}
wait_silos() { # COUNT URL…: until the first URL's silo counts COUNT active silos and every URL answers (≤ 120 s)
  local want="$1"; shift
  for _ in $(seq 240); do
    local ok=1
    for u in "$@"; do curl -sf -m 1 "$u/api/limits" >/dev/null || ok=0; done
    if [ "$ok" = 1 ] && curl -sf -m 2 "$1/api/cluster" | grep -q "\"activeSilos\":$want"; then return 0; fi
    sleep 0.5
  done
  echo "scale-out: the silos did not form a cluster of $want (logs in $tmp)" >&2; tail -20 "$tmp"/silo-*.log >&2; return 1
}
urls=()
names=(a b c d e)
for n in "${names[@]:0:$silos}"; do
  silo_port[$n]=$(free_port); gateway_port[$n]=$(free_port); http_port[$n]=$(free_port)
  urls+=("http://127.0.0.1:${http_port[$n]}")
  start_silo "$n"
done
wait_silos "$silos" "${urls[@]}"
# the shards loaded before the clock starts (a silo warms them once it has joined; HNSW from 100 000 tracks a shard
# takes minutes to build the first time)
for i in $(seq 7200); do
  curl -sf -m 10 "${urls[0]}/api/tracks/1/similar?count=1&space=audio" | grep -q '"coverage":1[,}]' && break
  [ $((i % 60)) = 0 ] && echo "scale-out: the shards are still loading at $(elapsed) s" >&2
  sleep 0.5
done
echo "scale-out: $silos silos up at $(elapsed) s; load for $seconds s" >&2

if [ "$throughput" = 1 ]; then
  all_urls=$(IFS=,; echo "${urls[*]}")
  all_pids=$(IFS=,; echo "${pids[*]}")
  result=$(dotnet "$bench" scale-throughput --silos "$all_urls" --pids "$all_pids" --seconds "$seconds" --clients "$clients" --runs "$runs" --rate "$rate" | tail -1)
  echo "scale-out: done at $(elapsed) s; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  echo "$result"
  exit 0
fi

faults="$tmp/faults"
: > "$faults"
all_urls=$(IFS=,; echo "${urls[*]}")
dotnet "$bench" scale-out --db "$db" --silos "$all_urls" --seconds "$seconds" --clients "$clients" --faults "$faults" > "$tmp/result.json" &
load=$!
# the faults: a crash at 1/6 of the run (the silo started again 6 s later), a hang at 1/2 (resumed 12 s later)
sleep "$(awk -v s="$seconds" 'BEGIN { print s / 6 }')"
echo "$(now) kill a" >> "$faults"; kill -KILL "${silo_pid[a]}"
sleep 6
echo "$(now) restart a" >> "$faults"; start_silo a
sleep "$(awk -v s="$seconds" 'BEGIN { print s / 2 - s / 6 - 6 }')"
echo "$(now) stop b" >> "$faults"; kill -STOP "${silo_pid[b]}"
sleep 12
echo "$(now) cont b" >> "$faults"; kill -CONT "${silo_pid[b]}"
wait "$load"
result=$(tail -1 "$tmp/result.json")
echo "scale-out: done at $(elapsed) s; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "$result"
if [ "$check" = 1 ]; then
  python3 - "$result" "$max_recovery" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); limit = float(sys.argv[2])
bad = []
if r["errors"] > 0.01 * r["requests"]: bad.append(f"errors {r['errors']} > 1 % of {r['requests']}")
if r["recovery_seconds"] > limit: bad.append(f"recovery {r['recovery_seconds']} s > {limit:g} s")
if r["events_lost"] != 0: bad.append(f"{r['events_lost']} acknowledged events lost")
if r["events_acknowledged"] == 0: bad.append("no event acknowledged")
if bad: print("scale-out: targets missed: " + "; ".join(bad), file=sys.stderr); sys.exit(1)
print("scale-out: targets met", file=sys.stderr)
PY
fi
