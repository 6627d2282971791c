"""Makes the small TorchScript models the server's tests load (committed next to this file).

Run once on a machine with PyTorch (the GPU host has 2.11):  python3 make_models.py --out DIR
Then copy DIR/*.pt here. The models are traced on the CPU in fp32, so they load in any libtorch >= 2.0.

tiny_cnn.pt    (B, 3, 32, 32) float32 -> (B, 5) logits: two conv-ReLU-pool stages and a linear head,
               seeded, so its outputs are the same every time it is made.
failing.pt     (B, 4) float32 -> (B, 4): raises a RuntimeError when any input is negative, so tests can
               make a batch fail on purpose.
"""
import argparse
import os

import torch


class TinyCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1))
        self.classifier = torch.nn.Linear(16, 5)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class Failing(torch.nn.Module):
    def forward(self, x):
        if bool((x < 0).any()):
            raise RuntimeError("negative input")
        return x * 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    cnn = TinyCnn().eval()
    traced = torch.jit.trace(cnn, torch.zeros(2, 3, 32, 32))
    traced.save(os.path.join(out, "tiny_cnn.pt"))
    torch.jit.script(Failing()).save(os.path.join(out, "failing.pt"))
    x = torch.ones(1, 3, 32, 32)
    print("tiny_cnn(ones) =", [round(v, 6) for v in traced(x)[0].tolist()])


if __name__ == "__main__":
    main()
