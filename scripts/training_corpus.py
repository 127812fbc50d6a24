#!/usr/bin/env python3
"""The training corpus's layout and manifest (called by fetch-training-corpus.sh; python3's standard library only).

  training_corpus.py layout --package P --extracted DIR --out OUTDIR --min-seconds S --part PART.csv
      moves one extracted package's music into OUTDIR/<soundtrack>/ and writes its rows to PART.csv (atomically)
  training_corpus.py manifest --out OUTDIR --packages "P1 P2 ..."
      joins the packages' parts into OUTDIR/manifest.csv and prints tracks, hours, composers and licences per package
"""
import argparse, csv, fnmatch, glob, html, json, os, re, shutil, subprocess, sys

COLUMNS = ["path", "soundtrack", "package", "composer", "title", "duration_s", "licence"]

# package -> [(soundtrack, music folder relative to the extracted package, file pattern)]; never sound effects,
# voices or ambience. Frets on Fire songs are folders of stems, mixed by mix_stems().
LAYOUT = {
    "wesnoth-1.16-music": [("wesnoth", "usr/share/games/wesnoth/1.16/data/core/music", "*.ogg")],
    "hyperrogue-music": [("hyperrogue", "usr/share/hyperrogue/music", "*.ogg")],
    "warzone2100-music": [
        ("warzone2100-original", "usr/share/games/warzone2100/music/albums/original_soundtrack", "*.opus"),
        ("warzone2100-legacy", "usr/share/games/warzone2100/music/albums/legacy_soundtrack", "*.opus"),
        ("warzone2100-aftermath", "usr/share/games/warzone2100/music/albums/aftermath_soundtrack", "*.opus"),
        ("warzone2100", "usr/share/games/warzone2100/music", "*.opus"),
    ],
    "drascula-music": [("drascula", "usr/share/scummvm/drascula/audio", "*.ogg")],
    "singularity-music": [("singularity", "usr/share/games/singularity/music", "**/*.ogg")],
    "planetblupi-music-ogg": [("planetblupi", "usr/share/planetblupi/music", "*.ogg")],
    "ufoai-music": [("ufoai", "zip/0music/music", "*.ogg")],
    "nexuiz-music": [("nexuiz", "zip/music/sound/cdtracks", "*.ogg")],
    "asc-music": [("asc", "usr/share/games/asc/music", "*.mp3")],
    "supertuxkart-data": [("supertuxkart", "usr/share/games/supertuxkart/data/music", "*.ogg"),
                          ("supertuxkart", "usr/share/games/supertuxkart/data/tracks", "*/*.ogg")],
    "naev-data": [("naev", "usr/share/naev/dat/snd/music", "*.ogg")],
    "hedgewars-data": [("hedgewars", "usr/share/games/hedgewars/Data/Music", "*.ogg")],
    "supertux-data": [("supertux", "usr/share/games/supertux2/music", "**/*.ogg")],
    "freedroidrpg-data": [("freedroidrpg", "usr/share/freedroidrpg/data/sound/music", "*.ogg")],
    "0ad-data": [("0ad", "zip/public/audio/music", "*.ogg")],
    "fretsonfire-songs-muldjord": [("fretsonfire-muldjord", "usr/share/games/fretsonfire/data/songs/muldjord", "*/song.ogg")],
    "fretsonfire-songs-sectoid": [("fretsonfire-sectoid", "usr/share/games/fretsonfire/data/songs/sectoid", "*/song.ogg")],
    "freecol": [("freecol", "usr/share/games/freecol/default/resources/music", "**/*.ogg"),
                ("freecol", "usr/share/games/freecol/base/resources/sound", "intro.ogg")],
    "redeclipse-data": [("redeclipse", "usr/share/games/redeclipse/data/sounds/music", "*.ogg"),
                        ("redeclipse", "usr/share/games/redeclipse/data/maps", "*.ogg"),
                        ("redeclipse", "usr/share/games/redeclipse/data/sounds", "*.ogg")],
    "teeworlds-data": [("teeworlds", "usr/share/games/teeworlds/data/audio", "music_*.wv")],
    "neverball-data": [("neverball", "usr/share/games/neverball/bgm", "*.ogg")],
    "armagetronad-common": [("armagetronad", "usr/share/games/armagetronad/music", "*.ogg")],
    "chromium-bsu-data": [("chromium-bsu", "usr/share/games/chromium-bsu/wav", "music_*.wav")],
}
# SuperTuxKart's "_fast" tempo variants are near-duplicates of other tracks
SKIP = {"supertuxkart-data": re.compile(r"_(fast|f)\.ogg$")}
# folders that mix music with sound effects: only the files the game's credits declare as music are taken
# (SuperTuxKart's race tracks keep their own music beside the track's sounds, each named by a .music file)
DECLARED_ONLY = {("supertuxkart-data", "usr/share/games/supertuxkart/data/tracks")}
STEMS = {"fretsonfire-songs-muldjord", "fretsonfire-songs-sectoid"}


