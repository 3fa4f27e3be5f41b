#!/usr/bin/env bash
# What running the lessons in Jupyter needs, installed the way CI, the dev container and the tests do it:
# Debian's Jupyter (nbconvert, nbclient), the dotnet-interactive tool at the version the repository's tool manifest
# pins (.config/dotnet-tools.json, restored by `dotnet tool restore`), and its .net-csharp kernel, registered with its
# HTTP listener on loopback only and started by the restored tool's full path, so that neither PATH nor the folder
# a notebook sits in matters. Safe to run twice; apt waits for another apt (up to 10 minutes) instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

if [ ! -x /usr/bin/jupyter ] || ! /usr/bin/python3 -c "import nbclient, nbconvert, jupyter_client" 2>/dev/null; then
  apt_get update -qq
  # Without pandoc (a recommendation of nbconvert's): HTML and notebook output need none of it.
  apt_get install -y -qq --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipykernel >/dev/null
fi

# The tool goes into NuGet's package folder at the manifest's version; `dotnet tool run` starts it from there.
dotnet tool restore >/dev/null
tool=(dotnet tool run dotnet-interactive)
"${tool[@]}" jupyter install >/dev/null

# The kernel must start wherever the notebook is, also outside this clone, where `dotnet tool run` finds no manifest:
# the kernelspec names the restored tool's assembly, which the tool's own settings file names.
version=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tools"]["microsoft.dotnet-interactive"]["version"])' .config/dotnet-tools.json)
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
settings=$(ls "${packages%/}"/microsoft.dotnet-interactive/"$version"/tools/*/any/DotnetToolSettings.xml | head -n 1)
entry=$(sed -n 's/.*EntryPoint="\([^"]*\)".*/\1/p' "$settings")
dll="$(dirname "$settings")/$entry"
[ -f "$dll" ] || { echo "install-kernel: the restored tool's $dll is missing; run 'dotnet tool restore' in $(pwd)" >&2; exit 1; }

spec_dir=$(/usr/bin/jupyter kernelspec list --json 2>/dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["kernelspecs"][".net-csharp"]["resource_dir"])')
/usr/bin/python3 - "$spec_dir/kernel.json" "$dll" <<'PY'
import json, sys
path, dll = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
argv = spec["argv"]
# The tool writes ["dotnet", "interactive", "jupyter", ...] (a global tool's command); start the pinned assembly instead.
start = argv.index("jupyter")
argv[:start] = ["dotnet", dll]
if "--http-local-only" not in argv:
    argv.insert(argv.index("{connection_file}"), "--http-local-only")
json.dump(spec, open(path, "w"), indent=2)
PY
echo "kernel ready: .net-csharp (dotnet-interactive $("${tool[@]}" --version 2>/dev/null | head -1), from .config/dotnet-tools.json), $spec_dir/kernel.json"
