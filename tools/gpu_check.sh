#!/usr/bin/env bash
# Everything the GPU issue needs measured, in one command for the GPU machine (device time is short).
# Here, first:  ../shared/gpu/pack.sh bench/TextGen.Cuda.Bench/TextGen.Cuda.Bench.csproj   (26 MB)
#   optionally:  ../shared/gpu/pack.sh tests/TextGen.Tests/TextGen.Tests.csproj           (40 MB; both together exceed
#                the 64 MiB a run can carry, so run this script twice, once with each)
# Then run `bash tools/gpu_check.sh` there with carry [".gpu"]; results go to $OUT (or /tmp/gpu-check).
# Steps: the probe; GPU parity (fp32 and tf32 against the float64 reference); the TextGen benchmark and PyTorch's
# on S, M, L x LSTM, GRU, RNN; a table with both and their ratio; and the Gpu test category when it was packed.
# The timeouts keep one run under the 10 minutes a device command may take.
set -u
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
configs=${CONFIGS:-S,M,L}
archs=${ARCHS:-lstm,gru,rnn}
precisions=${PRECISIONS:-fp32,tf32}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$out/gpu.csv" 2>&1
if [ -f .gpu/TextGen.Cuda.Bench.txz ]; then
  timeout 330 bash .gpu/run.sh TextGen.Cuda.Bench all "$configs" "$archs" "$precisions" > "$out/textgen.jsonl" 2> "$out/textgen.err"
  echo "TextGen parity and bench: exit $? ($(grep -c '"ok":true' "$out/textgen.jsonl") parity checks passed)"
  # PyTorch with its own cuDNN: the default library path, not run.sh's (see shared/GPU.md).
  timeout 240 python3 tests/reference/torch_bench.py --device cuda --config "$configs" --arch "$archs" --json > "$out/torch.jsonl" 2> "$out/torch.err"
  echo "PyTorch bench: exit $?"
  python3 tools/compare_gpu.py "$out/textgen.jsonl" "$out/torch.jsonl" | tee "$out/table.md"
fi
if [ -f .gpu/TextGen.Tests.txz ]; then
  timeout 300 bash .gpu/run.sh TextGen.Tests -trait Category=Gpu > "$out/gpu-tests.txt" 2>&1
  echo "Gpu test category: exit $?"; tail -5 "$out/gpu-tests.txt"
fi
