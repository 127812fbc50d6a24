#!/usr/bin/python3
"""SASRec in PyTorch, built as Earworm's is, for `Earworm.Benchmarks sequence-speed` (run with Debian's python3-torch).

The network mirrors src/Earworm.Content/Sequences/SequenceNetworks.cs (SasRecNetwork, SasRecBlock) and the training step
mirrors SequenceModelTrainer.cs: item embeddings (padding row 0) scaled by sqrt(d) plus a learned skip vector and learned
positional embeddings, dropout, pre-norm blocks of causal self-attention (separate query/key/value/output projections)
and a point-wise feed-forward d -> d -> d with ReLU, padded positions zeroed after every block, a final layer norm,
output embeddings of their own and a bias per item; per batch a set of negatives drawn uniformly and shared by the batch, one equal to a
position's target masked to -1e4, binary cross-entropy averaged over positions whose target was played; Adam.
Windows and batches are cut as the trainer cuts them, from the sequence file the benchmark writes.

  train:     sasrec_torch.py train --data FILE --items N [--epochs 4] [--threads 1] ...
  inference: sasrec_torch.py infer --items 100000 [--requests 1000] [--threads 1] ...
Prints one JSON object on the last line of stdout.
"""
import argparse
import json
import math
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SasRecBlock(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.d, self.heads = d, heads
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.feed1, self.feed2 = nn.Linear(d, d), nn.Linear(d, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        b, l, d = x.shape
        dh = d // self.heads
        h = self.norm1(x)

        def heads(t):
            return t.view(b, l, self.heads, dh).transpose(1, 2)

        q, k, v = heads(self.query(h)), heads(self.key(h)), heads(self.value(h))
        scores = q.matmul(k.transpose(-2, -1)) / math.sqrt(dh)
        scores = scores.masked_fill(mask.unsqueeze(1), float("-inf"))
        attention = self.dropout(scores.softmax(-1))
        attended = attention.matmul(v).transpose(1, 2).reshape(b, l, d)
        x = x + self.dropout(self.output(attended))
        f = self.feed2(self.dropout(F.relu(self.feed1(self.norm2(x)))))
        return x + self.dropout(f)


class SasRec(nn.Module):
    def __init__(self, items, d, layers, heads, max_length, dropout):
        super().__init__()
        self.d = d
        self.items = nn.Embedding(items + 1, d, padding_idx=0)
        self.skips = nn.Embedding(2, d)
        self.positions = nn.Embedding(max_length, d)
        self.outputs = nn.Embedding(items + 1, d)
        self.output_bias = nn.Parameter(torch.zeros(items + 1))  # Earworm starts it at the centred log count (no cost here)
        self.blocks = nn.ModuleList([SasRecBlock(d, heads, dropout) for _ in range(layers)])
        self.final_norm = nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)
        with torch.no_grad():
            nn.init.normal_(self.items.weight, 0, 1 / math.sqrt(d))
            self.items.weight[0].zero_()
            nn.init.normal_(self.skips.weight, 0, 0.02)
            nn.init.normal_(self.outputs.weight, 0, 1 / math.sqrt(d))

    def forward(self, tokens, skipped):
        length = tokens.shape[1]
        pad = tokens.eq(0)
        x = self.items(tokens) * math.sqrt(self.d) + self.skips(skipped) \
            + self.positions(torch.arange(length, dtype=torch.int64)).unsqueeze(0)
        x = self.dropout(x)
        keep = pad.logical_not().unsqueeze(-1).to(x.dtype)
        x = x * keep
        causal = torch.ones(length, length, dtype=torch.bool).triu(1)
        eye = torch.eye(length, dtype=torch.bool)
        mask = causal.unsqueeze(0) | (pad.unsqueeze(1) & eye.logical_not().unsqueeze(0))
        for block in self.blocks:
            x = block(x, mask) * keep
        return self.final_norm(x)


def loss_of(network, tokens, skipped, targets, mask, items, negatives):
    hidden = network(tokens, skipped)
    weights = network.outputs.weight
    b, l = targets.shape
    flat = targets.flatten()
    bias = network.output_bias
    positive = (hidden * weights.index_select(0, flat).view(b, l, -1)).sum(-1) + bias.index_select(0, flat).view(b, l)
    drawn = torch.randint(1, items + 1, (negatives,), dtype=torch.int64)
    negative = hidden.matmul(weights.index_select(0, drawn).t()) \
        .masked_fill(drawn.view(1, 1, -1).eq(targets.unsqueeze(-1)), -1e4) + bias.index_select(0, drawn)
    per_position = -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1))
    return (per_position * mask).sum() / mask.sum().clamp_min(1)


