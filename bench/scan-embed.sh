#!/usr/bin/env bash
# What the audio space costs a scan: `earworm scan DIR` (every analysed track embedded by the shipped encoder) against
# `earworm scan --no-embed DIR`, each into a fresh catalog, alternating, RUNS times; prints each time and the ratio of
# the medians (the issue's target: ≤ 1.3).
#   flock /work/bench.lock bench/scan-embed.sh MUSIC_DIR [RUNS] [WORKERS]
# EARWORM_DLL=PATH/earworm.dll times a CLI built elsewhere (a copy, so no rebuild interferes) instead of ./earworm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
music="${1:?MUSIC_DIR}"; runs="${2:-3}"; workers="${3:-2}"
earworm() { if [ -n "${EARWORM_DLL:-}" ]; then dotnet "$EARWORM_DLL" "$@"; else "$here/earworm" "$@"; fi; }
earworm --help > /dev/null # builds the CLI once, outside the timings
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$runs"); do
  for mode in without with; do
    flags=(--workers "$workers")
    [ "$mode" = without ] && flags+=(--no-embed)
    start=$(date +%s.%N)
    earworm scan --db "$tmp/$mode-$r/catalog.db" "${flags[@]}" "$music" > "$tmp/$mode-$r.log" 2>&1
    end=$(date +%s.%N)
    echo "$mode $r $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')" | tee -a "$tmp/times"
  done
done
grep -h "audio space" "$tmp"/with-*.log | tail -1
median() { grep "^$1 " "$tmp/times" | awk '{ print $3 }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
without=$(median without); with=$(median with)
awk -v a="$without" -v b="$with" 'BEGIN { printf "scan without embedding %.2f s, with %.2f s (medians): ratio %.2f\n", a, b, b / a }'
