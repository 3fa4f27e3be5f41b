#!/usr/bin/env bash
# What running the lessons in Jupyter needs, installed the way CI, the dev container and the tests do it:
# Debian's Jupyter (nbconvert, nbclient), the dotnet-interactive tool, and its .net-csharp kernel, registered
# with its HTTP listener on loopback only and started by the tool's full path (so PATH does not matter).
# Safe to run twice.
set -euo pipefail
tool_version=1.0.712001
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/jupyter ] || ! /usr/bin/python3 -c "import nbclient, nbconvert, jupyter_client" 2>/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipykernel >/dev/null
fi

tools="$HOME/.dotnet/tools"
export PATH="/usr/bin:$PATH:$tools"
if ! dotnet tool list -g | grep -qiE "^microsoft\.dotnet-interactive +$tool_version"; then
  dotnet tool update -g Microsoft.dotnet-interactive --version "$tool_version" >/dev/null
fi
dotnet interactive jupyter install >/dev/null

spec_dir=$(/usr/bin/jupyter kernelspec list --json 2>/dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["kernelspecs"][".net-csharp"]["resource_dir"])')
/usr/bin/python3 - "$spec_dir/kernel.json" "$tools/dotnet-interactive" <<'PY'
import json, sys
path, tool = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
argv = spec["argv"]
if argv[:2] == ["dotnet", "interactive"]:
    argv[:2] = [tool]
if "--http-local-only" not in argv:
    argv.insert(argv.index("{connection_file}"), "--http-local-only")
json.dump(spec, open(path, "w"), indent=2)
PY
echo "kernel ready: .net-csharp ($(dotnet interactive --version 2>/dev/null | head -1)), $spec_dir/kernel.json"
