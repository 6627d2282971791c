"""Writes a model folder that 'dlstation serve' runs: torchvision's ResNet-50, traced with TorchScript.

Run on the GPU host (PyTorch with CUDA):
    python3 bench/reference/make_serve_resnet50.py --out models/resnet50
    python3 bench/reference/make_serve_resnet50.py --out models/resnet50-fp32 --precision fp32

fp16 (the default) is traced from model.half() with channels_last weights and frozen, the form whose
in-process ceiling docs/SERVE.md measures; the input is declared FP16 so clients send half the bytes
(--input-datatype FP32 makes the server cast on the device instead; --input-datatype UINT8 takes pixel
values, a quarter of the FP32 bytes, which the server scales and normalises on the device with the
mean and std below). Weights are random (no download);
throughput does not depend on them.
"""
import argparse
import os

import torch
import torchvision


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--precision", choices=["fp16", "fp32"], default="fp16")
    parser.add_argument("--input-datatype", choices=["FP16", "FP32", "UINT8"], default=None)
    parser.add_argument("--max-batch-size", type=int, default=128)
    parser.add_argument("--max-batch-delay-ms", type=float, default=2)
    parser.add_argument("--instances", type=int, default=2)
    args = parser.parse_args()
    dtype = torch.float16 if args.precision == "fp16" else torch.float32
    input_datatype = args.input_datatype or ("FP16" if args.precision == "fp16" else "FP32")
    os.makedirs(args.out, exist_ok=True)

    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None).eval().to("cuda", dtype=dtype)
    model = model.to(memory_format=torch.channels_last)
    example = torch.randn(8, 3, 224, 224, device="cuda", dtype=dtype).to(memory_format=torch.channels_last)
    with torch.no_grad():
        traced = torch.jit.freeze(torch.jit.trace(model, example))
    traced.save(os.path.join(args.out, "model.pt"))

    preferred = [b for b in (32, 64, 128) if b <= args.max_batch_size]
    with open(os.path.join(args.out, "model.yaml"), "w") as f:
        f.write(f"""schema: 1
format: torchscript
file: model.pt
inputs:
  - name: input
    datatype: {input_datatype}
    shape: [3, 224, 224]
    mean: [0.485, 0.456, 0.406]
    std: [0.229, 0.224, 0.225]
outputs:
  - name: logits
postprocess: none
serving:
  max_batch_size: {args.max_batch_size}
  max_batch_delay_ms: {args.max_batch_delay_ms}
  preferred_batch_sizes: {preferred}
  queue_size: 4096
  timeout_ms: 30000
  instances: {args.instances}
  precision: {args.precision}
  warmup_batches: 3
""")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
