# Sourced by ./earworm and ./test.sh: make sure what Earworm needs is installed.
# As root, missing Debian packages are installed with apt-get; otherwise one line says what to run, exit code 2.

_earworm_apt_updated=0

# Root with apt-get: missing packages can be installed.
_earworm_can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# _earworm_apt_install PACKAGE: apt-get install (after one apt-get update per run).
_earworm_apt_install() {
  if [ "$_earworm_apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    _earworm_apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >&2
}

earworm_need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "earworm: the .NET 10 SDK is needed (dotnet not found on PATH): see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 2
  fi
}

# earworm_need_package COMMAND PACKAGE: install PACKAGE when COMMAND is missing.
earworm_need_package() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if _earworm_can_apt; then
    echo "earworm: installing $pkg (apt-get install -y $pkg)…" >&2
    _earworm_apt_install "$pkg" || {
      echo "earworm: could not install $pkg: run \`apt-get install -y $pkg\` and try again" >&2
      exit 2
    }
    command -v "$cmd" >/dev/null 2>&1 && return 0
  fi
  echo "earworm: $cmd is missing: install it with \`sudo apt-get install -y $pkg\`" >&2
  exit 2
}

# earworm_need_chromium: Debian's chromium for the web app's browser tests. Installed with apt-get as root; otherwise
# one line says what to run, and the browser tests skip with that reason (no failure: the rest of the suite runs).
earworm_need_chromium() {
  [ -x "${EARWORM_CHROMIUM:-/usr/bin/chromium}" ] && return 0
  if _earworm_can_apt; then
    echo "earworm: installing chromium for the browser tests (apt-get install -y chromium)…" >&2
    _earworm_apt_install chromium && return 0
  fi
  echo "earworm: chromium is missing, so the browser tests will skip: install it with \`sudo apt-get install -y chromium\`" >&2
}

# earworm_want_package COMMAND PACKAGE WHAT: like earworm_need_package, but what it is for can do without it: as root it is
# installed; otherwise one line says what to run, and the tests that need it skip with that reason.
earworm_want_package() {
  local cmd="$1" pkg="$2" what="$3"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if _earworm_can_apt; then
    echo "earworm: installing $pkg for $what (apt-get install -y $pkg)…" >&2
    _earworm_apt_install "$pkg" && command -v "$cmd" >/dev/null 2>&1 && return 0
  fi
  echo "earworm: $cmd is missing, so $what will skip: install it with \`sudo apt-get install -y $pkg\`" >&2
}

# earworm_want_postgresql: Debian's PostgreSQL server binaries (initdb, pg_ctl) for the PostgreSQL catalog's tests, which
# start a server of their own. Debian keeps them off PATH, under /usr/lib/postgresql/VERSION/bin. Installed with apt-get as
# root; otherwise one line says what to run, and those tests skip with that reason.
earworm_want_postgresql() {
  if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then return 0; fi
  if _earworm_can_apt; then
    echo "earworm: installing postgresql for the PostgreSQL catalog's tests (apt-get install -y postgresql)…" >&2
    _earworm_apt_install postgresql && return 0
  fi
  echo "earworm: PostgreSQL is missing, so the PostgreSQL catalog's tests will skip: install it with \`sudo apt-get install -y postgresql\`" >&2
}

# earworm_need_subsonic_client DIR: the npm client `subsonic-api` (pinned) that the OpenSubsonic API's tests drive,
# installed from the npm registry into DIR/.earworm/node (ignored by git) under Debian's node. Without node (installed
# with apt-get as root) the client test skips with one line saying so.
earworm_subsonic_client_version=3.3.1
earworm_need_subsonic_client() {
  local dir="$1/.earworm/node"
  earworm_want_package node nodejs "the OpenSubsonic client test"
  earworm_want_package npm npm "the OpenSubsonic client test"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then return 0; fi
  if [ -f "$dir/node_modules/subsonic-api/package.json" ] &&
     grep -q "\"version\": \"$earworm_subsonic_client_version\"" "$dir/node_modules/subsonic-api/package.json"; then
    return 0
  fi
  echo "earworm: installing the npm client subsonic-api $earworm_subsonic_client_version into .earworm/node…" >&2
  mkdir -p "$dir"
  (cd "$dir" && npm install --prefix . --no-audit --no-fund --no-save --loglevel=error "subsonic-api@$earworm_subsonic_client_version" >&2) || {
    echo "earworm: could not install subsonic-api from the npm registry: the OpenSubsonic client test will fail until it is" >&2
  }
}
