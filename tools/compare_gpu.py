#!/usr/bin/env python3
"""The side-by-side GPU table: TextGen's benchmark through the engine seam (bench/TextGen.Cuda.Bench --json, the keys of
`textgen bench --json`) against PyTorch + cuDNN (tests/reference/torch_bench.py --json) on the same shapes and precisions,
with their ratio and the goals of BENCHMARKS.md (1.5x PyTorch's training figure, generation at most 0.05 ms per character).

    python3 tools/compare_gpu.py textgen.jsonl torch.jsonl [--configs S,M,L] [--archs lstm,gru,rnn] [--precisions fp32,tf32]

Every expected cell gets a row, so a run that failed or never ran shows as such instead of vanishing. Missing files count
as empty. Exit status: 0 when every cell was measured on both sides, 1 otherwise (the goals do not decide it).
"""
import argparse
import json
import os
import sys

TRAINING_GOAL = 1.5
GENERATION_GOAL_MS = 0.05
ERRORS = {"TextGen": {}, "PyTorch": {}}   # each distinct error once, numbered in the order met, written out under the table


def lines(path):
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue


def short(text, width=80):
    text = " ".join(str(text).split()).replace("|", "/")   # a bar would split the Markdown cell
    return text if len(text) <= width else text[: width - 1] + "…"


def failure(line, side):
    """A failed cell's entry: its error's label (T1, P1: written out in full under the table), or that the cell never ran."""
    if line is None:
        return "did not run"
    seen = ERRORS[side]
    n = seen.setdefault(str(line.get("error")), len(seen) + 1)
    return f"failed ({side[0]}{n})"


def number(value, digits=0):
    return f"{value:,.{digits}f}" if isinstance(value, (int, float)) else "-"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("textgen")
    p.add_argument("torch")
    p.add_argument("--configs", default="S,M,L")
    p.add_argument("--archs", default="lstm,gru,rnn")
    p.add_argument("--precisions", default="fp32,tf32")
    a = p.parse_args()

    ours = {(o.get("config"), o.get("arch"), o.get("precision")): o for o in lines(a.textgen)}
    ref = {(r.get("config"), r.get("arch"), r.get("precision")): r for r in lines(a.torch) if r.get("kind") == "torch"}
    gpu = next((o["gpu"] for o in ours.values() if o.get("gpu")), None)
    torch_version = next((f"PyTorch {r['torch']}, cuDNN {r.get('cudnn')}" for r in ref.values() if r.get("torch")), None)

    print(f"TextGen on {gpu or 'no GPU (no TextGen figure came back)'}; {torch_version or 'no PyTorch figure came back'}; "
          "both timed in the same run, at the same precision (fp32: no TF32 anywhere; tf32: TF32 in matrix products and cuDNN).")
    print()
    print("| config | cell | precision | TextGen tok/s | PyTorch tok/s | ratio | ≥ 1.5x | TextGen ms/char | PyTorch ms/char | ≤ 0.05 | cuDNN setting |")
    print("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |")
    complete, met_training, met_generation, cells = 0, 0, 0, 0
    for config in a.configs.split(","):
        for arch in a.archs.split(","):
            for precision in a.precisions.split(","):
                cells += 1
                o, r = ours.get((config, arch, precision)), ref.get((config, arch, precision))
                o_ok = o is not None and "tokens_per_s" in o
                r_ok = r is not None and "tokensPerSecond" in r
                if o_ok and r_ok:
                    complete += 1
                ours_tps = number(o["tokens_per_s"]) if o_ok else failure(o, "TextGen")
                ref_tps = number(r["tokensPerSecond"]) if r_ok else failure(r, "PyTorch")
                ratio = o["tokens_per_s"] / r["tokensPerSecond"] if o_ok and r_ok and r["tokensPerSecond"] else None
                training_met = ratio is not None and ratio >= TRAINING_GOAL
                generation_met = o_ok and o["ms_per_token"] <= GENERATION_GOAL_MS
                met_training += training_met
                met_generation += generation_met
                print(f"| {config} | {arch} | {precision} | {ours_tps} | {ref_tps} | {f'{ratio:.2f}x' if ratio else '-'} | "
                      f"{'yes' if training_met else 'no' if ratio else '-'} | {number(o['ms_per_token'], 4) if o_ok else '-'} | "
                      f"{number(r['generationMsPerToken'], 4) if r_ok else '-'} | {'yes' if generation_met else 'no' if o_ok else '-'} | "
                      f"{o.get('rnn', '') if o_ok else ''} |")
    print()
    print(f"{complete} of {cells} cells measured on both sides; training at least {TRAINING_GOAL}x PyTorch in {met_training}; "
          f"generation at most {GENERATION_GOAL_MS} ms/char in {met_generation}.")
    for side, seen in ERRORS.items():
        for text, n in seen.items():
            print(f"\n{side[0]}{n} ({side}): {short(text, 2000)}")
    return 0 if complete == cells else 1


if __name__ == "__main__":
    sys.exit(main())
