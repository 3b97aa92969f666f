#!/usr/bin/python3
"""The first origin post's VAE in PyTorch: the reference for bench/vae.sh.

Same architecture and settings as `fugo train vae`: 784-256-(2, 2)-256-784, relu inside,
sigmoid out, loss per image = 784·mean BCE + KL, RMSprop (lr 1e-3, alpha 0.9, eps 1e-7, as
Keras 2), batch 100, shuffled, Keras-style initialisation (Glorot-uniform kernels, zero
biases). Reads MNIST from the IDX files in DIR (gzipped or not).

Prints one line per epoch: `epoch E train_seconds S loss L val_loss V`, where S is the
time of the training pass alone (no data loading, no validation), as fugo's history.json.

Run with OMP_WAIT_POLICY=PASSIVE; it sets torch.set_num_threads(THREADS) (default 2).
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            with open(p, "rb") as f:
                raw = f.read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            ndim = raw[3]
            dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise FileNotFoundError(path)


class VAE(nn.Module):
    def __init__(self, original=784, hidden=256, latent=2):
        super().__init__()
        self.h = nn.Linear(original, hidden)
        self.z_mean = nn.Linear(hidden, latent)
        self.z_log_var = nn.Linear(hidden, latent)
        self.dec_h = nn.Linear(latent, hidden)
        self.dec_out = nn.Linear(hidden, original)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        h = F.relu(self.h(x))
        mean, log_var = self.z_mean(h), self.z_log_var(h)
        z = mean + torch.exp(log_var / 2) * torch.randn_like(mean)
        return torch.sigmoid(self.dec_out(F.relu(self.dec_h(z)))), mean, log_var


def vae_loss(x, x_hat, mean, log_var):
    eps = 1e-7
    p = x_hat.clamp(eps, 1 - eps)
    xent = -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).mean(dim=1) * x.shape[1]
    kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - torch.exp(log_var), dim=1)
    return (xent + kl).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = torch.from_numpy(read_idx(os.path.join(a.data, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255)
    xte = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255)
    model = VAE()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    n = xtr.shape[0]
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, a.batch):
            x = xtr[perm[i:i + a.batch]]
            x_hat, mean, log_var = model(x)
            loss = vae_loss(x, x_hat, mean, log_var)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
        seconds = time.perf_counter() - start
        with torch.no_grad():
            val = sum(vae_loss(xte[i:i + a.batch], *model(xte[i:i + a.batch])).item() * min(a.batch, xte.shape[0] - i)
                      for i in range(0, xte.shape[0], a.batch)) / xte.shape[0]
        print(f"epoch {epoch} train_seconds {seconds:.3f} loss {total / n:.4f} val_loss {val:.4f}", flush=True)


if __name__ == "__main__":
    main()
