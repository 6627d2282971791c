"""PyTorch measured the way `dlstation bench train` measures, for side-by-side numbers.

One step = forward + loss + backward (+ optimizer step with --with-optimizer), gradients set to None
after each step; `iterations` steps issued back to back between two device syncs after `warmup`
untimed steps; then 5 probe steps measure how long the host takes to issue one step. Peak memory is
NVML's used memory of the device, sampled every 10 ms while the point runs (the same probe dlstation
uses where the driver cannot attribute memory to a process). cuDNN benchmark mode is on, as in
dlstation.

Modes:
  fp32            float32, NCHW (the seed's way)
  fp16-autocast   torch.autocast(float16) + GradScaler, channels_last for images
  bf16-autocast   torch.autocast(bfloat16), channels_last for images

Prints one JSON object per point. Example:
  python3 bench/reference/pytorch_bench.py --model resnet50 --mode fp32 --batch-sizes 16,32,64,128
"""
import argparse
import ctypes
import json
import statistics
import threading
import time

import torch
from torch import nn


class NvmlPeak:
    """Samples the device's used memory through NVML (ctypes, no pynvml needed)."""

    class Memory(ctypes.Structure):
        _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong), ("used", ctypes.c_ulonglong)]

    def __init__(self, index=0):
        self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        self.lib.nvmlInit_v2()
        self.handle = ctypes.c_void_p()
        self.lib.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(self.handle))
        self.peak = 0
        self.running = False

    def used(self):
        m = NvmlPeak.Memory()
        self.lib.nvmlDeviceGetMemoryInfo(self.handle, ctypes.byref(m))
        return m.used

    def __enter__(self):
        self.peak = self.used()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def _loop(self):
        while self.running:
            self.peak = max(self.peak, self.used())
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.used())


def resnet_workload(batch, mode):
    from torchvision.models import resnet50
    model = resnet50().cuda().train()
    x = torch.randn(batch, 3, 224, 224, device="cuda")
    y = torch.randint(0, 1000, (batch,), device="cuda")
    if mode != "fp32":
        model = model.to(memory_format=torch.channels_last)
        x = x.to(memory_format=torch.channels_last)
    loss_fn = nn.CrossEntropyLoss()
    return model, (lambda: loss_fn(model(x), y))


def bert_workload(batch, seq, mode):
    from transformers import BertConfig, BertModel
    model = BertModel(BertConfig()).cuda().train()
    ids = torch.randint(0, 30522, (batch, seq), device="cuda")
    mask = torch.ones(batch, seq, device="cuda", dtype=torch.long)
    return model, (lambda: model(input_ids=ids, attention_mask=mask).last_hidden_state.float().sum())


def measure(model, compute_loss, mode, with_optimizer, warmup, iterations):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9) if with_optimizer else None
    scaler = torch.amp.GradScaler("cuda") if mode == "fp16-autocast" else None
    dtype = {"fp16-autocast": torch.float16, "bf16-autocast": torch.bfloat16}.get(mode)

    def step():
        with torch.autocast("cuda", dtype=dtype, enabled=dtype is not None):
            loss = compute_loss()
        if scaler is not None:
            scaler.scale(loss).backward()
            if optimizer is not None:
                scaler.step(optimizer)
                scaler.update()
        else:
            loss.backward()
            if optimizer is not None:
                optimizer.step()
        model.zero_grad(set_to_none=True)
        return loss

    torch.cuda.empty_cache()
    with NvmlPeak() as peak:
        for _ in range(warmup):
            step()
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(iterations):
            loss = step()
        loss.item()
        torch.cuda.synchronize()
        step_ms = (time.perf_counter() - start) * 1000 / iterations
    host = []
    for _ in range(5):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        step()
        host.append((time.perf_counter() - t0) * 1000)
        torch.cuda.synchronize()
    return step_ms, statistics.median(host), peak.peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["resnet50", "bert-base"], required=True)
    parser.add_argument("--mode", choices=["fp32", "fp16-autocast", "bf16-autocast"], default="fp32")
    parser.add_argument("--batch-sizes", default="32")
    parser.add_argument("--seq-lengths", default="128")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--with-optimizer", action="store_true")
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(42)
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        for seq in ([int(s) for s in args.seq_lengths.split(",")] if args.model == "bert-base" else [None]):
            try:
                if args.model == "resnet50":
                    model, loss = resnet_workload(batch, args.mode)
                else:
                    model, loss = bert_workload(batch, seq, args.mode)
                step_ms, host_ms, peak = measure(model, loss, args.mode, args.with_optimizer, args.warmup,
                                                 args.iterations)
                point = {"framework": "pytorch " + torch.__version__, "model": args.model, "mode": args.mode,
                         "batch_size": batch, "seq_length": seq, "with_optimizer": args.with_optimizer,
                         "step_ms": round(step_ms, 3), "samples_per_s": round(batch * 1000 / step_ms, 1),
                         "host_ms": round(host_ms, 3), "peak_memory_bytes": peak}
            except torch.OutOfMemoryError:
                point = {"model": args.model, "mode": args.mode, "batch_size": batch, "seq_length": seq, "oom": True}
            print(json.dumps(point), flush=True)
            del model
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
