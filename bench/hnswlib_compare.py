#!/usr/bin/python3
"""hnswlib (Debian python3-hnswlib) on the vectors `Earworm.Benchmarks search --hnswlib-out DIR` wrote, for the same
figures as Earworm's HNSW: build time, recall@10 against brute force, single-query p50/p99, one thread.

    apt-get install -y python3-hnswlib
    /usr/bin/python3 bench/hnswlib_compare.py DIR   (Debian's python, where apt installs hnswlib and numpy) [--dims 64] [--m 16] [--ef-construction 100]
"""
import argparse, time
import numpy as np
import hnswlib

p = argparse.ArgumentParser()
p.add_argument("dir"); p.add_argument("--dims", type=int, default=64)
p.add_argument("--m", type=int, default=16); p.add_argument("--ef-construction", type=int, default=100)
a = p.parse_args()
data = np.fromfile(f"{a.dir}/data.f32", dtype=np.float32).reshape(-1, a.dims)
queries = np.fromfile(f"{a.dir}/queries.f32", dtype=np.float32).reshape(-1, a.dims)
unit = data / np.linalg.norm(data, axis=1, keepdims=True)
qunit = queries / np.linalg.norm(queries, axis=1, keepdims=True)
truth = [set(np.argsort(-(unit @ q))[:10]) for q in qunit]

index = hnswlib.Index(space="cosine", dim=a.dims)
index.set_num_threads(1)
t = time.perf_counter()
index.init_index(max_elements=len(data), M=a.m, ef_construction=a.ef_construction, random_seed=42)
index.add_items(data, np.arange(len(data)))
print(f"hnswlib {hnswlib.__version__ if hasattr(hnswlib, '__version__') else ''} build (M {a.m}, efConstruction {a.ef_construction}, 1 thread): {time.perf_counter() - t:.1f} s")
for ef in (16, 24, 32, 48, 64, 96, 128):
    index.set_ef(ef)
    for q in queries[:20]: index.knn_query(q, k=10)
    times, hits = [], 0
    for i, q in enumerate(queries):
        t = time.perf_counter()
        labels, _ = index.knn_query(q, k=10)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(truth[i] & set(labels[0]))
    times.sort()
    print(f"hnswlib efSearch {ef:3}: recall@10 {hits / (10 * len(queries)):.4f}  p50 {times[len(times) // 2]:.3f} ms  p99 {times[int(0.99 * len(times)) - 1]:.3f} ms")
