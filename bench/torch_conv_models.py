"""Time one PyTorch training step (forward, BCE, backward, Adadelta) of the conv, denoise and
illust autoencoders, for comparison with `go test ./zoo -bench BenchmarkConvStep`.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_conv_models.py
Each line: model, milliseconds per step: minimum and median of five timed repeats.
"""
import statistics
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)


def conv(cin, cout, pad=1, act=nn.ReLU):
    return [nn.Conv2d(cin, cout, 3, padding=pad), act()]


def pool():
    # Keras "same" pooling rounds up: 7 -> 4.
    return [nn.MaxPool2d(2, ceil_mode=True)]


def up():
    return [nn.Upsample(scale_factor=2, mode="nearest")]


MODELS = {
    # name: (layers, batch, C, H, W, noise)
    "conv": (conv(1, 16) + pool() + conv(16, 8) + pool() + conv(8, 8) + pool()
             + conv(8, 8) + up() + conv(8, 8) + up() + conv(8, 16, pad=0) + up()
             + conv(16, 1, act=nn.Sigmoid), 128, 1, 28, 28, 0.0),
    "denoise": (conv(1, 32) + pool() + conv(32, 32) + pool()
                + conv(32, 32) + up() + conv(32, 32) + up() + conv(32, 1, act=nn.Sigmoid), 128, 1, 28, 28, 0.5),
    "illust": (conv(3, 16) + pool() + conv(16, 8) + pool() + conv(8, 8) + pool()
               + conv(8, 8) + up() + conv(8, 8) + up() + conv(8, 16) + up()
               + conv(16, 3, act=nn.Sigmoid), 3, 3, 64, 64, 0.0),
}


def bench(name, layers, b, c, h, w, noise):
    model = nn.Sequential(*layers)
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.95, eps=1e-7)
    x = torch.rand(b, c, h, w)
    loss_fn = nn.BCELoss()

    def step():
        inp = x
        if noise:
            inp = (x + noise * torch.randn_like(x)).clamp(0, 1)
        opt.zero_grad()
        loss = loss_fn(model(inp), x)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    n = 10 if b > 3 else 100
    reps = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            step()
        reps.append((time.perf_counter() - t) / n)
    print(f"{name}\tmin {min(reps) * 1e3:.3f} ms\tmedian {statistics.median(reps) * 1e3:.3f} ms", flush=True)


if __name__ == "__main__":
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, spec in MODELS.items():
        bench(name, *spec)
