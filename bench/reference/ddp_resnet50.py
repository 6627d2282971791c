"""PyTorch DDP on this host's GPUs, measured the way `dlstation bench train --devices` measures.

ResNet-50 (torchvision), fp16 autocast + GradScaler, channels_last, SGD with momentum, synthetic
images made once on each GPU; one step = forward + loss + backward (all-reduce overlapped by DDP's
buckets) + optimizer step, gradients set to None. `iterations` steps between two syncs after
`warmup` untimed steps. The batch is per GPU, as in dlstation's sweep. Rank 0 prints one JSON line.

  torchrun --nproc_per_node 2 bench/reference/ddp_resnet50.py --batch 256
  torchrun --nproc_per_node 1 bench/reference/ddp_resnet50.py --batch 256    # the same code on one GPU

Sets NCCL_NVLS_ENABLE=0 (no NVLink multicast) unless the environment says otherwise.
"""
import argparse
import json
import os
import time

os.environ.setdefault("NCCL_NVLS_ENABLE", "0")

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torchvision.models import resnet50


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=256, help="images per GPU")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()

    dist.init_process_group("nccl")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", rank)))
    torch.backends.cudnn.benchmark = True

    model = resnet50().cuda().to(memory_format=torch.channels_last).train()
    model = DistributedDataParallel(model, device_ids=[torch.cuda.current_device()])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scaler = torch.amp.GradScaler("cuda")
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 3, 224, 224, device="cuda").to(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (args.batch,), device="cuda")

    def step():
        with torch.autocast("cuda", dtype=torch.float16):
            loss = loss_fn(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        return loss

    for _ in range(args.warmup):
        step()
    torch.cuda.synchronize()
    dist.barrier()
    start = time.perf_counter()
    for _ in range(args.iterations):
        loss = step()
    loss.item()
    torch.cuda.synchronize()
    dist.barrier()
    step_ms = (time.perf_counter() - start) * 1000 / args.iterations
    if rank == 0:
        print(json.dumps({"framework": "pytorch-ddp", "torch": torch.__version__, "gpus": world,
                          "gpu": torch.cuda.get_device_name(0), "batch_per_gpu": args.batch,
                          "global_batch": args.batch * world, "step_ms": round(step_ms, 2),
                          "samples_per_s": round(args.batch * world * 1000 / step_ms, 1)}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
