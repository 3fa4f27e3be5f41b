#!/usr/bin/env python3
"""TextGen's CPU engine against its real peer, the TorchSharp engine (libtorch 2.10 with MKL and oneDNN), side by side.

    /usr/bin/python3 tools/bench_cpu.py [--config S,M-cpu] [--arch lstm,gru,rnn] [--steps 10] [--repeat 3]

Each cell runs `textgen bench --engine textgen` and `--engine torchsharp` alternately --repeat times (other jobs on a
shared machine come and go), both at the same thread count (TorchSharp takes TextGen's; OMP_NUM_THREADS=1 keeps
libtorch's OpenMP pool from adding threads of its own), and prints the medians, their ratio, each step's GFLOP/s
against the peak a large matrix product reaches in the same run, and the peak working set. The same step on both:
forward, cross-entropy, backward, clipping at 1, Adam; generation is batch 1 at temperature 0.8. The PyTorch 1.13
comparison this script once ran is retired: Debian's OpenBLAS build is 20-47x slower than libtorch on these CPUs.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bench(dll, config, arch, engine, steps):
    cmd = ["dotnet", dll, "bench", "--config", config, "--arch", arch, "--engine", engine, "--steps", str(steps), "--json"]
    out = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, OMP_NUM_THREADS="1"), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")][-1]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            lines = f.readlines()
        name = next(l.split(":", 1)[1].strip() for l in lines if l.startswith("model name"))
        # The family and model tell Zen 4 (25) from Zen 5 (26) and one Xeon generation from the next.
        family = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("cpu family")), "?")
        model = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("model\t") or l.startswith("model :")), "?")
        name = f"{name} (family {family}, model {model})"
        flags = next((l for l in lines if l.startswith("flags")), "")
        return f"{name}{', AVX-512' if 'avx512f' in flags else ', AVX2' if 'avx2' in flags else ''}"
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="S,M-cpu")
    p.add_argument("--arch", default="lstm,gru,rnn")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    subprocess.run(["dotnet", "build", "lib/TextGen.Cli", "-c", "Release", "-nologo", "-v", "q"], cwd=ROOT, check=True, capture_output=True)
    dll = os.path.join(ROOT, "lib/TextGen.Cli/bin/Release/net10.0/TextGen.Cli.dll")
    median = lambda runs, key: statistics.median(r[key] for r in runs)
    rows = []
    for config in a.config.split(","):
        for arch in a.arch.split(","):
            runs = {"textgen": [], "torchsharp": []}
            for _ in range(a.repeat):
                for engine in runs:
                    runs[engine].append(bench(dll, config, arch, engine, a.steps))
            t, r = runs["textgen"], runs["torchsharp"]
            row = dict(config=config, arch=arch, t=median(t, "tokens_per_s"), r=median(r, "tokens_per_s"),
                       tg=median(t, "ms_per_token"), rg=median(r, "ms_per_token"), tf=median(t, "gflops"), rf=median(r, "gflops"),
                       peak=median(t + r, "peak_gflops"), tm=median(t, "peak_working_set_mib"), rm=median(r, "peak_working_set_mib"),
                       ts=median(t, "step_working_set_mib"), rs=median(r, "step_working_set_mib"),
                       tlo=min(x["tokens_per_s"] for x in t), thi=max(x["tokens_per_s"] for x in t),
                       rlo=min(x["tokens_per_s"] for x in r), rhi=max(x["tokens_per_s"] for x in r))
            rows.append(row)
            print(f"{config} {arch}: TextGen {row['t']:,.0f} tok/s vs TorchSharp {row['r']:,.0f} ({row['t'] / row['r']:.2f}x); "
                  f"generation {row['tg'] * 1000:.2f} vs {row['rg'] * 1000:.2f} us/token ({row['rg'] / row['tg']:.1f}x)", flush=True)
    print()
    print(f"Measured {datetime.date.today()} on {cpu_name()}, {os.cpu_count()} cores, {runs['textgen'][0]['threads']} threads; "
          f"median of {a.repeat} alternating runs per engine and cell (range in brackets); peak = TextGen's 768-square matrix product in the same runs.")
    print()
    print("| config | cell | TextGen tok/s | TorchSharp tok/s | ratio | TextGen GFLOP/s | TorchSharp GFLOP/s | peak GFLOP/s "
          "| TextGen us/token | TorchSharp us/token | generation speed-up | TextGen peak / step MiB | TorchSharp peak / step MiB | goals met |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for w in rows:
        print(f"| {w['config']} | {w['arch']} | {w['t']:,.0f} ({w['tlo']:,.0f}-{w['thi']:,.0f}) | {w['r']:,.0f} ({w['rlo']:,.0f}-{w['rhi']:,.0f}) "
              f"| {w['t'] / w['r']:.2f}x | {w['tf']:.1f} ({w['tf'] / w['peak']:.0%}) | {w['rf']:.1f} ({w['rf'] / w['peak']:.0%}) | {w['peak']:.1f} "
              f"| {w['tg'] * 1000:.2f} | {w['rg'] * 1000:.2f} | {w['rg'] / w['tg']:.1f}x | {w['tm']:,.0f} / {w['ts']:,.0f} | {w['rm']:,.0f} / {w['rs']:,.0f} "
              f"| {goals(w)} |")


# The issue's goals: training at least 2x TorchSharp on S and 1.5x on M-cpu, generation at least 20x.
TRAINING_GOAL = {"S": 2.0, "M-cpu": 1.5}


def goals(w):
    train = TRAINING_GOAL.get(w["config"])
    parts = [] if train is None else [f"training >= {train}x: {'yes' if w['t'] / w['r'] >= train else 'no'}"]
    parts.append(f"generation >= 20x: {'yes' if w['rg'] / w['tg'] >= 20 else 'no'}")
    return "; ".join(parts)


if __name__ == "__main__":
    main()
