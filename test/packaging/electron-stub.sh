#!/usr/bin/env bash
# Makes a local electronDist stub (no download: the Electron binary cannot be fetched in CI) so that
# `electron-builder --dir` runs offline. The packed app is for layout checks only; it does not start.
set -euo pipefail
dir="${1:-.cache/electron-stub}"
mkdir -p "$dir/resources" "$dir/locales"
[ -f "$dir/electron" ] || : >"$dir/electron"
chmod +x "$dir/electron"
printf '%s' "${ELECTRON_VERSION:-45.4.1}" >"$dir/version"
echo "$dir"
