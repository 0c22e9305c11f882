#!/usr/bin/env bash
# Regenerates the README's window screenshots (resources/screenshots/*.png)
# with the GUI's --screenshot: each from a clean settings folder holding only
# the parameters named below (the rest are the first-run defaults: beam
# search, 8 new tokens, "The cat sat on the"), on an offscreen
# screen of the picture's size. The 16:9 slide comes from `beamscope-cli
# render` (README), not from here. Open the PNGs and look at them after.
#   tests/ui/make_screenshots.sh [BUILD_DIR (build)] [OUT_DIR (resources/screenshots)]
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-resources/screenshots}
APP="$BUILD/app/beamscope"
[ -x "$APP" ] || { echo "no $APP: build with the UI first" >&2; exit 1; }
mkdir -p "$OUT"

# shot NAME SCREEN_WxH WINDOW_WxH "key=value ..." [app options...]
shot() {
  local name=$1 screen=$2 size=$3 params=$4
  shift 4
  local dir
  dir=$(mktemp -d)
  mkdir -p "$dir/config/Beamscope"
  {
    echo "[params]"
    for kv in $params; do echo "$kv"; done
  } > "$dir/config/Beamscope/Beamscope.conf"
  cat > "$dir/screen.json" <<JSON
{"screens": [{"name": "screen", "x": 0, "y": 0, "width": ${screen%x*}, "height": ${screen#*x},
  "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
JSON
  XDG_CONFIG_HOME="$dir/config" QT_QPA_PLATFORM="offscreen:configfile=$dir/screen.json" \
    "$APP" --size "$size" --screenshot "$OUT/$name.png" "$@"
  rm -rf "$dir"
  echo "$OUT/$name.png"
}

BEAM3="num_beams=3 num_return_sequences=3"
shot beam-tree 1680x1050 1680x1050 "$BEAM3"
shot beam-5-kept 1680x1050 1680x1050 "num_beams=5 num_return_sequences=5" --view kept
shot beam-16-kept 1680x1050 1680x1050 \
  "num_beams=16 num_return_sequences=16 max_new_tokens=30 alternatives=5" --view kept
shot presentation-beam-5 1920x1080 1920x1080 "num_beams=5 num_return_sequences=5" --presentation
shot min-p-inspector 1600x1000 1600x1000 \
  "min_p=0.15 temperature=0.8 num_samples=8 num_return_sequences=4" --strategy min-p --inspect 3
shot inspector-stages 1600x1000 1600x1000 \
  "temperature=0.8 top_k=40 top_p=0.9 min_p=0.05 num_samples=8 num_return_sequences=4" \
  --strategy custom --inspect 3
shot dark-theme 1600x900 1600x900 "$BEAM3" --theme dark
shot laptop-1366x768 1366x768 1366x768 "$BEAM3"
QT_SCALE_FACTOR=2 shot hidpi-2x 2560x1440 1280x720 "$BEAM3"
