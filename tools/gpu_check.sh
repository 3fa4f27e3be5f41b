#!/usr/bin/env bash
# The prepared device check (#25): everything a lent GPU should tell us, in one command, within 8 minutes.
#
# Here, with the SDK, first:  bash tools/gpu_pack.sh     -> .gpu/textgen-gpu.txz (git-ignored), tested here, size printed
# On the GPU machine, through the device tool (the whole call; docs/GPU.md says more):
#   run(command="bash tools/gpu_check.sh", carry=[".gpu"], timeout_s=480)
# A shorter second try, issued at once while the machine is still warm (its idle release is short):
#   run(command="CONFIGS=S,M GPU_CHECK_SECONDS=200 bash tools/gpu_check.sh", carry=[".gpu"], timeout_s=230)
# then give_back.
#
# Steps, each with its own timeout inside GPU_CHECK_SECONDS (default 450), so a hang costs only its step; a step that fails
# or times out is reported and the others still run:
#   1. machine: nvidia-smi, the NVIDIA libraries on disk, Python and PyTorch;
#   2. unpack: the payload into a temporary folder;
#   3. probe: what the engine finds (driver, GPU, the one library set it loads, each library's file and version);
#   4. GPU tests (they compare the CUDA engine with the CPU engine and a float64 reference), serially, with
#      TEXTGEN_REQUIRE_GPU=1 and -failSkips: a missing GPU or library fails, it never skips;
#   5. TextGen's benchmark through the engine seam (the GPU console's `bench`, with textgen bench's flags), per config:
#      CONFIGS x ARCHS x PRECISIONS (default S,M,L x lstm,gru,rnn x fp32,tf32), one JSON line per cell;
#   6. PyTorch + cuDNN on the same shapes and precisions (tests/reference/torch_bench.py), in its own process with the
#      default library path (PyTorch loads its own cuDNN; see docs/GPU.md);
#   7. the side-by-side table (tools/compare_gpu.py) and report.md, which holds the steps, the table and the probe.
# Everything goes to $OUT (default /tmp/gpu-check): report.md, table.md, steps.md, machine.txt, probe.txt, gpu-tests.txt and
# .xml, textgen.jsonl with textgen-C.err (the autotuner's log), torch.jsonl with torch.err. Exit status 0 only when every
# step passed and every cell of the table was measured on both sides. CONFIGS, ARCHS and PRECISIONS narrow the cells;
# PYTHON names the Python that has PyTorch (default python3).
set -u
cd "$(dirname "$0")/.."
payload=.gpu/textgen-gpu.txz
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
budget=${GPU_CHECK_SECONDS:-450}
configs=${CONFIGS:-S,M,L}
archs=${ARCHS:-lstm,gru,rnn}
precisions=${PRECISIONS:-fp32,tf32}
python=${PYTHON:-python3}   # the Python that has PyTorch
started=$SECONDS
failed=0
exec 3>&1   # the steps' own progress lines, kept out of the outputs each step's command is redirected to
steps="$out/steps.md"
printf '| step | result | seconds | output |\n| --- | --- | ---: | --- |\n' > "$steps"

# step NAME CAP OUTPUT COMMAND...: runs COMMAND with at most CAP seconds, fewer when the budget is nearly spent.
step() {
  local name=$1 cap=$2 output=$3; shift 3
  local left=$((budget - (SECONDS - started) - 5)) t0=$SECONDS rc result
  local limit=$((cap < left ? cap : left))
  if [ "$limit" -lt 5 ]; then
    echo "| $name | not run: the ${budget} s budget is spent | 0 | |" >> "$steps"; failed=1
    echo "== $name: not run, the ${budget} s budget is spent" >&3; return 1
  fi
  echo "== $name (at most ${limit} s)" >&3
  timeout -k 5 "$limit" "$@"; rc=$?
  case $rc in
    0) result=passed ;;
    124|137) result="timed out after ${limit} s" ;;
    *) result="failed (exit $rc)" ;;
  esac
  [ $rc -eq 0 ] || failed=1
  echo "| $name | $result | $((SECONDS - t0)) | $output |" >> "$steps"
  echo "   $result" >&3
  return $rc
}

