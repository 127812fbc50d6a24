#!/usr/bin/env bash
# Regenerates the saved ffprobe JSON (ffprobe/NAME.json) and the decoding ffmpeg's stderr (ffmpeg/NAME.txt) for tiny
# files this script synthesises with ffmpeg, so the parsers are tested without ffmpeg. ffmpeg 5.1 (Debian 12).
#   tests/Earworm.Audio.Tests/Fixtures/make-media-fixtures.sh
# The stderr is what FfmpegDecoder's command writes: -loglevel level+info, first audio stream, mono 22 050 Hz f32le.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
gen() { ffmpeg -nostdin -v error -y "$@"; }

gen -f lavfi -i "sine=f=440:d=3" -ac 2 -c:a libvorbis -metadata title="Tëst Song" -metadata artist=Me -metadata album=Alb -metadata track=3 t.ogg
gen -f lavfi -i "sine=f=440:d=3" -ac 1 -c:a libmp3lame -b:a 64k -metadata title="Mp3 Song" -metadata artist=Me -metadata date=2020 t.mp3
# upper-case Vorbis comment names, as many taggers write them
gen -f lavfi -i "sine=f=440:d=2" -ac 1 -c:a flac -metadata TITLE="Flac Ünïcode" -metadata ARTIST="Some Band" -metadata ALBUM=LP \
    -metadata track=2/10 -metadata DATE=1999-05-01 -metadata GENRE=Rock t.flac
gen -f lavfi -i "sine=f=440:d=2" -ac 1 -c:a pcm_s16le t.wav
gen -f lavfi -i "sine=f=440:d=2" -f lavfi -i "color=red:s=32x32:d=1" -map 0 -map 1 -frames:v 1 -ac 1 -c:a libmp3lame -b:a 64k \
    -c:v mjpeg -disposition:v attached_pic -metadata title="With Cover" cover.mp3
gen -f lavfi -i "sine=f=440:d=2" -ac 2 -c:a aac -b:a 128k -metadata title="M4a Song" -metadata album_artist="The Band" \
    -metadata album="Long Player" t.m4a
gen -f lavfi -i "sine=f=440:d=2" -ac 1 -c:a libopus -metadata title="Opus" -metadata artist="Me" t.opus
gen -f lavfi -i "sine=f=440:d=2" -ac 1 -c:a libmp3lame -b:a 64k -metadata title="Two Lines" \
    -metadata comment="$(printf 'first line\nsecond line')" -metadata lyrics="$(printf 'x%.0s' $(seq 300))" multiline.mp3
gen -f lavfi -i "sine=f=440:d=2" -af "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0" -c:a flac surround.flac
gen -f lavfi -i "color=blue:s=32x32:d=1" -frames:v 1 picture.png
head -c 3000 t.ogg > truncated.ogg
# a ProTracker module: one sine-cycle sample, C-4 on the first row of a 64-row pattern (what ModuleWriter writes, in short)
python3 - <<'PY'
import math, struct
h = bytearray(1084); h[0:8] = b"fixture\0"
s = 20; h[s:s+4] = b"sine"; struct.pack_into(">HBBHH", h, s + 22, 16, 0, 64, 0, 16)
for i in range(1, 31): struct.pack_into(">H", h, 20 + i * 30 + 28, 1)
h[950] = 1; h[951] = 127; h[1080:1084] = b"M.K."
p = bytearray(64 * 16); p[0:4] = bytes([428 >> 8, 428 & 255, 0x10, 0])
data = bytes((round(100 * math.sin(2 * math.pi * i / 32)) & 255) for i in range(32))
open("tune.mod", "wb").write(bytes(h) + bytes(p) + data)
PY

mkdir -p "$here/ffprobe" "$here/ffmpeg"
for f in t.ogg t.mp3 t.flac t.wav cover.mp3 t.m4a t.opus multiline.mp3 surround.flac picture.png truncated.ogg tune.mod; do
  name="${f%.*}"; [ "$f" = cover.mp3 ] && name=cover-mp3; [ "${f%.*}" = t ] && name="t-${f##*.}"
  ffprobe -v error -print_format json -show_format -show_streams -- "$f" > "$here/ffprobe/$name.json" 2>/dev/null || true
  ffmpeg -nostdin -hide_banner -nostats -loglevel level+info -i "$f" -map 0:a:0 -vn -sn -dn -ac 1 -ar 22050 \
    -flush_packets 0 -f f32le - 2> "$here/ffmpeg/$name.txt" > /dev/null || true
done
echo "wrote $(ls "$here/ffprobe" | wc -l) ffprobe and $(ls "$here/ffmpeg" | wc -l) ffmpeg fixtures"
