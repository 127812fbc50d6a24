#!/usr/bin/env bash
# Reference tempi for the real-music report, one line per file of DIR/manifest.csv (resumable):
#   path, `aubio tempo` as printed (aubio 0.4.9 prints the MEAN of 60/inter-beat-interval, which a few
#   missed or doubled beats pull far off), the median of the inter-beat intervals of `aubio beat` (the
#   same tracker), and SoundTouch's `soundstretch FILE.wav -bpm` on a 44.1 kHz mono down-mix.
#   apt-get install -y aubio-tools soundstretch
#   bench/tempo-references.sh /work/debian-music /tmp/tempo-refs.tsv
set -euo pipefail
dir=${1:?usage: tempo-references.sh DIR OUT.tsv}
out=${2:?usage: tempo-references.sh DIR OUT.tsv}
[ -s "$out" ] || printf 'path\taubio tempo\taubio beats (median)\tsoundstretch\n' > "$out"
wav=$(mktemp --suffix .wav)
trap 'rm -f "$wav"' EXIT
tail -n +2 "$dir/manifest.csv" | cut -d, -f1 | while read -r rel; do
  grep -q -F "$rel	" "$out" && continue
  f="$dir/$rel"
  tempo=$(aubio tempo -i "$f" </dev/null 2>/dev/null | tail -1 | sed 's/ bpm.*//') || tempo=
  beats=$(aubio beat -i "$f" </dev/null 2>/dev/null | python3 -c "
import sys, statistics
b = [float(x) for x in sys.stdin.read().split()]
d = [y - x for x, y in zip(b, b[1:])]
print('%.2f' % (60 / statistics.median(d)) if len(d) > 1 else '')") || beats=
  stretch=
  if ffmpeg -nostdin -v error -y -i "$f" -ac 1 -ar 44100 "$wav" 2>/dev/null; then
    stretch=$(cd /tmp && soundstretch "$wav" -bpm 2>&1 | grep -o 'Detected BPM rate [0-9.]*' | awk '{print $4}') || stretch=
  fi
  printf '%s\t%s\t%s\t%s\n' "$rel" "${tempo:-}" "${beats:-}" "${stretch:-}" >> "$out"
done
