"""Time PyTorch's Conv2d forward+backward on the conv shapes of fugo's conv, denoise and
illust models, for comparison with `go test ./nn -bench BenchmarkConv2D`.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_conv_layers.py
Each line: name, milliseconds per forward+backward: the minimum and the median of five
timed repeats (the minimum is the figure least disturbed by other load on a shared machine).
Names given as arguments restrict the run to those shapes.
The input requires a gradient except for a model's first layer (as in training).
"""
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(2)

# name, batch, H, W, Cin, Cout, padding, activation, input needs grad
SHAPES = [
    ("mnist_28x28x1_16", 128, 28, 28, 1, 16, "same", "relu", False),
    ("mnist_14x14x16_8", 128, 14, 14, 16, 8, "same", "relu", True),
    ("mnist_7x7x8_8", 128, 7, 7, 8, 8, "same", "relu", True),
    ("mnist_4x4x8_8", 128, 4, 4, 8, 8, "same", "relu", True),
    ("mnist_8x8x8_8", 128, 8, 8, 8, 8, "same", "relu", True),
    ("mnist_16x16x8_16_valid", 128, 16, 16, 8, 16, "valid", "relu", True),
    ("mnist_28x28x16_1", 128, 28, 28, 16, 1, "same", "sigmoid", True),
    ("denoise_28x28x1_32", 128, 28, 28, 1, 32, "same", "relu", False),
    ("denoise_14x14x32_32", 128, 14, 14, 32, 32, "same", "relu", True),
    ("denoise_7x7x32_32", 128, 7, 7, 32, 32, "same", "relu", True),
    ("denoise_28x28x32_1", 128, 28, 28, 32, 1, "same", "sigmoid", True),
    ("illust_64x64x3_16", 3, 64, 64, 3, 16, "same", "relu", False),
    ("illust_32x32x16_8", 3, 32, 32, 16, 8, "same", "relu", True),
    ("illust_16x16x8_8", 3, 16, 16, 8, 8, "same", "relu", True),
    ("illust_8x8x8_8", 3, 8, 8, 8, 8, "same", "relu", True),
    ("illust_64x64x16_3", 3, 64, 64, 16, 3, "same", "sigmoid", True),
]


def bench(name, b, h, w, cin, cout, padding, act, needs_grad):
    conv = torch.nn.Conv2d(cin, cout, 3, padding=1 if padding == "same" else 0)
    x = torch.rand(b, cin, h, w, requires_grad=needs_grad)
    f = torch.relu if act == "relu" else torch.sigmoid

    def step():
        y = f(conv(x))
        y.backward(torch.ones_like(y))

    for _ in range(5):
        step()
    reps = []
    n = max(3, int(2e8 / (b * h * w * 9 * cin * cout + 1)))
    n = min(n, 200)
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            step()
        reps.append((time.perf_counter() - t) / n)
    print(f"{name}\tmin {min(reps) * 1e3:.3f} ms\tmedian {statistics.median(reps) * 1e3:.3f} ms", flush=True)


if __name__ == "__main__":
    if os.environ.get("OMP_WAIT_POLICY") != "PASSIVE":
        print("# warning: OMP_WAIT_POLICY=PASSIVE is not set")
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads")
    only = set(sys.argv[1:])
    for s in SHAPES:
        if not only or s[0] in only:
            bench(*s)