step machine 30 machine.txt bash -c '
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader; rc=$?
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/lib/x86_64-linux-gnu; do
    echo "$d: $(ls "$d" 2>/dev/null | grep -E "^lib(cudnn|cublas|nvrtc)" | tr "\n" " ")"
  done
  "$1" -c "import torch; print(\"torch\", torch.__version__, \"CUDA\", torch.version.cuda, \"cuDNN\", torch.backends.cudnn.version())"
  exit $rc' machine "$python" > "$out/machine.txt" 2>&1

app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
step unpack 60 unpack.txt bash -c '
  [ -f "$1" ] || { echo "no $1 here: run bash tools/gpu_pack.sh where the .NET SDK is, and carry .gpu"; exit 2; }
  if command -v xz > /dev/null; then tar -C "$2" -xJf "$1"
  else python3 -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$1" "$2"; fi' unpack "$payload" "$app" > "$out/unpack.txt" 2>&1
tests=$app/textgen-gpu/tests/TextGen.Cuda.Tests
console=$app/textgen-gpu/bench/TextGen.Cuda.Bench
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0

step probe 60 probe.txt "$console" probe > "$out/probe.txt" 2>&1

step "GPU tests (serial, skips fail)" 180 "gpu-tests.txt, gpu-tests.xml" env TEXTGEN_REQUIRE_GPU=1 \
  "$tests" -parallel none -failSkips -noColor -longRunning 60 -xml "$out/gpu-tests.xml" > "$out/gpu-tests.txt" 2>&1

: > "$out/textgen.jsonl"
for config in ${configs//,/ }; do
  case $config in S) cap=60 ;; M) cap=90 ;; *) cap=150 ;; esac
  step "TextGen bench $config" $cap "textgen.jsonl, textgen-$config.err" "$console" bench --config "$config" --arch "$archs" \
    --device cuda --precision "$precisions" --json >> "$out/textgen.jsonl" 2> "$out/textgen-$config.err"
done

step "PyTorch + cuDNN" 150 "torch.jsonl, torch.err" env -u LD_LIBRARY_PATH "$python" tests/reference/torch_bench.py --device cuda \
  --config "$configs" --arch "$archs" --precision "$precisions" --json > "$out/torch.jsonl" 2> "$out/torch.err"

python3 tools/compare_gpu.py "$out/textgen.jsonl" "$out/torch.jsonl" --configs "$configs" --archs "$archs" --precisions "$precisions" > "$out/table.md"
[ $? -eq 0 ] || failed=1
{
  echo "# GPU check, $(date -u +%Y-%m-%dT%H:%MZ), $((SECONDS - started)) s of a ${budget} s budget: $([ $failed -eq 0 ] && echo passed || echo FAILED)"
  echo
  echo "GPU: $(head -1 "$out/machine.txt")"
  echo
  echo "Payload: $(cat "$app/textgen-gpu/BUILD" 2>/dev/null || echo 'not unpacked')"
  echo
  cat "$steps"
  echo
  echo "GPU tests: $(grep -E 'Total: ' "$out/gpu-tests.txt" 2>/dev/null | tail -1 | sed 's/^ *//')"
  echo
  cat "$out/table.md"
  echo
  echo "Probe:"; echo '```'; cat "$out/probe.txt"; echo '```'
  if grep -qE '\[FAIL\]' "$out/gpu-tests.txt" 2>/dev/null; then
    echo; echo "Failed GPU tests (first 20; gpu-tests.txt has why):"; echo '```'
    grep -E '\[FAIL\]' "$out/gpu-tests.txt" | sed 's/^ *//' | head -20; echo '```'
  fi
} > "$out/report.md"
cat "$out/report.md"
exit $failed
