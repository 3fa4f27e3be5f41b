#!/usr/bin/env python3
"""PyTorch reference timings for BENCHMARKS.md: tokens/s of a full character-model training step and
batch-1 generation ms/token, for the same configurations TextGen's `bench` command times.

A training step is forward, mean cross-entropy, backward, clip_grad_norm_(1.0) and Adam, on random token ids;
tokens/s = batch * seq_len / median step time after warm-up. Generation carries the state, one token per step,
sampled at temperature 0.8, and reports ms per token.

    /usr/bin/python3 tests/reference/torch_bench.py --device cpu --config S --arch lstm
    python3 tests/reference/torch_bench.py --device cuda --config S,M,L --arch lstm,gru,rnn --precision fp32,tf32 --json

On CUDA, --precision fp32 turns TF32 off in cuBLAS and cuDNN (strict FP32, as TextGen's fp32), tf32 turns it on in both
(as TextGen's tf32), and default leaves PyTorch's defaults (cuDNN may use TF32, matrix products do not). With --json a
configuration that fails prints one line with its error and the others still run; the exit status is then 1.
"""
import argparse
import json
import os
import statistics
import sys
import time

CONFIGS = {  # name: (embedding, layers, hidden, batch, seq_len), vocabulary 65 throughout
    "S": (64, 1, 256, 64, 100),
    "M": (128, 2, 512, 128, 256),
    "M-cpu": (128, 2, 512, 32, 128),
    "L": (256, 3, 1024, 256, 256),
}
VOCAB = 65


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="S", help="comma list of S, M, M-cpu, L")
    p.add_argument("--arch", default="lstm", help="comma list of lstm, gru, rnn (rnn = tanh)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--steps", type=int, default=20, help="timed training steps (median taken)")
    p.add_argument("--warmup", type=int, default=5, help="untimed training steps first")
    p.add_argument("--tokens", type=int, default=1000, help="generated tokens to time")
    p.add_argument("--bf16", action="store_true", help="CUDA only: train under bf16 autocast")
    p.add_argument("--precision", default="default", help="CUDA only: comma list of fp32 (no TF32), tf32 (TF32 in cuBLAS and cuDNN), default")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of text")
    p.add_argument("--torch-threads", type=int, default=2, help="CPU only: torch.set_num_threads (OPENBLAS_NUM_THREADS comes from the environment, default 1)")
    return p.parse_args()


args = parse_args()
if args.device == "cpu":
    # Must be set before torch loads OpenBLAS: PyTorch's and OpenBLAS's threads fight over 2 cores otherwise.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def fail_every_cell(message):
    """Without PyTorch or a GPU no cell can run: with --json each says why (the GPU table shows it), then exit 1."""
    if not args.json:
        sys.exit(message)
    precisions = args.precision.split(",") if args.device == "cuda" else ["fp32"]
    for config in args.config.split(","):
        for arch in args.arch.split(","):
            for precision in precisions:
                print(json.dumps({"kind": "torch", "config": config, "arch": arch, "precision": precision, "error": message}), flush=True)
    sys.exit(1)


try:
    import torch  # noqa: E402  (after the environment is set)
    from torch import nn  # noqa: E402
except ImportError as e:
    fail_every_cell(f"{type(e).__name__}: {e} (run with the Python that has PyTorch)")

if args.device == "cpu":
    torch.set_num_threads(args.torch_threads)


class CharModel(nn.Module):
    """Embedding -> recurrent stack -> Linear, with the parameter names TextGen uses."""

    def __init__(self, arch, embedding, layers, hidden):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, embedding)
        cell = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[arch]
        self.rnn = cell(embedding, hidden, num_layers=layers, batch_first=True)
        self.decoder = nn.Linear(hidden, VOCAB)

    def forward(self, x, state=None):
        y, state = self.rnn(self.embedding(x), state)
        return self.decoder(y), state


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def bench_training(model, device, batch, seq_len):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1234)
    x = torch.randint(0, VOCAB, (batch, seq_len), generator=g).to(device)
    y = torch.randint(0, VOCAB, (batch, seq_len), generator=g).to(device)
    loss_fn = nn.CrossEntropyLoss()

    def forward_loss():
        logits, _ = model(x)
        return loss_fn(logits.reshape(-1, VOCAB).float(), y.reshape(-1))

    def step():
        opt.zero_grad(set_to_none=True)
        if args.bf16:  # only built when asked: CPU-only builds of torch reject a CUDA autocast context
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = forward_loss()
        else:
            loss = forward_loss()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    times = []
    for i in range(args.warmup + args.steps):
        sync(device)
        t0 = time.perf_counter()
        step()
        sync(device)
        if i >= args.warmup:
            times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return batch * seq_len / median, median * 1000


