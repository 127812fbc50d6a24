#!/usr/bin/env bash
# earworm discover on Last.fm 2K: imports the data set into a catalog of its own, trains cf with the defaults, then asks
# for a 30-track list for every 19th listener id (100 listeners, --random-seed the id) and reports how many distinct
# artists each list holds that the listener never played (the issue's figure: 30), and how many picks were explored.
#   bench/discover-lastfm.sh [DATA_DIR (default ../shared/data/lastfm-2k)] [EVERY (default 19)]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
data="${1:-$here/../../shared/data/lastfm-2k}"
every="${2:-19}"
dir="$(mktemp -d /tmp/earworm-discover.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
ew() { "$here/../earworm" --db "$dir/catalog.db" "$@"; }
ew import lastfm-2k "$data" >/dev/null
ew train cf >/dev/null
users=$(tail -n +2 "$data/user_artists.dat" | cut -f1 | sort -un | awk -v e="$every" 'NR % e == 1')
for u in $users; do
  ew --json discover --user "lastfm-2k:$u" --count 30 --random-seed "$u" 2>/dev/null |
    python3 -c "import json,sys; d=json.load(sys.stdin); t=d['tracks']; print('$u', len(t), d['newArtists'], sum(1 for x in t if x.get('arm')))"
done | awk '{ n++; if ($3 == 30) full++; explored += $4; if (min == "" || $3 < min) min = $3 }
  END { printf "discover on Last.fm 2K: %d listeners, %d with 30 distinct never-played artists (fewest %d), %.1f explored picks a list\n", n, full, min, explored / n }'
