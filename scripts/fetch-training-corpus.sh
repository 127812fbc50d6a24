#!/usr/bin/env bash
# fetch-training-corpus.sh - the music Earworm's shipped audio encoder is pretrained on: freely licensed game
# soundtracks from Debian packages, downloaded with apt, the music picked out of the game data, and a manifest.
#
# Usage:
#   scripts/fetch-training-corpus.sh [--keep-debs] [--min-seconds 30] [--packages "P1 P2"] OUTDIR
#
#   OUTDIR           where the music goes: OUTDIR/<soundtrack>/<file>, and OUTDIR/manifest.csv
#   --keep-debs      keep the downloaded .deb files in OUTDIR/.debs (by default each is deleted once its music is out)
#   --min-seconds S  leave out files shorter than S seconds: jingles, stingers, loops (default 30)
#   --packages LIST  only these packages of the list below (default: all of them)
#
# The packages (only these: music outside this list stays unseen by the shipped model, for evaluation):
#   wesnoth-1.16-music hyperrogue-music warzone2100-music drascula-music singularity-music planetblupi-music-ogg
#   ufoai-music nexuiz-music asc-music supertuxkart-data naev-data hedgewars-data supertux-data freedroidrpg-data
#   0ad-data fretsonfire-songs-muldjord fretsonfire-songs-sectoid freecol redeclipse-data teeworlds-data
#   neverball-data armagetronad-common chromium-bsu-data
# From game data only the music is taken (never sound effects, voices or ambience): the music folders, SuperTuxKart's
# race-track music (the files a track's .music declares), Red Eclipse's themes beside its music folder, FreeCol's intro
# music; Frets on Fire songs ship as stems (backing, guitar), mixed here into one file each. teeworlds-data (one 25 s
# menu loop), chromium-bsu-data (loops of 4 and 7 s), neverball-data (levels only: its music is in neverball-common)
# and armagetronad-common (maps only) yield nothing at 30 s. Left out on purpose: files under 30 s (victory, defeat and
# level-done stingers, short loops), FreeCol's anthems (8–12 s), FreedroidRPG's title voice-overs, Red Eclipse's
# tracker module theme_chip.it (the same piece as theme_chip.ogg), SuperTuxKart's "_fast" tempo variants.
# About 4.7 GB to download, 2.5 GB of music kept: 478 tracks, 28.0 hours from 19 packages.
#
# Resumable: a package whose music is out is recorded in OUTDIR/.parts/PACKAGE.csv and never redone; run the same
# command again after an interruption. Needs apt-get, dpkg-deb, python3, unzip, ffmpeg/ffprobe; as root, missing
# tools are installed (and `apt-get update` runs once when a package has no candidate).
#
# manifest.csv columns:
#   path         relative to OUTDIR, e.g. 0ad/Celtica.ogg
#   soundtrack   one game, or one album of a game (warzone2100's three albums)
#   package      the Debian package it came from (the unit training holds out)
#   composer     from the game's credits, the copyright file or the file's tags; empty when unknown
#   title        from credits or tags, when known
#   duration_s   length in seconds (ffprobe)
#   licence      the licence the package's copyright file gives these files (DEP-5 stanza, else its text)
set -euo pipefail

ALL="wesnoth-1.16-music hyperrogue-music warzone2100-music drascula-music singularity-music planetblupi-music-ogg
ufoai-music nexuiz-music asc-music supertuxkart-data naev-data hedgewars-data supertux-data freedroidrpg-data
0ad-data fretsonfire-songs-muldjord fretsonfire-songs-sectoid freecol redeclipse-data teeworlds-data
neverball-data armagetronad-common chromium-bsu-data"
usage() { echo "usage: $0 [--keep-debs] [--min-seconds 30] [--packages \"P1 P2\"] OUTDIR   (--help explains)" >&2; exit 2; }

KEEP=0; MIN=30; PKGS=""; OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-debs) KEEP=1 ;;
    --min-seconds) [ $# -ge 2 ] || usage; MIN="$2"; shift ;;
    --packages) [ $# -ge 2 ] || usage; PKGS="$2"; shift ;;
    -h|--help) awk 'NR>1 && /^#/ {sub(/^# ?/, ""); print; next} NR>1 {exit}' "$0"; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) [ -z "$OUT" ] || usage; OUT="$1" ;;
  esac
  shift
