#!/usr/bin/env python3
"""The ceiling of playlist continuation on bench/gen_mpd_like.py's stand-in: a ranker that knows the generator.

For each held-out playlist and number of given tracks, the posterior over the playlist's genres is computed exactly
from the given tracks (each step's probability under the generator's mixture: the album's next track, the artist's
tracks, all tracks, the genres' tracks), then the generator continues the given tracks SIMS times from genres drawn
from that posterior, to the playlist's length; tracks are ranked by how often they appeared (ties by weight), which
is the Bayes-optimal order for the expected hits R-precision and NDCG@10 count. The stand-in's own facts a learnt model
cannot know — genres, album order, weights, tracks never played in training — are all the oracle's, so its figures
bound what any model can reach on this draw; "seen once" ranks only tracks of the training playlists (what a model
learnt from them can name), "seen twice" only those played at least twice there (the neural models' default
vocabulary, `--min-count 2`), then popularity. Popularity, R-precision and
NDCG@10 follow `earworm evaluate --protocol playlist-continuation` (tracks only, 500 listed, the given ones excluded),
on random splits of the same share (20 %); the splits are this script's, not Earworm's.

Usage: /usr/bin/python3 bench/mpd_like_ceiling.py DATASET.json --seed GENERATOR_SEED [--given 1,5,10,25] [--splits 3] [--sims 100]
"""
import argparse
import json
import math
import os
import random
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_mpd_like as G  # noqa: E402


class Catalog:
    """The generator's catalogue, rebuilt from its seed by the same draws in the same order."""

    def __init__(self, seed):
        rng = random.Random(seed)
        ranks = list(range(G.ARTISTS))
        rng.shuffle(ranks)
        self.artist_genre = [rng.randrange(G.GENRES) for _ in range(G.ARTISTS)]
        self.tracks, self.albums, self.weight = [], [], []
        artist_tracks = [[] for _ in range(G.ARTISTS)]
        for a in range(G.ARTISTS):
            wa = (ranks[a] + G.ZIPF_Q) ** -G.ZIPF_S
            for _ in range(rng.randint(1, 4)):
                album, ids = len(self.albums), []
                for pos in range(rng.randint(8, 14)):
                    t = len(self.tracks)
                    self.tracks.append((a, album, pos))
                    self.weight.append(wa * (pos + 1) ** -G.TRACK_S)
                    ids.append(t)
                    artist_tracks[a].append(t)
                self.albums.append(ids)
        by_genre = [[] for _ in range(G.GENRES)]
        for t, (a, _, _) in enumerate(self.tracks):
            by_genre[self.artist_genre[a]].append(t)
        self.genre_weight = [sum(self.weight[t] for t in ids) for ids in by_genre]
        self.artist_weight = [sum(self.weight[t] for t in ids) for ids in artist_tracks]
        self.total = sum(self.weight)
        self.genre_pick = [G.Picker(ids, [self.weight[t] for t in ids]) for ids in by_genre]
        self.everything = G.Picker(list(range(len(self.tracks))), self.weight)
        self.artist_pick = [G.Picker(ids, [self.weight[t] for t in ids]) for ids in artist_tracks]

    def genre_of(self, t):
        return self.artist_genre[self.tracks[t][0]]

    def album_next(self, t):
        _, album, pos = self.tracks[t]
        ids = self.albums[album]
        return ids[pos + 1] if pos + 1 < len(ids) else None

    def in_genres(self, t, genres, fallback=False):
        """P(t) from the genres' part of a step (fallback: the album-end draw, which picks between two genres evenly
        three times in four)."""
        g, w = self.genre_of(t), self.weight[t]
        if len(genres) == 1:
            return w / self.genre_weight[g] if g == genres[0] else 0.0
        first, second = (0.75 * 0.5 + 0.25 * 0.0, 0.75 * 0.5 + 0.25) if fallback else (0.75, 0.25)
        p = 0.0
        if g == genres[0]:
            p += first * w / self.genre_weight[g]
        if g == genres[1]:
            p += second * w / self.genre_weight[g]
        return p

    def step_probability(self, prev, t, genres):
        """P(t follows prev) under the genres (the redraw of tracks already chosen left out: rare)."""
        w = self.weight[t]
        if prev is None:
            return (G.P_ALBUM + G.P_ARTIST + G.P_GLOBAL) * w / self.total + (1 - G.P_ALBUM - G.P_ARTIST - G.P_GLOBAL) * self.in_genres(t, genres)
        nxt = self.album_next(prev)
        p = G.P_ALBUM * (1.0 if nxt == t else 0.0) if nxt is not None else G.P_ALBUM * self.in_genres(t, genres, fallback=True)
        a = self.tracks[prev][0]
        if self.tracks[t][0] == a:
            p += G.P_ARTIST * w / self.artist_weight[a]
        p += G.P_GLOBAL * w / self.total + (1 - G.P_ALBUM - G.P_ARTIST - G.P_GLOBAL) * self.in_genres(t, genres)
        return p

    def posterior(self, given):
        combos, weights = [], []
        for g1 in range(G.GENRES):
            prior1 = self.genre_weight[g1] / self.total
            for genres, prior in [((g1,), prior1 * (1 - G.P_SECOND))] + [
                    ((g1, g2), prior1 * G.P_SECOND * self.genre_weight[g2] / self.total) for g2 in range(G.GENRES)]:
                like = prior
                prev = None
                for t in given:
                    like *= self.step_probability(prev, t, genres)
                    prev = t
                    if like == 0:
                        break
                if like > 0:
                    combos.append(genres)
                    weights.append(like)
        return combos, weights

    def continue_(self, rng, genres, given, length):
        """The generator's own loop, from the given tracks to the playlist's length."""
        chosen, seen = list(given), set(given)
        while len(chosen) < length:
            for _try in range(20):
                prev, r = chosen[-1], rng.random()
                if r < G.P_ALBUM:
                    t = self.album_next(prev)
                    if t is None:
                        t = self.genre_pick[rng.choice(genres) if len(genres) == 1 or rng.random() < 0.75 else genres[-1]].draw(rng)
                elif r < G.P_ALBUM + G.P_ARTIST:
                    t = self.artist_pick[self.tracks[prev][0]].draw(rng)
                elif r < G.P_ALBUM + G.P_ARTIST + G.P_GLOBAL:
                    t = self.everything.draw(rng)
                else:
                    g = genres[0] if len(genres) == 1 or rng.random() < 0.75 else genres[1]
                    t = self.genre_pick[g].draw(rng)
                if t not in seen:
                    break
            else:
                length -= 1
                continue
            seen.add(t)
            chosen.append(t)
        return chosen[len(given):]


