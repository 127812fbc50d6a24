#!/usr/bin/env bash
# Bulk import into the PostgreSQL catalog against the COPY ceiling and SQLite, on a server of its own (default
# settings but shared_buffers 512MB and max_wal_size 4GB, as a server for imports would have; fsync on). Each import's
# statements are logged with their durations (a few dozen lines an import) and printed as its phases.
#   bench/postgres-import.sh [--interactions 1000000] [--users 10000] [--items 50000] [--runs 3] [--no-sqlite]
#   bench/postgres-import.sh --synthetic [--interactions 100000000] [--chunk 5000000] [--max-seconds N]   (als-scale's log, in parts)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=bench/postgres.sh
. "$here/postgres.sh"
dir="$(mktemp -d /tmp/earworm-pg-bench.XXXXXX)"
trap 'earworm_pg_stop "$dir"' EXIT
earworm_pg_start "$dir" -c shared_buffers=512MB -c max_wal_size=4GB -c log_min_duration_statement=0
dotnet run -c Release --project "$here/Earworm.Benchmarks" -- postgres-import --server "$EARWORM_PG_URL" --server-log "$dir/log" "$@"
