#!/usr/bin/env python3
"""A synthetic stand-in for a Million Playlist Dataset slice, in the slice's JSON format (what
`earworm import mpd-json` and `evaluate --dataset FILE` read). Deterministic (Python's random.Random(SEED)).

Model, chosen to match what is published of MPD slices (playlists of 5..250 tracks, mean ~66, median ~49; over
1 000 playlists ~66 000 entries and about half as many distinct tracks, most of them in one playlist only; runs of
an album's tracks in album order are common):
  * 40 genres; 8 000 artists, each of one genre with a Zipf popularity w_a = (rank + 20)^-1.1; each artist 1..4
    albums of 8..14 tracks; a track's weight is its artist's times (position on the album + 1)^-0.7.
  * A playlist has a genre (by the genres' total weight) and, with probability 0.3, a second one (weights 0.75/0.25);
    its length is round(LogNormal(3.9, 0.75)) clipped to 5..250.
  * Each next track: with probability 0.35 the next track of the previous one's album (if it has one) — order; else
    with probability 0.15 another track of the previous track's artist; else with probability 0.1 a track drawn from
    all by weight; else a track of one of the playlist's genres by weight. A track already in the playlist is drawn
    again (up to 20 times, then kept out).

Usage: /usr/bin/python3 bench/gen_mpd_like.py [--playlists 1000] [--seed 20261205] OUT.json
"""
import argparse
import bisect
import itertools
import json
import math
import random
import sys

GENRES, ARTISTS = 40, 8000
ZIPF_Q, ZIPF_S, TRACK_S = 20.0, 1.1, 0.7
LEN_MU, LEN_SIGMA, LEN_MIN, LEN_MAX = 3.9, 0.75, 5, 250
P_SECOND, P_ALBUM, P_ARTIST, P_GLOBAL = 0.3, 0.35, 0.15, 0.1


class Picker:
    """Draws indices by weight (cumulative sums and bisection)."""

    def __init__(self, items, weights):
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def generate(playlists, seed):
    rng = random.Random(seed)
    ranks = list(range(ARTISTS))
    rng.shuffle(ranks)
    artist_genre = [rng.randrange(GENRES) for _ in range(ARTISTS)]
    tracks = []          # (artist, album, position)
    albums = []          # list of track ids in order
    artist_tracks = [[] for _ in range(ARTISTS)]
    weight = []
    for a in range(ARTISTS):
        wa = (ranks[a] + ZIPF_Q) ** -ZIPF_S
        for _ in range(rng.randint(1, 4)):
            album = len(albums)
            ids = []
            for pos in range(rng.randint(8, 14)):
                t = len(tracks)
                tracks.append((a, album, pos))
                weight.append(wa * (pos + 1) ** -TRACK_S)
                ids.append(t)
                artist_tracks[a].append(t)
            albums.append(ids)
    by_genre = [[] for _ in range(GENRES)]
    for t, (a, _, _) in enumerate(tracks):
        by_genre[artist_genre[a]].append(t)
    genre_pick = [Picker(ids, [weight[t] for t in ids]) for ids in by_genre]
    genre_weight = Picker(list(range(GENRES)), [sum(weight[t] for t in ids) for ids in by_genre])
    everything = Picker(list(range(len(tracks))), weight)
    artist_pick = [Picker(ids, [weight[t] for t in ids]) for ids in artist_tracks]

    out = []
    for pid in range(playlists):
        genres = [genre_weight.draw(rng)]
        if rng.random() < P_SECOND:
            genres.append(genre_weight.draw(rng))
        length = min(LEN_MAX, max(LEN_MIN, round(math.exp(rng.gauss(LEN_MU, LEN_SIGMA)))))
        chosen, seen = [], set()
        for _ in range(length):
            for _try in range(20):
                prev = chosen[-1] if chosen else None
                r = rng.random()
                if prev is not None and r < P_ALBUM:
                    a, album, pos = tracks[prev]
                    t = albums[album][pos + 1] if pos + 1 < len(albums[album]) else None
                    if t is None:
                        t = genre_pick[rng.choice(genres) if len(genres) == 1 or rng.random() < 0.75 else genres[-1]].draw(rng)
                elif prev is not None and r < P_ALBUM + P_ARTIST:
                    t = artist_pick[tracks[prev][0]].draw(rng)
                elif r < P_ALBUM + P_ARTIST + P_GLOBAL:
                    t = everything.draw(rng)
                else:
                    g = genres[0] if len(genres) == 1 or rng.random() < 0.75 else genres[1]
                    t = genre_pick[g].draw(rng)
                if t not in seen:
                    break
            else:
                continue
            seen.add(t)
            chosen.append(t)
        out.append({
            "name": f"synthetic {pid}", "collaborative": "false", "pid": pid, "num_tracks": len(chosen),
            "tracks": [{
                "pos": i, "artist_name": f"Artist {tracks[t][0]}", "track_uri": f"synthetic:track:{t}",
                "artist_uri": f"synthetic:artist:{tracks[t][0]}", "track_name": f"Track {t}",
                "album_uri": f"synthetic:album:{tracks[t][1]}", "album_name": f"Album {tracks[t][1]}",
                "duration_ms": 200000,
            } for i, t in enumerate(chosen)],
        })
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--playlists", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    pl = generate(args.playlists, args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"info": {"generated_on": "synthetic", "slice": f"0-{args.playlists - 1}", "version": "gen_mpd_like"},
                   "playlists": pl}, f)
    entries = sum(p["num_tracks"] for p in pl)
    counts = {}
    for p in pl:
        for t in p["tracks"]:
            counts[t["track_uri"]] = counts.get(t["track_uri"], 0) + 1
    once = sum(1 for c in counts.values() if c == 1)
    lengths = sorted(p["num_tracks"] for p in pl)
    print(f"{len(pl)} playlists, {entries} entries, {len(counts)} distinct tracks ({once / len(counts):.0%} in one playlist), "
          f"length mean {entries / len(pl):.1f} median {lengths[len(lengths) // 2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
