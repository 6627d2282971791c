"""Writes PyTorch reference weights, inputs and outputs for dlstation's model parity tests.

Run with PyTorch, torchvision, transformers and safetensors installed (the GPU host has them):

    python3 make_parity.py --small --out src/test/resources/parity   # the CI test data (committed)
    python3 make_parity.py --full --out /tmp/parity                  # resnet50 + bert-base (GPU test)

For each model NAME it writes NAME.weights.safetensors (the model's state_dict, torchvision / Hugging
Face names) and NAME.io.safetensors (the inputs and the eval-mode fp32 outputs, computed on the CPU).
"""
import argparse
import os

import torch
from safetensors.torch import save_file
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet, resnet50
from transformers import BertConfig, BertModel


def small_resnet(block, layers, width, classes):
    """torchvision's ResNet, built by its own _make_layer with a smaller width than 64."""
    model = ResNet(block, layers, num_classes=classes)
    model.inplanes = width
    model.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = nn.BatchNorm2d(width)
    model.layer1 = model._make_layer(block, width, layers[0])
    model.layer2 = model._make_layer(block, width * 2, layers[1], stride=2)
    model.layer3 = model._make_layer(block, width * 4, layers[2], stride=2)
    model.layer4 = model._make_layer(block, width * 8, layers[3], stride=2)
    model.fc = nn.Linear(width * 8 * block.expansion, classes)
    for m in model.modules():  # torchvision's own initialisation
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    return model


def randomise_batchnorm(model):
    """Eval mode uses the running statistics: make them non-trivial so the test checks their use."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.1, 0.1)


def write(out, name, model, io):
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(out, name + ".weights.safetensors"))
    save_file({k: v.detach().contiguous() for k, v in io.items()}, os.path.join(out, name + ".io.safetensors"))
    print(name, {k: tuple(v.shape) for k, v in io.items()})


def resnet_case(out, name, model, size):
    randomise_batchnorm(model)
    model.eval()
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        y = model(x)
    write(out, name, model, {"input": x, "output": y})


def bert_case(out, name, config, seq):
    config._attn_implementation = "eager"
    model = BertModel(config, add_pooling_layer=True).eval()
    ids = torch.randint(1, config.vocab_size, (2, seq))
    types = torch.zeros(2, seq, dtype=torch.long)
    types[:, seq // 2:] = 1
    mask = torch.ones(2, seq, dtype=torch.long)
    mask[1, seq - 3:] = 0  # the second sequence ends in padding
    ids[1, seq - 3:] = 0
    with torch.no_grad():
        result = model(input_ids=ids, token_type_ids=types, attention_mask=mask)
    write(out, name, model, {"input_ids": ids, "token_type_ids": types, "attention_mask": mask,
                             "last_hidden_state": result.last_hidden_state, "pooler_output": result.pooler_output})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(20261126)
    if args.small:
        resnet_case(args.out, "small-bottleneck-resnet", small_resnet(Bottleneck, [1, 1, 1, 1], 8, 10), 64)
        resnet_case(args.out, "small-basic-resnet", small_resnet(BasicBlock, [1, 1, 1, 1], 8, 10), 64)
        bert_case(args.out, "small-bert", BertConfig(vocab_size=200, hidden_size=32, num_hidden_layers=2,
                                                     num_attention_heads=4, intermediate_size=64,
                                                     max_position_embeddings=64), 16)
    if args.full:
        resnet_case(args.out, "resnet50", resnet50(), 224)
        bert_case(args.out, "bert-base", BertConfig(), 128)


if __name__ == "__main__":
    main()
