#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures that the C# tests compare against.

Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/reference/make_fixtures.py
Needs PyTorch (Debian's python3-torch). Everything is seeded, so reruns give the same files.
"""
import json, os, struct
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")
torch.set_num_threads(1)


def t(x):
    """A tensor as {"shape", "data"} with float32 values."""
    x = x.detach().float().contiguous()
    return {"shape": list(x.shape), "data": x.reshape(-1).tolist()}


def write(family, name, obj):
    os.makedirs(os.path.join(OUT, family), exist_ok=True)
    with open(os.path.join(OUT, family, name + ".json"), "w") as f:
        json.dump(obj, f)


def make_rnn(arch, in_size, hidden, layers):
    if arch == "lstm":
        return torch.nn.LSTM(in_size, hidden, layers, batch_first=True)
    if arch == "gru":
        return torch.nn.GRU(in_size, hidden, layers, batch_first=True)
    return torch.nn.RNN(in_size, hidden, layers, nonlinearity=arch.split("_")[1], batch_first=True)


def fill_uniform(module, gen, bound):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.rand(p.shape, generator=gen) * 2 * bound - bound)


def rnn_case(arch, layers, initial, mode, seed, H=6, B=3):
    gen = torch.Generator().manual_seed(seed)
    V, E, T = 7, 5, 4
    emb = torch.nn.Embedding(V, E) if mode == "embedding" else None
    rnn = make_rnn(arch, E if emb is not None else V, H, layers)
    dec = torch.nn.Linear(H, V)
    for m in (emb, rnn, dec):
        if m is not None:
            fill_uniform(m, gen, 0.5)
    tokens = torch.randint(0, V, (B, T), generator=gen)
    targets = torch.randint(0, V, (B, T), generator=gen)
    h0 = (torch.rand(layers, B, H, generator=gen) - 0.5).requires_grad_() if initial else None
    c0 = (torch.rand(layers, B, H, generator=gen) - 0.5).requires_grad_() if initial and arch == "lstm" else None
    x = emb(tokens) if emb is not None else F.one_hot(tokens, V).float()
    x.retain_grad() if emb is not None else x.requires_grad_()
    if arch == "lstm":
        y, (hn, cn) = rnn(x, (h0, c0)) if initial else rnn(x)
    else:
        y, hn = rnn(x, h0) if initial else rnn(x)
        cn = None
    logits = dec(y)
    loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
    loss.backward()
    params, grads = {}, {}
    named = ([("embedding." + n, p) for n, p in emb.named_parameters()] if emb is not None else []) \
        + [("rnn." + n, p) for n, p in rnn.named_parameters()] + [("decoder." + n, p) for n, p in dec.named_parameters()]
    for n, p in named:
        params[n] = t(p)
        grads[n] = t(p.grad)
    name = f"{arch}_l{layers}_{mode}_{'init' if initial else 'zero'}" + (f"_h{H}_b{B}" if (H, B) != (6, 3) else "")
    write("rnn", name, {
        "name": name, "arch": arch, "input_mode": mode, "vocab_size": V, "embedding_dim": E if emb is not None else 0,
        "hidden_size": H, "num_layers": layers, "batch": B, "seq_len": T,
        "tokens": tokens.tolist(), "targets": targets.tolist(), "has_initial_state": initial,
        "h0": t(h0) if h0 is not None else None, "c0": t(c0) if c0 is not None else None,
        "params": params, "rnn_input": t(x), "rnn_output": t(y), "h_n": t(hn), "c_n": t(cn) if cn is not None else None,
        "logits": t(logits), "loss": loss.item(), "grads": grads, "rnn_input_grad": t(x.grad),
        "h0_grad": t(h0.grad) if h0 is not None else None, "c0_grad": t(c0.grad) if c0 is not None else None,
    })


def cell_case(arch, seed):
    gen = torch.Generator().manual_seed(seed)
    cls = {"lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}.get(arch)
    cell = cls(3, 4) if cls else torch.nn.RNNCell(3, 4, nonlinearity=arch.split("_")[1])
    fill_uniform(cell, gen, 0.5)
    x = torch.rand(2, 3, generator=gen) * 2 - 1
    h = torch.rand(2, 4, generator=gen) * 2 - 1
    c = torch.rand(2, 4, generator=gen) * 2 - 1 if arch == "lstm" else None
    with torch.no_grad():
        out = cell(x, (h, c)) if arch == "lstm" else cell(x, h)
    hn, cn = out if arch == "lstm" else (out, None)
    write("cells", arch, {
        "arch": arch, "x": t(x), "h": t(h), "c": t(c) if c is not None else None,
        "weight_ih": t(cell.weight_ih), "weight_hh": t(cell.weight_hh), "bias_ih": t(cell.bias_ih), "bias_hh": t(cell.bias_hh),
        "h_next": t(hn), "c_next": t(cn) if cn is not None else None,
    })


def train_case(name, arch, layers, make_opt, clip, seed):
    gen = torch.Generator().manual_seed(seed)
    V, E, H, B, T = 7, 4, 5, 3, 4
    emb, rnn, dec = torch.nn.Embedding(V, E), make_rnn(arch, E, H, layers), torch.nn.Linear(H, V)
    for m in (emb, rnn, dec):
        fill_uniform(m, gen, 0.5)
    named = [("embedding." + n, p) for n, p in emb.named_parameters()] + [("rnn." + n, p) for n, p in rnn.named_parameters()] \
        + [("decoder." + n, p) for n, p in dec.named_parameters()]
    params0 = {n: t(p) for n, p in named}
    opt = make_opt([p for _, p in named])
    batches, losses, norms = [], [], []
    for _ in range(5):
        tokens = torch.randint(0, V, (B, T), generator=gen)
        targets = torch.randint(0, V, (B, T), generator=gen)
        batches.append({"tokens": tokens.tolist(), "targets": targets.tolist()})
        opt.zero_grad()
        y = rnn(emb(tokens))[0]
        loss = F.cross_entropy(dec(y).reshape(-1, V), targets.reshape(-1))
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_([p for _, p in named], clip).item())
        opt.step()
        losses.append(loss.item())
    write("train", name, {"arch": arch, "num_layers": layers, "vocab_size": V, "embedding_dim": E, "hidden_size": H,
                          "batch": B, "seq_len": T, "clip": clip, "params0": params0, "batches": batches, "losses": losses,
                          "grad_norms": norms, "params_final": {n: t(p) for n, p in named}})


def checkpoint_case():
    text = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
            "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n\n"
            "First Citizen:\nFirst, you know Caius Marcius is chief enemy to the people.\n\nAll:\nWe know't, we know't.\n")
    vocab = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(vocab)}
    V, E, H = len(vocab), 8, 16
    gen = torch.Generator().manual_seed(4242)
    emb, rnn, dec = torch.nn.Embedding(V, E), torch.nn.LSTM(E, H, 1, batch_first=True), torch.nn.Linear(H, V)
    for m in (emb, rnn, dec):
        fill_uniform(m, gen, 0.3)
    ids = torch.tensor([[stoi[c] for c in text]])
    with torch.no_grad():
        logits = dec(rnn(emb(ids[:, :-1]))[0])
        loss = F.cross_entropy(logits.reshape(-1, V), ids[0, 1:]).item()
    tensors = [("embedding." + n, p) for n, p in emb.named_parameters()] + [("rnn." + n, p) for n, p in rnn.named_parameters()] \
        + [("decoder." + n, p) for n, p in dec.named_parameters()]
    header, blobs, offset = {}, [], 0
    for n, p in tensors:
        raw = p.detach().float().contiguous().numpy().astype("<f4").tobytes()
        header[n] = {"dtype": "F32", "shape": list(p.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "textgen/1", "arch": "lstm", "tokenizer": "char", "vocab": json.dumps(vocab),
                              "embedding_dim": str(E), "hidden_size": str(H), "num_layers": "1", "dropout": "0"}
    hj = json.dumps(header).encode()
    hj += b" " * ((8 - len(hj) % 8) % 8)
    os.makedirs(os.path.join(OUT, "checkpoint"), exist_ok=True)
    with open(os.path.join(OUT, "checkpoint", "tiny_lstm.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(hj)) + hj + b"".join(blobs))
    write("checkpoint", "tiny_lstm", {"text": text, "loss": loss, "tokens": len(text) - 1})


if __name__ == "__main__":
    seed = 100
    for arch in ["rnn_tanh", "rnn_relu", "lstm", "gru"]:
        for layers in [1, 2, 3]:
            for initial in [False, True]:
                seed += 1
                rnn_case(arch, layers, initial, "embedding", seed)
        for layers in [1, 2]:
            seed += 1
            rnn_case(arch, layers, True, "onehot", seed)
    # Hidden 19 runs the fused kernels' eight-lane loops and their scalar tail; batch 21 splits the time loop into row blocks.
    for i, arch in enumerate(["rnn_tanh", "rnn_relu", "lstm", "gru"]):
        rnn_case(arch, 2, True, "embedding", 700 + i, H=19, B=21)
    for i, arch in enumerate(["rnn_tanh", "rnn_relu", "lstm", "gru"]):
        cell_case(arch, 500 + i)
    train_case("lstm_adam_clip", "lstm", 2, lambda ps: torch.optim.Adam(ps, lr=0.01), 0.25, 600)  # clips on the steps whose norm exceeds 0.25
    train_case("gru_sgd_momentum", "gru", 1, lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), 0.3, 601)
    checkpoint_case()
    print("fixtures written to", os.path.normpath(OUT))
