#!/usr/bin/env python3
"""Writes tests/fixtures/attention/*.json: PyTorch references for the attention ops and the transformer model.

Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/reference/make_attention_fixtures.py
Each op case holds its inputs, an upstream weighting w, the output y and the gradients of sum(w * y), computed in
float64 from float32 inputs. The model
cases are built from PyTorch's own layers (nn.Embedding, nn.TransformerEncoderLayer with norm_first=True and a
causal mask, nn.LayerNorm, nn.Linear), so the C# model is checked against torch.nn, not against a copy of itself.
Everything is seeded, so reruns give the same files.
"""
import json, math, os
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "attention")
torch.set_num_threads(1)


def t(x):
    """A tensor as {"shape", "data"} with float32 values."""
    x = x.detach().float().contiguous()
    return {"shape": list(x.shape), "data": x.reshape(-1).tolist()}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(obj, f)


def rand(gen, *shape, scale=1.0):
    """Float32 values, held in float64 so that the op cases are computed in double precision: the reference is then the
    exact value of the function at those inputs, not one float32 implementation's rounding of it."""
    return ((torch.rand(shape, generator=gen) * 2 - 1) * scale).double().requires_grad_()


def op_case(name, fn, inputs, gen, **extra):
    """Runs fn on the inputs, backpropagates sum(w * y) and writes inputs, w, y and every input's gradient."""
    y = fn(*inputs)
    w = (torch.rand(y.shape, generator=gen) * 2 - 1).double()
    (y * w).sum().backward()
    write(name, {"inputs": [t(x) for x in inputs], "w": t(w), "y": t(y), "grads": [t(x.grad) for x in inputs], **extra})


def causal_mask(T):
    """True above the diagonal: the keys a query may not see."""
    return torch.triu(torch.ones(T, T, dtype=torch.bool), 1)


def gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


def ops(gen):
    op_case("batch_matmul", lambda a, b: a @ b, [rand(gen, 2, 3, 4, 5), rand(gen, 2, 3, 5, 6)], gen)
    op_case("batch_matmul_transposed", lambda a, b: a @ b.transpose(-2, -1), [rand(gen, 2, 3, 4, 5), rand(gen, 2, 3, 6, 5)], gen)
    op_case("transpose_1_2", lambda x: x.transpose(1, 2).contiguous(), [rand(gen, 2, 3, 4, 5)], gen, dims=[1, 2])
    op_case("transpose_0_3", lambda x: x.transpose(0, 3).contiguous(), [rand(gen, 2, 3, 4, 5)], gen, dims=[0, 3])
    op_case("causal_softmax", lambda x: F.softmax(x.masked_fill(causal_mask(x.shape[-1]), float("-inf")), -1),
            [rand(gen, 2, 3, 6, 6, scale=4.0)], gen)
    op_case("layer_norm", lambda x, w, b: F.layer_norm(x, (x.shape[-1],), w, b, 1e-5),
            [rand(gen, 3, 4, 7, scale=3.0), rand(gen, 7), rand(gen, 7)], gen, eps=1e-5)
    op_case("gelu_tanh", gelu_tanh, [rand(gen, 4, 9, scale=4.0)], gen)


class Reference(nn.Module):
    """The C# CharTransformerModel's design from torch.nn layers, with the same parameter names."""

    def __init__(self, V, block, E, heads, layers, ff):
        super().__init__()
        self.embedding = nn.Embedding(V, E)
        self.position_embedding = nn.Embedding(block, E)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(E, heads, ff, dropout=0.0, activation=gelu_tanh, batch_first=True, norm_first=True)
            for _ in range(layers)])
        self.norm = nn.LayerNorm(E)
        self.decoder = nn.Linear(E, V)

    def forward(self, tokens):
        T = tokens.shape[1]
        x = self.embedding(tokens) + self.position_embedding(torch.arange(T))
        mask = torch.zeros(T, T).masked_fill(causal_mask(T), float("-inf"))
        weights = []
        for layer in self.layers:
            h = layer.norm1(x)
            weights.append(layer.self_attn(h, h, h, attn_mask=mask, need_weights=True, average_attn_weights=False)[1])
            x = layer(x, src_mask=mask)
        return self.decoder(self.norm(x)), weights


def model_case(name, gen, V, block, E, heads, layers, ff, B, T):
    model = Reference(V, block, E, heads, layers, ff)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.rand(p.shape, generator=gen) - 0.5)
    tokens = torch.randint(0, V, (B, T), generator=gen)
    targets = torch.randint(0, V, (B, T), generator=gen)
    logits, weights = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
    loss.backward()
    write(name, {
        "config": {"vocabulary": V, "block": block, "embedding": E, "heads": heads, "layers": layers, "feedforward": ff},
        "batch": B, "seq_len": T, "tokens": tokens.tolist(), "targets": targets.tolist(),
        "parameters": {n: t(p) for n, p in model.named_parameters()},
        "logits": t(logits), "loss": float(loss), "attention": [t(w) for w in weights],
        "grads": {n: t(p.grad) for n, p in model.named_parameters()},
    })


def main():
    gen = torch.Generator().manual_seed(2323)
    ops(gen)
    model_case("model_two_blocks_two_heads", gen, V=11, block=8, E=12, heads=2, layers=2, ff=20, B=2, T=6)
    model_case("model_one_block_three_heads_full_context", gen, V=9, block=5, E=12, heads=3, layers=1, ff=16, B=3, T=5)


if __name__ == "__main__":
    main()
