#!/bin/bash
# chromium-shot.sh REPORT.html OUTDIR [LEGEND_TEXT...]
# Render a self-contained HTML report in headless Chromium (Debian's `chromium`, as root),
# take a screenshot, dump the DOM, and check: every <svg> region in the screenshot is drawn
# (not blank), and each LEGEND_TEXT occurs in the DOM. Leaves no process or file behind
# outside OUTDIR (profile, HOME, TMPDIR of Chromium all in OUTDIR/chrome; removed at the end
# unless KEEP=1).
#
# The <svg> boxes come from the page itself: a copy of the report with a small probe script
# appended writes the bounding boxes of all <svg> elements into a hidden <pre> that
# --dump-dom prints, so the test hard-codes no coordinates. One Chromium run does both the
# screenshot and the DOM dump (~1-2 s).
#
# Env: WINDOW=1200,2000  TIMEOUT=60  MIN_INK=0.005 (fraction of non-background pixels)
# Exit: 0 ok; 1 check failed; 2 usage; 3 chromium failed or timed out; 4 leftovers.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 2 ] || { echo "usage: chromium-shot.sh REPORT.html OUTDIR [LEGEND_TEXT...]" >&2; exit 2; }
[ -f "$1" ] || { echo "chromium-shot: no such file: $1" >&2; exit 2; }
REPORT=$(realpath "$1") || exit 2
mkdir -p "$2" && OUT=$(cd "$2" && pwd -P) || exit 2
shift 2
WINDOW=${WINDOW:-1200,2000}
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
CHROMIUM=$(command -v chromium) || { echo "chromium-shot: chromium not installed (make deps installs it)" >&2; exit 3; }

C="$OUT/chrome"
rm -rf "$C"; mkdir -p "$C/home" "$C/tmp" "$C/profile"

# ---- the probe copy of the report
$PY - "$REPORT" "$OUT/probe.html" <<'EOF'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
probe = """<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('svg').forEach(function (s, i) {
    var r = s.getBoundingClientRect();
    if (r.width < 50 || r.height < 50) return;   // icons, hidden or nested helpers
    out.push({name: s.id || ('svg' + i), x: Math.round(r.left + window.scrollX),
              y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height)});
  });
  var p = document.createElement('pre');
  p.id = 'layout-probe'; p.style.display = 'none'; p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
});
</script>"""
i = src.lower().rfind("</body>")
src = src[:i] + probe + src[i:] if i >= 0 else src + probe
open(sys.argv[2], "w", encoding="utf-8").write(src)
EOF

# ---- run Chromium in its own session/process group, bounded in time
shm_before=$(ls -A /dev/shm 2>/dev/null | sort)
t0=$(date +%s.%N)
HOME="$C/home" TMPDIR="$C/tmp" XDG_CONFIG_HOME="$C/home/.config" XDG_CACHE_HOME="$C/home/.cache" \
setsid timeout -k 5 "${TIMEOUT:-60}" "$CHROMIUM" \
  --headless --no-sandbox --disable-gpu --disable-crash-reporter --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --force-device-scale-factor=1 --hide-scrollbars --log-level=3 \
  --user-data-dir="$C/profile" --window-size="$WINDOW" \
  --screenshot="$OUT/shot.png" --dump-dom "file://$OUT/probe.html" \
  </dev/null >"$OUT/dom.html" 2>"$OUT/chromium.err" &
pg=$!
wait $pg; rc=$?
t1=$(date +%s.%N)
# setsid exec'd (a script's background job is not a group leader), so $! leads the new
# session and process group: kill what is left of it
kill -TERM -- -$pg 2>/dev/null; sleep 0.2; kill -KILL -- -$pg 2>/dev/null
echo "chromium: exit $rc in $(echo "$t1 - $t0" | bc) s"

status=0
if [ $rc != 0 ] || [ ! -s "$OUT/shot.png" ]; then
  [ $rc = 124 ] && echo "chromium-shot: chromium timed out" >&2
  echo "chromium-shot: chromium failed (exit $rc); its stderr:" >&2
  grep -v 'unexpected operator' "$OUT/chromium.err" >&2
  status=3
fi

# ---- leftovers: processes of this run (group, or our profile on their command line)
left=""
for d in /proc/[0-9]*; do
  q=${d#/proc/}
  { read -r st < "$d/stat"; } 2>/dev/null || continue
  s=${st##*) }; [ "${s:0:1}" = Z ] && continue          # zombies: PID 1 reaps them
  read -r -a f <<<"$s"; pgid=${f[2]}                    # state ppid pgrp ...
  if [ "$pgid" = "$pg" ]; then left+="$q "; continue; fi
  { mapfile -d '' -t cmd < "$d/cmdline"; } 2>/dev/null
  [[ "${cmd[*]:-}" == *"$C/"* ]] && left+="$q "
done
if [ -n "$left" ]; then
  echo "chromium-shot: processes left behind: $left" >&2
  status=4
fi
new_shm=$(comm -13 <(echo "$shm_before") <(ls -A /dev/shm 2>/dev/null | sort) | grep -i chrom)
stray=$(ls -A /tmp 2>/dev/null | grep -E '^\.(org\.chromium|com\.google\.Chrome)|^scoped_dir')
if [ -n "$new_shm$stray" ]; then
  echo "chromium-shot: files left outside $OUT: $new_shm $stray" >&2
  status=4
fi

[ $status = 3 ] && exit 3

# ---- checks: plot regions drawn, legend text in the DOM
$PY - "$OUT/dom.html" "$OUT/boxes.json" <<'EOF' || status=1
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="layout-probe"[^>]*>(.*?)</pre>', dom, re.S)
if not m:
    sys.exit("chromium-shot: no layout probe in the DOM dump (page did not load?)")
boxes = json.loads(html.unescape(m.group(1)))
if not boxes:
    sys.exit("chromium-shot: the page has no visible <svg> of 50x50 px or more")
json.dump(boxes, open(sys.argv[2], "w"))
EOF
if [ -s "$OUT/boxes.json" ]; then
  $PY "$HERE/pngcheck.py" "$OUT/shot.png" --boxes "$OUT/boxes.json" || status=1
fi
# text nodes only: strip tags from the dump once (a grep -q on a pipe would stop early and,
# under pipefail, fail the pipe), then look for each legend text
sed -e 's/<[^>]*>/\n/g' "$OUT/dom.html" > "$OUT/dom.txt"
for t in "$@"; do
  if ! grep -qF -- "$t" "$OUT/dom.txt"; then
    echo "chromium-shot: legend text '$t' not in the DOM" >&2; status=1
  fi
done
[ -n "${KEEP:-}" ] || rm -rf "$C"
[ $status = 0 ] && echo "chromium-shot: ok ($OUT/shot.png)"
exit $status