def metrics(ranked, relevant):
    r, rel = len(relevant), set(relevant)
    rprec = sum(1 for x in ranked[:r] if x in rel) / r
    dcg = sum(1 / math.log2(i + 2) for i, x in enumerate(ranked[:10]) if x in rel)
    return rprec, dcg / sum(1 / math.log2(i + 2) for i in range(min(r, 10)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset")
    ap.add_argument("--seed", type=int, required=True, help="the generator seed the dataset was drawn with")
    ap.add_argument("--given", default="1,5,10,25")
    ap.add_argument("--splits", type=int, default=3)
    ap.add_argument("--sims", type=int, default=100)
    args = ap.parse_args()
    catalog = Catalog(args.seed)
    with open(args.dataset, encoding="utf-8") as f:
        playlists = [[int(t["track_uri"].rsplit(":", 1)[1]) for t in p["tracks"]] for p in json.load(f)["playlists"]]
    if any(t >= len(catalog.tracks) for p in playlists for t in p):
        sys.exit(f"{args.dataset}: tracks beyond the catalogue of seed {args.seed}: is --seed the generator's?")
    givens = [int(g) for g in args.given.split(",")]
    table = {g: {k: [] for k in ("oracle", "seen once", "seen twice", "pop")} for g in givens}
    for split in range(1, args.splits + 1):
        order = list(range(len(playlists)))
        random.Random(split).shuffle(order)
        test = set(order[:round(0.2 * len(playlists))])
        counts = Counter(t for i, p in enumerate(playlists) if i not in test for t in set(p))
        popular = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        sim_rng = random.Random(1000 + split)
        for n in givens:
            sums = {k: [0.0, 0.0] for k in table[n]}
            questions = 0
            for i in sorted(test):
                p = playlists[i]
                if len(p) <= n:
                    continue
                given = p[:n]
                relevant = sorted(set(p[n:]) - set(given))
                if not relevant:
                    continue
                combos, weights = catalog.posterior(given)
                hits = Counter()
                for _ in range(args.sims):
                    hits.update(catalog.continue_(sim_rng, list(sim_rng.choices(combos, weights)[0]), given, len(p)))
                ranked = [t for t, _ in sorted(hits.items(), key=lambda kv: (-kv[1], -catalog.weight[kv[0]]))]
                skip = set(given)
                rest = [t for t in popular if t not in skip]
                lists = {
                    "oracle": (ranked + [t for t in rest if t not in hits])[:500],
                    "seen once": ([t for t in ranked if t in counts] + [t for t in rest if t not in hits])[:500],
                    "seen twice": ([t for t in ranked if counts.get(t, 0) >= 2] + [t for t in rest if t not in hits])[:500],
                    "pop": rest[:500],
                }
                for k, ranking in lists.items():
                    rp, nd = metrics(ranking, relevant)
                    sums[k][0] += rp
                    sums[k][1] += nd
                questions += 1
            for k in table[n]:
                table[n][k].append((sums[k][0] / questions, sums[k][1] / questions))
            print(f"split {split}, given {n}: {questions} playlists", file=sys.stderr)
    print("| given | ranker | R-precision | NDCG@10 | R-precision / pop | NDCG@10 / pop |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in givens:
        pop = [sum(x[j] for x in table[n]["pop"]) / args.splits for j in (0, 1)]
        for k, runs in table[n].items():
            mean = [sum(x[j] for x in runs) / args.splits for j in (0, 1)]
            sd = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in runs) / max(1, args.splits - 1)) for j in (0, 1)]
            print(f"| {n} | {k} | {mean[0]:.4f} ± {sd[0]:.4f} | {mean[1]:.4f} ± {sd[1]:.4f} | {mean[0] / pop[0]:.2f} | {mean[1] / pop[1]:.2f} |")


if __name__ == "__main__":
    main()