# ------------------------------------------------------------------------------------------------ copyright file
def clean_name(s):
    s = html.unescape(s)
    s = re.sub(r"<\s*(?:https?://|www\.)[^>]*>", "", s)                # <url>
    s = re.sub(r"<[^>]*@[^>]*>|\S+@\S+", "", s)                        # e-mail
    s = re.sub(r"\((?:https?://|www\.)[^)]*\)|https?://\S+", "", s)     # urls
    s = re.sub(r"^(?:\(c\)|©|copyright)?\s*[\d\s,\-–]+(?=\D)", "", s, flags=re.I)  # leading years
    return re.sub(r"\s+", " ", s).strip(" ,;")


def parse_dep5(text):
    """[(globs, holders, licence)] of a machine-readable copyright file (empty for free-form text)."""
    if not text.startswith("Format:"):
        return []
    out = []
    for para in re.split(r"\n\s*\n", text):
        fields, key = {}, None
        for line in para.split("\n"):
            if re.match(r"^[A-Za-z-]+:", line):
                key, val = line.split(":", 1)
                key = key.lower()
                fields[key] = [val.strip()] if val.strip() else []
            elif key and line.startswith((" ", "\t")):
                v = line.strip()
                if v and v != ".":
                    fields[key].append(v)
        if "files" in fields:
            holders = [h for h in (clean_name(h) for h in fields.get("copyright", [])) if h]
            licence = (fields.get("license") or [""])[0]
            out.append((" ".join(fields["files"]).split(), list(dict.fromkeys(holders)), licence))
    return out


def glob_matches(pattern, relpath):
    """A DEP-5 glob (written for the source tree) against a path of the installed package: the glob, or its tail of
    at least a folder and a name, matches a tail of the path (installed trees drop or rename leading folders)."""
    g = pattern[2:] if pattern.startswith("./") else pattern
    parts = g.split("/")
    path = relpath.split("/")
    tails = [parts[k:] for k in range(len(parts)) if k == 0 or len(parts) - k >= 2]
    for tail in tails:
        t = "/".join(tail)
        for j in range(len(path)):
            if fnmatch.fnmatchcase("/".join(path[j:]), t):
                return True
    return False


def stanza_for(relpath, stanzas):
    """The last stanza matching the file (DEP-5: later stanzas win), else None; and whether it is the catch-all."""
    best = None
    for globs, holders, licence in stanzas:
        for g in globs:
            if g in ("*", "./*"):
                best = (holders, licence, True)
            elif glob_matches(g, relpath):
                best = (holders, licence, False)
    return best


FREE_FORM = [
    (r"creativecommons\.org/licenses/by-sa/(\d\.\d)|Attribution[- ]ShareAlike[^\n]{0,20}?(\d\.\d)", "CC-BY-SA-{}"),
    (r"creativecommons\.org/licenses/by/(\d\.\d)|Creative Commons Attribution (\d\.\d)", "CC-BY-{}"),
    (r"Permission is hereby granted, free of charge", "Expat"),
    (r"GNU General Public License[^\n]*\n?[^\n]*version (\d)|common-licenses/GPL-(\d)", "GPL-{}+"),
    (r"public domain", "public-domain"),
]


def free_form_licence(text):
    """The licence a free-form copyright file names first (the package's own; later ones cover parts of it)."""
    hits = []
    for pattern, name in FREE_FORM:
        m = re.search(pattern, text, flags=re.I)
        if m:
            groups = [g for g in m.groups() if g]
            hits.append((m.start(), name.format(groups[0]) if "{}" in name else name))
    return min(hits)[1] if hits else ""


# ------------------------------------------------------------------------------------------------ credits
def tokens(s):
    s = re.sub(r"([a-z])([A-Z])", r"\1 \2", s)
    return [t for t in re.split(r"[^a-z]+", s.lower()) if len(t) >= 3]


STOP = {"the", "and", "music", "theme", "track", "main", "battle", "mission", "ogg", "data", "nexuiz", "openarena",
        "gpled", "team", "project", "sound"}


def guess_author(fname, holders):
    """Holders named in the file name (ufoai's "Crystan-*.ogg")."""
    ft = [t for t in tokens(os.path.splitext(fname)[0]) if t not in STOP]
    hits = []
    for h in holders:
        ht = [t for t in tokens(h) if t not in STOP]
        joined = "".join(re.findall(r"[a-z]+", h.lower()))
        if any(t == x or x.startswith(t) for t in ft for x in ht) or any(len(t) >= 6 and t == joined for t in ft):
            hits.append(h)
    return hits


