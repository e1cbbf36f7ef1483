#!/usr/bin/env bash
# The training tests again on torch 2.x (the GPU machine runs torch 2.11 with numpy 2), in a virtual environment
# built offline from the wheels this machine image keeps on disk. Writes its pytest log to $1 and exits with
# pytest's code; exits 5 (no tests) with a note where the wheels or Python 3.11 are missing or do not install.
set -uo pipefail
export PIP_DISABLE_PIP_VERSION_CHECK=1
log="$1"
# Outside the working tree: ESLint and the other gates would walk its site-packages (torch ships .js files).
venv="${TORCH2_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/deblur-studio/torch2-venv}"
links=()
for d in /opt/pypi/files /opt/pypi-more/files /opt/wheels; do
  [ -d "$d" ] && links+=(--find-links "$d")
done
py="$(command -v python3.11 || true)"
if [ -z "$py" ] || ! ls /opt/wheels/torch-2*+cpu-cp311-*.whl > /dev/null 2>&1; then
  echo "note: no Python 3.11 or torch 2 CPU wheel on this machine; the torch 2 run is skipped" | tee "$log"
  exit 5
fi
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv" &&
    "$venv/bin/pip" install -q --no-index "${links[@]}" "torch==2.*" onnx pillow pyyaml pytest numpy ||
    { echo "note: the local wheels did not make a torch 2 environment here; the torch 2 run is skipped" | tee "$log"
      rm -rf "$venv"; exit 5; }
fi
"$venv/bin/python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
"$venv/bin/python" -m pytest training -q -p no:cacheprovider 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
