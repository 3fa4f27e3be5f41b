#!/usr/bin/env python3
"""Runs TextGen's CPU benchmark and the PyTorch reference side by side and prints both with their ratio.

    /usr/bin/python3 tools/bench_cpu.py --config S,M-cpu --arch lstm,gru,rnn [--steps 10] [--repeat 3]

Needs the CLI built (./textgen does it) and Debian's python3-torch with OpenBLAS (apt-get install python3-torch
libopenblas0-pthread; without libopenblas0-pthread PyTorch falls back to the reference BLAS and is 10x slower).
Each cell runs TextGen first, then PyTorch at both thread settings that avoid oversubscribing two cores
(OPENBLAS_NUM_THREADS=1 with 2 torch threads, and OPENBLAS_NUM_THREADS=2 with 1 torch thread), keeping PyTorch's
better figure for training and for generation; same shapes, random token ids, medians after warm-up.
With --repeat N the two sides alternate N times per cell (other jobs on a shared machine come and go) and
each figure is the median of its N runs.
"""
import statistics
import argparse, json, os, platform, subprocess, sys, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json(cmd, env=None):
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")][-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="S,M-cpu")
    p.add_argument("--arch", default="lstm,gru,rnn")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    dll = os.path.join(ROOT, "lib/TextGen.Cli/bin/Release/net10.0/TextGen.Cli.dll")
    if not os.path.exists(dll):
        subprocess.run(["dotnet", "build", "lib/TextGen.Cli", "-c", "Release", "-nologo", "-v", "q"], cwd=ROOT, check=True)
    rows = []
    for config in a.config.split(","):
        for arch in a.arch.split(","):
            runs_ours, runs_ref = [], []
            for _ in range(a.repeat):
                runs_ours.append(run_json(["dotnet", dll, "bench", "--config", config, "--arch", arch, "--steps", str(a.steps), "--json"]))
                refs = [run_json(["/usr/bin/python3", "tests/reference/torch_bench.py", "--device", "cpu", "--config", config,
                                  "--arch", arch, "--steps", str(a.steps), "--warmup", "3", "--torch-threads", tt, "--json"],
                                 dict(os.environ, OPENBLAS_NUM_THREADS=ob)) for ob, tt in (("1", "2"), ("2", "1"))]
                runs_ref.append(dict(refs[0], tokensPerSecond=max(r["tokensPerSecond"] for r in refs),
                                     generationMsPerToken=min(r["generationMsPerToken"] for r in refs)))
            ours = dict(runs_ours[0], tokens_per_s=statistics.median(r["tokens_per_s"] for r in runs_ours),
                        ms_per_token=statistics.median(r["ms_per_token"] for r in runs_ours))
            ref = dict(runs_ref[0], tokensPerSecond=statistics.median(r["tokensPerSecond"] for r in runs_ref),
                       generationMsPerToken=statistics.median(r["generationMsPerToken"] for r in runs_ref))
            rows.append((config, arch, ours["tokens_per_s"], ref["tokensPerSecond"], ours["ms_per_token"], ref["generationMsPerToken"]))
            print(f"{config} {arch}: TextGen {ours['tokens_per_s']:,.0f} tok/s vs PyTorch {ref['tokensPerSecond']:,.0f} "
                  f"({ours['tokens_per_s'] / ref['tokensPerSecond']:.2f}x); generation {ours['ms_per_token']:.3f} vs "
                  f"{ref['generationMsPerToken']:.3f} ms/token ({ref['generationMsPerToken'] / ours['ms_per_token']:.2f}x faster)", flush=True)
    print()
    print(f"Measured {datetime.date.today()} on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"PyTorch {ref.get('torch', '?')} with OpenBLAS, best of its two thread settings; "
          f"median of {a.repeat} alternating run(s) per side and cell.")
    print()
    print("| config | cell | TextGen tok/s | PyTorch tok/s | ratio | TextGen ms/token | PyTorch ms/token | generation speed-up |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c, arch, t, r, g, rg in rows:
        print(f"| {c} | {arch} | {t:,.0f} | {r:,.0f} | {t / r:.2f}x | {g:.3f} | {rg:.3f} | {rg / g:.2f}x |")


if __name__ == "__main__":
    main()
