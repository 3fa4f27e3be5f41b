#!/usr/bin/env python3
"""Joins TextGen's GPU benchmark lines (TextGen.Cuda.Bench, kind "bench") with PyTorch's (torch_bench.py --json)
and prints a Markdown table with both figures and their ratio, plus the parity lines.

    python3 tools/compare_gpu.py textgen.jsonl torch.jsonl
"""
import json, sys


def lines(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                yield json.loads(line)


def main():
    ours, ref = list(lines(sys.argv[1])), {(r["config"], r["arch"]): r for r in lines(sys.argv[2])}
    for p in (o for o in ours if o.get("kind") == "parity"):
        status = "ok" if p.get("ok") else "FAILED"
        detail = f"relative error {p['error']:.2e} (limit {p['limit']:.0e}) in {p['worst']}" if "error" in p else p.get("failed", "")[:200]
        print(f"parity {p['arch']} {p['precision']}: {status}, {detail}")
    print()
    print("| config | cell | precision | TextGen tok/s | PyTorch tok/s | ratio | TextGen ms/char | PyTorch ms/char | cuDNN setting |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for o in (o for o in ours if o.get("kind") == "bench"):
        r = o.get("result")
        if r is None:
            print(f"| {o['config']} | {o['arch']} | {o['precision']} | failed: {o.get('failed', '')[:120]} | | | | | |")
            continue
        t = ref.get((r["config"], r["arch"]))
        ratio = f"{r['tokensPerSecond'] / t['tokensPerSecond']:.2f}x" if t else "-"
        print(f"| {r['config']} | {r['arch']} | {r['precision']} | {r['tokensPerSecond']:,.0f} | "
              f"{t['tokensPerSecond'] if t else float('nan'):,.0f} | {ratio} | {r['generationMsPerToken']:.4f} | "
              f"{t['generationMsPerToken'] if t else float('nan'):.4f} | {r['rnnSetting']} |")
    device = next((o["result"].get("deviceName") or o["result"]["device"] for o in ours if o.get("kind") == "bench" and o.get("result")), "?")
    torch_version = next(iter(ref.values()), {}).get("torch", "?")
    print(f"\nTextGen on {device}; PyTorch {torch_version} at its defaults (cuDNN may use TF32).")


if __name__ == "__main__":
    main()
