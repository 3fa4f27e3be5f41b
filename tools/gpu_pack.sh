#!/usr/bin/env bash
# Packs what the device check (tools/gpu_check.sh) runs on a GPU machine that has no .NET SDK, and proves here that it runs.
#
#   bash tools/gpu_pack.sh          (here, with the SDK; about 5-15 minutes on a busy 2-core machine)
#
# It publishes the GPU tests (tests/TextGen.Cuda.Tests) and the GPU console (bench/TextGen.Cuda.Bench) self-contained for
# linux-x64, each trimmed in partial mode (the framework's unused code goes; our assemblies and xunit's stay whole), with
# invariant globalization (no libicu needed there) and English messages only. Files the two apps share byte for byte become
# hard links, which tar stores once, and the folder is compressed with xz into .gpu/textgen-gpu.txz (git-ignored; the device
# tool carries it with carry [".gpu"]). No TorchSharp, Playwright or Interactive kernel is in it: neither project needs them.
#
# Then, before it packs, it runs both trimmed apps here: every test that needs no GPU must pass (the GPU ones skip), and the
# console's probe must answer; so a trimming fault shows here, not on the device. Last, it measures what a device run
# carries (the payload plus every file git would copy: tracked, and untracked but not ignored) and fails above 56 MiB,
# which keeps 8 MiB of the device tool's 64 MiB free.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=.gpu/textgen-gpu
payload=.gpu/textgen-gpu.txz
limit_mib=56

rm -rf "$stage" "$payload"
mkdir -p "$stage"
# TRIM=false publishes untrimmed, the fallback should the device meet a trimming fault (MissingMethodException and the like):
# about 29 MiB instead of 14, which the limit below still admits while the repository stays near 27 MiB.
publish=(-c Release -r linux-x64 --self-contained true -p:PublishTrimmed=${TRIM:-true} -p:TrimMode=partial
  -p:SuppressTrimAnalysisWarnings=true -p:TreatWarningsAsErrors=false -p:InvariantGlobalization=true
  -p:SatelliteResourceLanguages=en -nologo -v quiet)
echo "publishing the GPU tests and the GPU console (self-contained linux-x64, $([ "${TRIM:-true}" = true ] && echo trimmed || echo untrimmed))"
# DevicePayload leaves out the test platform's adapter, which only `dotnet test` uses (TextGen.Cuda.Tests.csproj).
dotnet publish tests/TextGen.Cuda.Tests/TextGen.Cuda.Tests.csproj "${publish[@]}" -p:DevicePayload=true -o "$stage/tests" | grep -v 'warning IL' || true
dotnet publish bench/TextGen.Cuda.Bench/TextGen.Cuda.Bench.csproj "${publish[@]}" -o "$stage/bench" | grep -v 'warning IL' || true
for exe in "$stage/tests/TextGen.Cuda.Tests" "$stage/bench/TextGen.Cuda.Bench"; do
  [ -x "$exe" ] || { echo "pack: $exe was not published; run the two dotnet publish commands above without -v quiet to see why" >&2; exit 1; }
done

echo "running the published apps here (no GPU: the GPU tests skip, the probe reports what is missing)"
"$stage/tests/TextGen.Cuda.Tests" -parallel none -noColor -noLogo > "$stage.tests.txt" 2>&1 || {
  tail -30 "$stage.tests.txt" >&2; echo "pack: the published GPU test app failed here (above); nothing was packed" >&2; exit 1; }
grep -E 'Total: ' "$stage.tests.txt" | tail -1
set +e
"$stage/bench/TextGen.Cuda.Bench" probe > "$stage.probe.txt" 2>&1
probe=$?
set -e
if [ $probe -ne 0 ] && [ $probe -ne 2 ]; then
  cat "$stage.probe.txt" >&2; echo "pack: the published console's probe ended with $probe (0: usable, 2: unusable expected)" >&2; exit 1
fi
echo "console probe answered (exit $probe: $([ $probe -eq 0 ] && echo 'a GPU is usable here' || echo 'no usable GPU here, as expected'))"
rm -f "$stage.tests.txt" "$stage.probe.txt"

python3 - "$stage/tests" "$stage/bench" <<'PY'
import hashlib, os, sys
a, b = sys.argv[1], sys.argv[2]
digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
shared = 0
for name in os.listdir(b):
    pa, pb = os.path.join(a, name), os.path.join(b, name)
    if os.path.isfile(pa) and os.path.isfile(pb) and not os.path.islink(pb) and digest(pa) == digest(pb):
        shared += os.path.getsize(pb)
        os.remove(pb)
        os.link(pa, pb)
print(f"{shared / 2**20:.1f} MiB the two apps share are stored once")
PY
# Which code the device runs: the report prints it, since a payload outlives the commit it was packed from.
echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- lib bench tests || echo ' with uncommitted changes'), packed $(date -u +%Y-%m-%dT%H:%MZ)" > "$stage/BUILD"
XZ_OPT="-9 -T0" tar -C .gpu -cJf "$payload" textgen-gpu
rm -rf "$stage"

bytes=$(stat -c %s "$payload")
repo=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | awk 'END { print $1 }')
python3 - "$bytes" "$repo" "$limit_mib" <<'PY'
import sys
payload, repo, limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
mib = 1 << 20
print(f"payload {payload / mib:.1f} MiB + repository files {repo / mib:.1f} MiB = {(payload + repo) / mib:.1f} MiB carried "
      f"(device tool limit 64 MiB; this script's limit {limit} MiB)")
if payload + repo > limit * mib:
    sys.exit(f"pack: {(payload + repo) / mib:.1f} MiB is over {limit} MiB: remove untracked files, or shrink the payload")
PY
echo "packed $payload; on the GPU machine: bash tools/gpu_check.sh (docs/GPU.md gives the device tool's call)"
