# Sourced by the benchmarks that need a PostgreSQL server of their own: Debian's binaries, a cluster in a temporary
# folder, loopback only, trust authentication; as root the server runs as the postgres user (it refuses root).
#   earworm_pg_start DIR [EXTRA SERVER OPTIONS…]   sets EARWORM_PG_PORT and EARWORM_PG_URL (the postgres database)
#   earworm_pg_stop DIR

earworm_pg_bin() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$d" ] || { echo "PostgreSQL is missing: apt-get install -y postgresql" >&2; return 1; }
  echo "$d"
}

_earworm_pg() { # run a server tool, as postgres when root
  local tool="$1"; shift
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$(earworm_pg_bin)/$tool" "$@"; else "$(earworm_pg_bin)/$tool" "$@"; fi
}

earworm_pg_start() {
  local dir="$1"; shift
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  EARWORM_PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  _earworm_pg initdb -D "$dir/data" -U earworm --auth=trust -E UTF8 --locale=C >/dev/null
  _earworm_pg pg_ctl -D "$dir/data" -l "$dir/log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -p $EARWORM_PG_PORT -k $dir $*" start >/dev/null
  EARWORM_PG_URL="postgresql://earworm@127.0.0.1:$EARWORM_PG_PORT/postgres"
  export EARWORM_PG_PORT EARWORM_PG_URL
  # the server starts a session, so a CPU group, of its own: give it the caller's group's priority (a benchmark run
  # with `echo -20 > /proc/self/autogroup` measures its server at that priority too, not at the default's)
  local nice pm
  nice="$(sed -n 's/.* nice //p' /proc/self/autogroup 2>/dev/null || true)"
  pm="$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
  if [ -n "$nice" ] && [ -n "$pm" ]; then echo "$nice" > "/proc/$pm/autogroup" 2>/dev/null || true; fi
}

earworm_pg_stop() {
  _earworm_pg pg_ctl -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$1"
}
