#!/usr/bin/python3
"""The second origin post's illustration autoencoder in PyTorch: the reference side of
bench/illust.sh.

Same model and settings as `fugo train illust` (zoo/illust.go, cmd/fugo/illust.go): 64×64×3
images, Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → 8×8×8; Conv 8, Up, Conv 8, Up, Conv 16,
Up, Conv 3 (sigmoid); 3×3 kernels, "same" padding, relu inside; BCE per pixel with the
prediction clipped to [1e-7, 1 − 1e-7]; Adadelta (lr 1.0, rho 0.95, eps 1e-7: Keras 2's
form, see torch_models.py); batch 3; Glorot-uniform kernels, zero biases; shuffled every
epoch (one step per epoch on the three pictures).

Pictures: the PNG or JPEG files in --images (default assets/illust/train), each composited
onto white as fugo's data/images does (straight colour s, alpha α: α·s + (1 − α)), and
resized to 64×64 with a bicubic filter when not already that size (the shipped pictures
are 64×64, so they are used as they are).

Prints the mean training loss of every --print-every epochs, then one line:
    total_train_seconds S epochs N loss L
where S is the time of the training loop alone (all epochs: shuffle, forward, loss,
backward, step, loss.item()), comparable with the sum of fugo's history.json "seconds".

Run with OMP_WAIT_POLICY=PASSIVE; it sets torch.set_num_threads(--threads, default 2).
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import bce, check_env, conv, keras_init, pool, up  # noqa: E402


def load_images(folder, size=64):
    from PIL import Image
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    if not files:
        sys.exit(f"torch_illust.py: no PNG or JPEG files in {folder}")
    out = []
    for f in files:
        img = Image.open(os.path.join(folder, f)).convert("RGBA")
        if img.size != (size, size):
            img = img.resize((size, size), Image.BICUBIC)
        a = np.asarray(img, dtype=np.float32) / 255
        rgb, alpha = a[..., :3], a[..., 3:]
        out.append(rgb * alpha + (1 - alpha))
    x = torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).contiguous()  # NHWC → NCHW
    return x, files


def illust_model():
    return nn.Sequential(*(conv(3, 16) + pool() + conv(16, 8) + pool() + conv(8, 8) + pool()
                           + conv(8, 8) + up() + conv(8, 8) + up() + conv(8, 16) + up()
                           + conv(16, 3, act=nn.Sigmoid)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="PyTorch reference of `fugo train illust`")
    ap.add_argument("--images", default=os.path.join(here, "..", "assets", "illust", "train"))
    ap.add_argument("--epochs", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--print-every", type=int, default=0, help="print the mean loss of every N epochs (default: epochs/20)")
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.threads < 1:
        ap.error("--epochs, --batch and --threads must be at least 1")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    check_env()
    x, _ = load_images(a.images)
    model = keras_init(illust_model())
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.95, eps=1e-7)
    n = x.shape[0]
    every = a.print_every or max(1, a.epochs // 20)
    total, count, last = 0.0, 0, 0.0
    start = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        perm = torch.randperm(n)
        epoch_loss = 0.0
        for i in range(0, n, a.batch):
            xb = x[perm[i:i + a.batch]]
            loss = bce(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            epoch_loss += loss.item() * xb.shape[0]
        last = epoch_loss / n
        total += last
        count += 1
        if epoch % every == 0 or epoch == a.epochs:
            print(f"epochs {epoch - count + 1}-{epoch}/{a.epochs} mean loss {total / count:.4f}", file=sys.stderr, flush=True)
            total, count = 0.0, 0
    seconds = time.perf_counter() - start
    print(f"total_train_seconds {seconds:.3f} epochs {a.epochs} loss {last:.4f}", flush=True)


if __name__ == "__main__":
    main()
