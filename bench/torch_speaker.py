#!/usr/bin/python3
"""PyTorch reference for `fugo speaker bench`: the fifth post's classifier
Embedding(vocab, 32) -> Conv1D(32, 3, relu, same) -> MaxPooling1D(2) -> LSTM(units)
-> Dense(classes, softmax) (with --dropout R: Dropout(R) after the embedding and after
the LSTM, as `fugo speaker` --dropout), Adam (lr 1e-3, eps 1e-7 as Keras), categorical
cross-entropy, shuffled mini-batches. Times the training loop only.

  torch_speaker.py --data DIR        x.npy (ids) and y.npy (labels) from `fugo speaker bench --export DIR`
  torch_speaker.py --synthetic 25000,500,5000   random ids, two classes (the post's IMDB setting)

Run with OMP_WAIT_POLICY=PASSIVE; uses 2 threads.
"""
import argparse
import os
import time

import ast
import struct

import torch
import torch.nn as nn


class Speaker(nn.Module):
    def __init__(self, vocab, classes, units, dropout):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.emb = nn.Embedding(vocab, 32)
        self.conv = nn.Conv1d(32, 32, 3, padding=1)
        self.pool = nn.MaxPool1d(2)
        self.lstm = nn.LSTM(32, units, batch_first=True)
        self.out = nn.Linear(units, classes)

    def forward(self, ids):
        h = self.drop(self.emb(ids)).transpose(1, 2)  # [B, 32, T]
        h = self.pool(torch.relu(self.conv(h)))    # [B, 32, T/2]
        _, (hn, _) = self.lstm(h.transpose(1, 2))  # last h
        return self.out(self.drop(hn[0]))          # logits; softmax inside the loss


def load_npy(path):
    """Reads a little-endian float32 .npy (what fugo writes) without NumPy."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:6] == b"\x93NUMPY", path
    hl = struct.unpack("<H", b[8:10])[0] if b[6] == 1 else struct.unpack("<I", b[8:12])[0]
    off = 10 if b[6] == 1 else 12
    h = ast.literal_eval(b[off:off + hl].decode("latin1"))
    assert h["descr"] == "<f4" and not h["fortran_order"], h
    return torch.frombuffer(bytearray(b[off + hl:]), dtype=torch.float32).reshape(h["shape"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    ap.add_argument("--synthetic")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dropout", type=float, default=0.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    if a.synthetic:
        n, length, vocab = (int(v) for v in a.synthetic.split(","))
        x = torch.randint(0, vocab, (n, length))
        y = torch.randint(0, 2, (n,))
        classes = 2
    else:
        x = load_npy(os.path.join(a.data, "x.npy")).long()
        y = load_npy(os.path.join(a.data, "y.npy")).long()
        vocab, classes = int(x.max()) + 1, int(y.max()) + 1
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}", flush=True)
    m = Speaker(vocab, classes, a.units, a.dropout)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7)
    lossf = nn.CrossEntropyLoss()
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(n)
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad()
            loss = lossf(m(x[idx]), y[idx])
            loss.backward()
            opt.step()
    took = time.perf_counter() - start
    print(f"torch speaker: {n} lines x {x.shape[1]} ids, vocabulary {vocab}, {classes} classes, "
          f"units {a.units}, dropout {a.dropout:g}, batch {a.batch}, {a.epochs} epochs: {took:.3f} s (last loss {loss.item():.4f})")


if __name__ == "__main__":
    main()