done
[ -n "$OUT" ] || usage
[[ "$MIN" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "--min-seconds must be a number of seconds, got '$MIN'" >&2; exit 2; }
PKGS="${PKGS:-$ALL}"
for p in $PKGS; do
  case " $(echo $ALL) " in *" $p "*) ;; *) echo "$p is not one of the training packages (see --help)" >&2; exit 2 ;; esac
done

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
UPDATED=0
apt_update_once() {
  if [ "$UPDATED" = 0 ] && [ "$IS_ROOT" = 1 ]; then echo ">> apt-get update" >&2; apt-get update -qq >&2; UPDATED=1; fi
}

# --- tools -------------------------------------------------------------------------------------------------------
need=""
for t in apt-get dpkg-deb; do command -v $t >/dev/null 2>&1 || { echo "$t is missing: this script needs a Debian-based system" >&2; exit 2; }; done
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v unzip >/dev/null 2>&1 || need="$need unzip"
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || need="$need ffmpeg"
if [ -n "$need" ]; then
  if [ "$IS_ROOT" = 1 ]; then
    apt_update_once
    echo ">> installing:$need" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2
  else
    echo "missing tools; run: sudo apt-get install -y$need" >&2; exit 2
  fi
fi

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DEBS="$OUT/.debs"; PARTS="$OUT/.parts"; WORK="$OUT/.extract"
mkdir -p "$DEBS" "$PARTS"
# let apt's unprivileged download user write here (avoids a sandbox warning)
if [ "$IS_ROOT" = 1 ] && id _apt >/dev/null 2>&1; then chown _apt "$DEBS" 2>/dev/null || true; fi

todo=""
for p in $PKGS; do [ -f "$PARTS/$p.csv" ] || todo="$todo $p"; done

# --- download (what is not already there) ---------------------------------------------------------------------
fetch=""
for p in $todo; do ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || fetch="$fetch $p"; done
if [ -n "$fetch" ]; then
  for p in $fetch; do apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || apt_update_once; done
  echo ">> apt-get download$fetch" >&2
  (cd "$DEBS" && apt-get download $fetch >&2) || {
    echo "apt-get download failed (network, or a package missing from the sources: see above); run again to resume" >&2; exit 1; }
fi

# --- extract and lay out, one package at a time -----------------------------------------------------------------
for p in $todo; do
  deb=$(ls "$DEBS/${p}_"*.deb | head -n1)
  echo ">> $(basename "$deb")" >&2
  rm -rf "$WORK"; mkdir -p "$WORK"
  if [ "$p" = 0ad-data ]; then
    # the music sits in a 3 GB zip of game data: take that zip and the copyright file only, then the music from it
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK" ./usr/share/games/0ad/mods/public/public.zip ./usr/share/doc/0ad-data/copyright
    mkdir -p "$WORK/zip/public"
    unzip -q -o "$WORK/usr/share/games/0ad/mods/public/public.zip" 'audio/music/*' -d "$WORK/zip/public"
    rm -f "$WORK/usr/share/games/0ad/mods/public/public.zip"
  else
    dpkg-deb -x "$deb" "$WORK"
    # music packed in Quake-style .pk3 (zip) archives: nexuiz, ufoai
    while IFS= read -r -d '' pk3; do
      d="$WORK/zip/$(basename "$pk3" .pk3)"; mkdir -p "$d"; unzip -q -o "$pk3" -d "$d"
    done < <(find "$WORK" -name '*.pk3' -print0)
  fi
  python3 "$here/training_corpus.py" layout --package "$p" --extracted "$WORK" --out "$OUT" --min-seconds "$MIN" \
    --part "$PARTS/$p.csv"
  rm -rf "$WORK"
  [ "$KEEP" = 1 ] || rm -f "$deb"
done
if [ "$KEEP" = 0 ]; then
  for p in $PKGS; do [ -f "$PARTS/$p.csv" ] && rm -f "$DEBS/${p}_"*.deb; done
  rmdir "$DEBS" 2>/dev/null || true
fi

python3 "$here/training_corpus.py" manifest --out "$OUT" --packages "$(echo $ALL)" --requested "$(echo $PKGS)"
echo ">> wrote $OUT/manifest.csv" >&2