def weak(v):
    return (not v) or v.lower() in ("<unknown>", "unknown") or "www." in v or "://" in v or "/" in v


def game_credits(package, root):
    """{file name (lower case): (composer, title)} from a game's own credits files."""
    m = {}
    if package == "supertuxkart-data":
        for f in glob.glob(os.path.join(root, "*.music")) + glob.glob(os.path.join(root, "*", "*.music")):
            t = open(f, encoding="utf-8", errors="replace").read()
            g = lambda k: (re.search(r'\b' + k + r'\s*=\s*"([^"]*)"', t) or [None, ""])[1]
            for k in ("file", "fast-filename"):
                if g(k):
                    m[g(k).lower()] = (clean_name(g("composer")), html.unescape(g("title")))
    elif package == "warzone2100-music":
        for f in glob.glob(os.path.join(root, "**", "album.json"), recursive=True):
            d = json.load(open(f, encoding="utf-8"))
            for t in d.get("tracks", []):
                m[t["filename"].lower()] = (t.get("author") or d.get("author", ""), t.get("title", ""))
    elif package == "hedgewars-data":
        path = os.path.join(root, "credits.txt")
        if os.path.exists(path):
            for line in open(path, encoding="utf-8", errors="replace"):
                if "=" in line:
                    k, v = line.split("=", 1)
                    m[k.strip().lower()] = (clean_name(re.sub(r'\s*-\s*".*$|\s*\[.*$', "", v.strip())), "")
    elif package in STEMS:
        for ini in glob.glob(os.path.join(root, "*", "song.ini")):
            t = open(ini, encoding="utf-8", errors="replace").read()
            name = (re.search(r"^name\s*=\s*(.+)$", t, re.M) or [None, ""])[1].strip()
            artist = (re.search(r"^artist\s*=\s*(.+)$", t, re.M) or [None, ""])[1].strip()
            artist = re.sub(r"^Composed and performed by\s+|\s+-\s+www\..*$", "", artist)
            m[os.path.basename(os.path.dirname(ini)).lower() + "/song.ogg"] = (artist, name)
    return m


# ------------------------------------------------------------------------------------------------ audio
def probe(path):
    """(duration seconds or None, tags with lower-case keys)"""
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:format_tags:stream_tags",
                        "-of", "json", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None, {}
    d = json.loads(r.stdout or "{}")
    fmt = d.get("format", {})
    tags = {k.lower(): v for k, v in fmt.get("tags", {}).items()}
    for s in d.get("streams", []):
        for k, v in s.get("tags", {}).items():
            tags.setdefault(k.lower(), v)
    try:
        return float(fmt["duration"]), tags
    except (KeyError, ValueError):
        return None, tags


def mix_stems(song, dst):
    """A Frets on Fire song: its backing track and the guitar (and rhythm/drums, when there) summed into one Vorbis
    file, as the game plays them."""
    folder = os.path.dirname(song)
    stems = [song] + [os.path.join(folder, s) for s in ("guitar.ogg", "rhythm.ogg", "drums.ogg")
                      if os.path.exists(os.path.join(folder, s))]
    cmd = ["ffmpeg", "-v", "error", "-y"]
    for s in stems:
        cmd += ["-i", s]
    cmd += ["-filter_complex", f"amix=inputs={len(stems)}:normalize=0:duration=longest", "-c:a", "libvorbis",
            "-q:a", "5", dst + ".tmp.ogg"]
    subprocess.run(cmd, check=True)
    os.replace(dst + ".tmp.ogg", dst)