def read_sequences(path):
    """One sequence a line: item indices separated by spaces, a skipped listen with a trailing 's'."""
    sequences = []
    with open(path) as f:
        for line in f:
            entries = line.split()
            if entries:
                sequences.append(([int(e.rstrip("s")) for e in entries], [e.endswith("s") for e in entries]))
    return sequences


def windows_of(sequences, max_length):
    """As SequenceModelTrainer.Windows: the last max_length + 1 entries, then earlier ones, each with a played target."""
    windows = []
    for items, skipped in sequences:
        end = len(items)
        while end >= 2:
            start = max(0, end - max_length - 1)
            if any(not skipped[p] for p in range(start + 1, end)):
                windows.append(([i + 1 for i in items[start:end]], skipped[start:end]))
            end -= max_length
    return windows


def batch_tensors(windows, batch, length):
    """As SequenceModelTrainer.Tensors: left-padded inputs, skip flags, targets and the mask of played targets."""
    b = len(batch)
    tokens = np.zeros((b, length), dtype=np.int64)
    skipped = np.zeros((b, length), dtype=np.int64)
    targets = np.zeros((b, length), dtype=np.int64)
    mask = np.zeros((b, length), dtype=np.float32)
    for r, w in enumerate(batch):
        t, s = windows[w]
        inputs = len(t) - 1
        offset = length - inputs
        tokens[r, offset:] = t[:-1]
        skipped[r, offset:] = s[:-1]
        targets[r, offset:] = t[1:]
        mask[r, offset:] = [0.0 if k else 1.0 for k in s[1:]]
    return torch.from_numpy(tokens), torch.from_numpy(skipped), torch.from_numpy(targets), torch.from_numpy(mask)


def parameters(network):
    return sum(p.numel() for p in network.parameters())


def train(a):
    windows = windows_of(read_sequences(a.data), a.max_length)
    torch.manual_seed(a.seed)
    network = SasRec(a.items, a.embedding, a.layers, a.heads, a.max_length, a.dropout)
    optimizer = torch.optim.Adam(network.parameters(), lr=a.learning_rate)
    batches = (len(windows) + a.batch_size - 1) // a.batch_size
    epochs = []
    for epoch in range(1, a.epochs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        network.train()
        torch.manual_seed(a.seed * 7919 + epoch)
        order = list(range(len(windows)))
        random.Random(a.seed * 31 + epoch).shuffle(order)
        loss_sum = 0.0
        for b in range(batches):
            tokens, skipped, targets, mask = batch_tensors(windows, order[b * a.batch_size:(b + 1) * a.batch_size], a.max_length)
            optimizer.zero_grad()
            loss = loss_of(network, tokens, skipped, targets, mask, a.items, a.negatives)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
        epochs.append({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "loss": loss_sum / batches})
    return {"windows": len(windows), "parameters": parameters(network), "epochs": epochs}


def infer(a):
    torch.manual_seed(a.seed)
    network = SasRec(a.items, a.embedding, a.layers, a.heads, a.max_length, a.dropout).eval()
    rng = np.random.default_rng(a.seed)
    times, cpu = [], []
    with torch.inference_mode():
        for r in range(a.warmup + a.requests):
            history = rng.integers(0, a.items, size=a.max_length)
            start, cpu_start = time.perf_counter(), time.thread_time()
            tokens = torch.from_numpy(history + 1).view(1, -1)
            hidden = network(tokens, torch.zeros_like(tokens))[0, -1]
            scores = network.outputs.weight[1:].matmul(hidden) + network.output_bias[1:]
            scores[torch.from_numpy(history)] = float("-inf")  # the history is never proposed again
            top = torch.topk(scores, a.top).indices.tolist()
            if r >= a.warmup:
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - cpu_start) * 1000)
            assert len(top) == a.top
    return {"parameters": parameters(network), "request_ms": times, "request_cpu_ms": cpu}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["train", "infer"])
    p.add_argument("--data")
    p.add_argument("--items", type=int, required=True)
    p.add_argument("--embedding", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=1)
    p.add_argument("--max-length", type=int, default=50)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--negatives", type=int, default=16)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--requests", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--top", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.mode == "train" and not a.data:
        p.error("train needs --data FILE")
    result = train(a) if a.mode == "train" else infer(a)
    result.update(torch=torch.__version__, threads=torch.get_num_threads())
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
