#!/usr/bin/env bash
# Adds tracker modules and the rarer formats to a benchmark library, from Debian packages (apt-get download: nothing
# is installed, nothing comes from outside the Debian archive):
#   bench/fetch-modules.sh OUTDIR [--with-it]
#   OUTDIR/modules/tecnoballz/  15 ProTracker .mod  (tecnoballz-data)
#   OUTDIR/modules/njam/        2 .xm, 1 .s3m       (njam-data)
#   OUTDIR/extra/               2 .wav (chromium-bsu-data), 1 WavPack .wv (teeworlds-data),
#                               with --with-it an Impulse Tracker .it (redeclipse-data: a 400 MB download)
# Then: bench scan --dir OUTDIR beside the output of ../shared/data/fetch-debian-music.sh (e.g. the same OUTDIR).
set -euo pipefail
out="${1:?usage: bench/fetch-modules.sh OUTDIR [--with-it]}"
packages=(tecnoballz-data njam-data chromium-bsu-data teeworlds-data)
[ "${2:-}" = --with-it ] && packages+=(redeclipse-data)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download "${packages[@]}" >/dev/null)
for d in "$work"/*.deb; do dpkg-deb -x "$d" "$work/x"; done
x="$work/x/usr/share/games"
mkdir -p "$out/modules/tecnoballz" "$out/modules/njam" "$out/extra"
cp "$x"/tecnoballz/musics/*.mod "$out/modules/tecnoballz/"
cp "$x"/njam/data/*.xm "$x"/njam/data/*.s3m "$out/modules/njam/"
cp "$x/chromium-bsu/wav/music_game.wav" "$out/extra/chromium-bsu-music_game.wav"
cp "$x/chromium-bsu/wav/music_menu.wav" "$out/extra/chromium-bsu-music_menu.wav"
cp "$x/teeworlds/data/audio/music_menu.wv" "$out/extra/teeworlds-music_menu.wv"
if [ "${2:-}" = --with-it ]; then
  it="$(find "$work/x" -name 'chip.it' -print -quit)"
  [ -n "$it" ] && cp "$it" "$out/extra/redeclipse-theme_chip.it"
fi
echo "$(find "$out/modules" "$out/extra" -type f | wc -l) files in $out/modules and $out/extra"