@torch.no_grad()
def bench_generation(model, device):
    model.eval()
    g = torch.Generator(device=device).manual_seed(2)
    token = torch.zeros((1, 1), dtype=torch.long, device=device)
    state = None
    for _ in range(50):  # warm-up
        logits, state = model(token, state)
        token = torch.multinomial(torch.softmax(logits[0, -1] / 0.8, -1), 1, generator=g).view(1, 1)
    sync(device)
    t0 = time.perf_counter()
    for _ in range(args.tokens):
        logits, state = model(token, state)
        token = torch.multinomial(torch.softmax(logits[0, -1] / 0.8, -1), 1, generator=g).view(1, 1)
    sync(device)
    model.train()
    return (time.perf_counter() - t0) * 1000 / args.tokens


def has(owner, name):
    """hasattr that also takes torch.backends.cuda.matmul's refusal, which raises AssertionError for an unknown name."""
    try:
        getattr(owner, name)
        return True
    except (AttributeError, AssertionError):
        return False


def tf32_settings():
    """The TF32 switches of matrix products and cuDNN's RNNs: PyTorch 2.9+'s fp32_precision pair, else the allow_tf32 flags."""
    rnn = getattr(torch.backends.cudnn, "rnn", None)
    if has(torch.backends.cuda.matmul, "fp32_precision") and has(rnn, "fp32_precision"):
        return (torch.backends.cuda.matmul, "fp32_precision"), (rnn, "fp32_precision")
    return (torch.backends.cuda.matmul, "allow_tf32"), (torch.backends.cudnn, "allow_tf32")


def set_precision(device, precision, shipped):
    """TF32 off (fp32), on (tf32) or as PyTorch ships (default) in matrix products and cuDNN's RNNs together; returns what is set."""
    if device.type != "cuda":
        return None
    for (owner, name), value in zip(tf32_settings(), shipped):
        if precision != "default":
            value = (precision == "tf32") if name == "allow_tf32" else ("tf32" if precision == "tf32" else "ieee")
        setattr(owner, name, value)
    return {f"{part}.{name}": getattr(owner, name) for part, (owner, name) in zip(("matmul", "cudnn_rnn"), tf32_settings())}


def main():
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        fail_every_cell(f"--device cuda: PyTorch {torch.__version__} sees no CUDA device")
    if args.bf16 and device.type != "cuda":
        sys.exit("--bf16 needs --device cuda")
    name = torch.cuda.get_device_name() if device.type == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    precisions = args.precision.split(",") if device.type == "cuda" else ["fp32"]
    for precision in precisions:
        if precision not in ("fp32", "tf32", "default"):
            sys.exit(f"--precision {precision}: use fp32, tf32 or default")
    shipped = [getattr(owner, name) for owner, name in tf32_settings()] if device.type == "cuda" else []
    failures = 0
    for config in args.config.split(","):
        embedding, layers, hidden, batch, seq_len = CONFIGS[config]
        for arch in args.arch.split(","):
            for precision in precisions:
                switches = set_precision(device, precision, shipped)
                label = "bf16-autocast" if args.bf16 else precision
                try:
                    torch.manual_seed(1337)
                    model = CharModel(arch, embedding, layers, hidden).to(device)
                    tokens_per_s, step_ms = bench_training(model, device, batch, seq_len)
                    ms_per_token = bench_generation(model, device)
                except Exception as e:  # noqa: BLE001  (one failed configuration must not hide the others' figures)
                    failures += 1
                    if not args.json:
                        raise
                    print(json.dumps({"kind": "torch", "config": config, "arch": arch, "precision": label,
                                      "error": f"{type(e).__name__}: {e}"}), flush=True)
                    continue
                finally:
                    if device.type == "cuda":
                        torch.cuda.empty_cache()
                result = {
                    "kind": "torch", "config": config, "arch": arch, "device": name, "torch": torch.__version__,
                    "cudnn": torch.backends.cudnn.version() if device.type == "cuda" else None, "precision": label, "tf32": switches,
                    "tokensPerSecond": round(tokens_per_s), "medianStepMs": round(step_ms, 3),
                    "generationMsPerToken": round(ms_per_token, 4),
                }
                if args.json:
                    print(json.dumps(result), flush=True)
                else:
                    print(f"torch {config} {arch} {args.device} {label}: {tokens_per_s:,.0f} tok/s (step {step_ms:.2f} ms), "
                          f"generation {ms_per_token:.3f} ms/token", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
