#!/usr/bin/env bash
# Prepares a fresh clone for the lessons, as the dev container does on creation: the Jupyter .NET kernel (the tool
# at the version .config/dotnet-tools.json pins), the course package and its NuGet feed, and the corpora. Run it from anywhere as yourself; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# As root under sudo, the kernel, the tool and the NuGet source would be registered for root, not for the
# learner, and the build outputs in the clone would belong to root; install-kernel.sh asks sudo for apt alone.
if [ "$(id -u)" = 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  echo "setup: run this as $SUDO_USER, without sudo (it calls sudo itself for apt-get only)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null && [ ! -x /usr/bin/jupyter ]; then
  echo "setup: Jupyter is missing and installing it with apt-get needs root or sudo; run this as root once" >&2
  exit 1
fi

steps=3
n=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# One line per step: what it did (the last output line that matches PATTERN) and how long it took. The full
# output is kept for a failure, and printed then, because the creation log is where a learner will look.
step() {
  local title=$1 pattern=$2; shift 2
  n=$((n + 1))
  local start=$SECONDS code=0
  "$@" >"$log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    echo "setup [$n/$steps] $title: FAILED (exit $code) after $((SECONDS - start)) s; its output:" >&2
    cat "$log" >&2
    exit "$code"
  fi
  echo "setup [$n/$steps] $title: $(grep -E "$pattern" "$log" | tail -n 1 || true) ($((SECONDS - start)) s)"
}

# Functions run under `||` lose set -e, so each command here stops the step by itself.
corpora() {
  ./textgen data fetch || return
  local list
  list=$(./textgen data list) || return
  echo "$(grep -c 'bytes  cached' <<<"$list") of $(grep -c ' bytes ' <<<"$list") corpora cached in $(sed -n 's/^cache: //p' <<<"$list")"
}

step "Jupyter and the .NET (C#) kernel" '^kernel ready' bash tools/install-kernel.sh
step "course package" "^NuGet source" ./textgen notebook setup
step "corpora" 'corpora cached' corpora
echo "setup done: open notebooks/01-setup.ipynb and pick the .NET (C#) kernel (Select Kernel, top right, then Jupyter Kernel), then run the cells"