# ------------------------------------------------------------------------------------------------ verbs
def layout(a):
    base = a.extracted
    copyright_path = os.path.join(base, "usr/share/doc", a.package, "copyright")
    text = open(copyright_path, encoding="utf-8", errors="replace").read() if os.path.exists(copyright_path) else ""
    stanzas = parse_dep5(text)
    rows, taken, dropped = [], set(), 0
    for soundtrack, rel, pattern in LAYOUT[a.package]:
        root = os.path.join(base, rel)
        credits = game_credits(a.package, root)
        for src in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
            fname = os.path.basename(src)
            if src in taken or not os.path.isfile(src) or (a.package in SKIP and SKIP[a.package].search(fname)):
                continue
            if (a.package, rel) in DECLARED_ONLY and fname.lower() not in credits:
                continue
            taken.add(src)
            relpath = os.path.relpath(src, root)
            duration, tags = probe(src)
            if duration is None or duration < a.min_seconds:
                dropped += 1
                continue
            composer, title = credits.get(relpath.lower()) or credits.get(fname.lower()) or ("", "")
            stanza = stanza_for(os.path.relpath(src, base), stanzas)
            holders, licence, catchall = stanza if stanza else ([], "", True)
            licence = licence or free_form_licence(text)
            artist = tags.get("artist", "")
            if not composer and not catchall and len(holders) == 1:
                composer = holders[0]
            if not composer and not weak(artist):
                composer = artist
            if not composer and not catchall and len(holders) > 1 and len(guess_author(fname, holders)) == 1:
                composer = guess_author(fname, holders)[0]
            if not composer and catchall and "music" in a.package and holders:
                composer = "; ".join(holders)
            if not composer and a.package in STEMS:
                m = re.search(r"Upstream Author\s+([^<\n]+)", text)
                composer = m.group(1).strip() if m else ""
            title = title or tags.get("title", "")
            name = os.path.dirname(relpath) if a.package in STEMS else relpath
            safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace(os.sep, "__"))
            if a.package in STEMS:
                safe += ".ogg"
            os.makedirs(os.path.join(a.out, soundtrack), exist_ok=True)
            dst = os.path.join(a.out, soundtrack, safe)
            if a.package in STEMS:
                mix_stems(src, dst)
            else:
                shutil.move(src, dst)
            rows.append({"path": f"{soundtrack}/{safe}", "soundtrack": soundtrack, "package": a.package,
                         "composer": composer, "title": title, "duration_s": f"{duration:.2f}", "licence": licence})
    fill_from_siblings(rows)
    tmp = a.part + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, a.part)
    hours = sum(float(r["duration_s"]) for r in rows) / 3600
    print(f"   {a.package}: {len(rows)} tracks, {hours:.2f} h ({dropped} shorter than {a.min_seconds:g} s or unreadable left out)",
          file=sys.stderr)


def fill_from_siblings(rows):
    """Files named after the same person share a composer: fill gaps from siblings that carry exactly one name."""
    def lead(path):
        t = [x for x in tokens(os.path.splitext(os.path.basename(path))[0].split("__")[-1]) if x not in STOP]
        return t[0] if t and len(t[0]) >= 4 else None
    groups = {}
    for r in rows:
        k = (r["soundtrack"], lead(r["path"]))
        if k[1] and r["composer"] and not weak(r["composer"]):
            groups.setdefault(k, set()).add(r["composer"])
    for r in rows:
        k = (r["soundtrack"], lead(r["path"]))
        if (not r["composer"] or weak(r["composer"])) and len(groups.get(k, ())) == 1:
            r["composer"] = next(iter(groups[k]))


def manifest(a):
    rows, missing = [], []
    requested = set((a.requested or a.packages).split())
    for p in a.packages.split():
        part = os.path.join(a.out, ".parts", p + ".csv")
        if not os.path.exists(part):
            missing.append(p)
            continue
        rows += list(csv.DictReader(open(part, encoding="utf-8")))
    rows.sort(key=lambda r: r["path"])
    tmp = os.path.join(a.out, "manifest.csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, os.path.join(a.out, "manifest.csv"))
    print(f"{'package':28} {'tracks':>6} {'hours':>6} {'composers':>9}  licences")
    for p in a.packages.split():
        mine = [r for r in rows if r["package"] == p]
        if p in missing:
            print(f"{p:28} {'(not fetched)':>23}")
            continue
        composers = {r["composer"] for r in mine if r["composer"]}
        licences = sorted({r["licence"] for r in mine if r["licence"]})
        hours = sum(float(r["duration_s"]) for r in mine) / 3600
        print(f"{p:28} {len(mine):6d} {hours:6.2f} {len(composers):9d}  {', '.join(licences) or ('no music' if not mine else '?')}")
    hours = sum(float(r["duration_s"]) for r in rows) / 3600
    print(f"{'total':28} {len(rows):6d} {hours:6.2f} {len({r['composer'] for r in rows if r['composer']}):9d}")
    if requested & set(missing):
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    lay = sub.add_parser("layout")
    lay.add_argument("--package", required=True, choices=sorted(LAYOUT))
    lay.add_argument("--extracted", required=True)
    lay.add_argument("--out", required=True)
    lay.add_argument("--min-seconds", type=float, default=30)
    lay.add_argument("--part", required=True)
    man = sub.add_parser("manifest")
    man.add_argument("--out", required=True)
    man.add_argument("--packages", required=True, help="every package whose part, when there, joins the manifest")
    man.add_argument("--requested", help="the packages this run was asked for (an error when one has no part)")
    a = ap.parse_args()
    layout(a) if a.verb == "layout" else manifest(a)


if __name__ == "__main__":
    main()
