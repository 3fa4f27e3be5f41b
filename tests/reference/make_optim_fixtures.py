# Writes tests/fixtures/optim/*.json: PyTorch 1.13 reference trajectories for SGD, Adam and AdamW,
# and before/after gradients for clip_grad_norm_ and clip_grad_value_. Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/reference/make_optim_fixtures.py
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "optim")
SHAPES = [(3, 4), (5,)]
STEPS = 6


def tensor_json(t):
    if t is None:
        return None
    return {"shape": list(t.shape), "data": [float(x) for x in t.detach().reshape(-1).tolist()]}


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def trajectory(name, kind, hyper, seed, skip=None):
    """Runs one optimizer for STEPS steps with explicit gradients; skip=(step, param) leaves that grad as None."""
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=g).requires_grad_() for s in SHAPES]
    initial = [tensor_json(p) for p in params]
    if kind == "sgd":
        opt = torch.optim.SGD(params, **hyper)
    elif kind == "adam":
        opt = torch.optim.Adam(params, **hyper)
    else:
        opt = torch.optim.AdamW(params, **hyper)
    steps = []
    for k in range(STEPS):
        grads = []
        for i, p in enumerate(params):
            if skip == (k, i):
                p.grad = None
            else:
                p.grad = torch.randn(p.shape, generator=g)
            grads.append(tensor_json(p.grad))
        opt.step()
        steps.append({"grads": grads, "params": [tensor_json(p) for p in params]})
    flat = {k: (list(v) if isinstance(v, tuple) else v) for k, v in hyper.items()}
    write(name + ".json", {"optimizer": kind, "hyper": flat, "initial": initial, "steps": steps})


def clip_norm_cases():
    g = torch.Generator().manual_seed(7)
    cases = []
    for max_norm, norm_type, scale in [(1.0, 2.0, 1.0), (100.0, 2.0, 1.0), (0.5, math.inf, 1.0), (0.25, 3.0, 1.0)]:
        params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
        for p in params:
            p.grad = torch.randn(p.shape, generator=g) * scale
        before = [tensor_json(p.grad) for p in params]
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append({"max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                      "total_norm": float(total), "before": before, "after": [tensor_json(p.grad) for p in params]})
    write("clip_grad_norm.json", {"cases": cases})


def clip_value_cases():
    g = torch.Generator().manual_seed(11)
    params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
    for p in params:
        p.grad = torch.randn(p.shape, generator=g)
    before = [tensor_json(p.grad) for p in params]
    torch.nn.utils.clip_grad_value_(params, 0.5)
    write("clip_grad_value.json", {"cases": [{"clip_value": 0.5, "before": before,
                                              "after": [tensor_json(p.grad) for p in params]}]})


def main():
    torch.manual_seed(1337)
    os.makedirs(OUT, exist_ok=True)
    trajectory("sgd_plain", "sgd", {"lr": 0.1}, 1)
    trajectory("sgd_momentum", "sgd", {"lr": 0.1, "momentum": 0.9}, 2)
    trajectory("sgd_nesterov_weight_decay", "sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, 3)
    trajectory("sgd_momentum_dampening", "sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}, 4)
    trajectory("adam_default", "adam", {"lr": 1e-3}, 5)
    trajectory("adam_weight_decay", "adam", {"lr": 1e-3, "weight_decay": 0.1}, 6)
    trajectory("adamw_default", "adamw", {"lr": 1e-3}, 7)
    trajectory("adamw_lr_wd", "adamw", {"lr": 0.01, "weight_decay": 0.05}, 8)
    # A parameter without a gradient on step 3 is skipped, so its own step count falls behind.
    trajectory("adam_skipped_grad", "adam", {"lr": 0.01}, 9, skip=(2, 1))
    clip_norm_cases()
    clip_value_cases()


if __name__ == "__main__":
    main()
