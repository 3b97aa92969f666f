"""Reference files for fugo's PyTorch interop tests (interop/torch_test.go).

Each case builds small PyTorch layers with a fixed seed, runs them on a fixed input and
writes <case>.safetensors holding the module's state_dict plus "test.input" and
"test.output" (fugo's layout: batch first, channels last). torch 1.13 has no safetensors
module, so the file is written by hand: an 8-byte little-endian header length, the JSON
header (padded with spaces to a multiple of 8), then the raw little-endian float32 data.

Run from this folder (torch 1.13, CPU):  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 make_reference.py
"""
import json
import struct

import torch
import torch.nn as nn

torch.set_num_threads(2)


def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().to(torch.float32)
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = {"made_by": "interop/testdata/make_reference.py", "torch": torch.__version__}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def case(name, module, x, forward):
    with torch.no_grad():
        y = forward(module, x)
    sd = dict(module.state_dict())
    sd["test.input"] = x
    sd["test.output"] = y
    save(name + ".safetensors", sd)


class VAE(nn.Module):
    """The post's VAE with small widths; attribute names are fugo's layer names."""

    def __init__(self, original=36, intermediate=16, latent=2):
        super().__init__()
        self.dense_h = nn.Linear(original, intermediate)
        self.z_mean = nn.Linear(intermediate, latent)
        self.z_log_var = nn.Linear(intermediate, latent)
        self.decoder_h = nn.Linear(latent, intermediate)
        self.decoder_mean = nn.Linear(intermediate, original)


def vae_forward(m, x):
    # output: z_mean of x, then the decoding of that z_mean, side by side [B, 2 + 36]
    z = m.z_mean(torch.relu(m.dense_h(x)))
    xhat = torch.sigmoid(m.decoder_mean(torch.relu(m.decoder_h(z))))
    return torch.cat([z, xhat], dim=1)


torch.manual_seed(1)
case("vae", VAE(), torch.rand(5, 36), vae_forward)

# Conv2D 3→4, 3×3, "same" (padding 1), relu; NHWC input [2, 5, 6, 3].
torch.manual_seed(2)
conv = nn.Module()
conv.conv = nn.Conv2d(3, 4, 3, padding=1)
case("conv2d", conv, torch.randn(2, 5, 6, 3),
     lambda m, x: torch.relu(m.conv(x.permute(0, 3, 1, 2))).permute(0, 2, 3, 1))

# Conv1D 4→5, kernel 3, "valid", linear; NLC input [2, 7, 4].
torch.manual_seed(3)
c1 = nn.Module()
c1.conv1 = nn.Conv1d(4, 5, 3)
case("conv1d", c1, torch.randn(2, 7, 4), lambda m, x: m.conv1(x.permute(0, 2, 1)).permute(0, 2, 1))

# LSTM 3→4 over 5 steps, every step's h; batch-first input [2, 5, 3].
torch.manual_seed(4)
l = nn.Module()
l.lstm = nn.LSTM(3, 4, batch_first=True)
case("lstm", l, torch.randn(2, 5, 3), lambda m, x: m.lstm(x)[0])

# Embedding 10×4 on ids [2, 3] (stored as float32, as fugo takes them).
torch.manual_seed(5)
e = nn.Module()
e.emb = nn.Embedding(10, 4)
case("embedding", e, torch.tensor([[1.0, 9.0, 0.0], [3.0, 3.0, 7.0]]), lambda m, x: m.emb(x.long()))
