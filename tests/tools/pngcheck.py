#!/usr/bin/env python3
"""pngcheck.py: check that regions of a PNG screenshot are drawn (not blank).

Standard library only (zlib + struct): Debian 12's python3 has no PIL unless
python3-pil is installed (python3-matplotlib pulls it in).

  pngcheck.py SHOT.png X,Y,W,H[:NAME] ...    regions in image pixels
  pngcheck.py SHOT.png --boxes BOXES.json     [{"name":..,"x":..,"y":..,"w":..,"h":..}, ...]

A region passes when at least MIN_INK (default 0.5 %) of its pixels differ from the
region's most common colour (the background), at least MIN_COLOUR (default 0.2 %) are
chromatic (max-min channel >= 60: data series, not black/grey axes and labels; set
MIN_COLOUR=0 for a greyscale figure) and it has at least 3 distinct colours.
Exit 0 all pass, 1 some region blank, 2 bad input.
"""
import json
import struct
import sys
import zlib
from collections import Counter


def read_png(path):
    """Return (width, height, channels, rows) with rows a list of bytes (8-bit only)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    w, h, depth, color, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG: depth {depth} colour type {color} interlace {interlace}")
    raw, stride, bpp = zlib.decompress(b"".join(idat)), w * channels, channels
    rows, prev = [], bytearray(stride)
    lo7, hi1 = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 0:
            rows.append(bytes(line)); prev = line; continue
        if ft == 2:  # Up, the usual one: bytewise add without carries, all bytes at once
            a, b = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
            line = bytearray((((a & lo7) + (b & lo7)) ^ ((a ^ b) & hi1)).to_bytes(stride, "big"))
            rows.append(bytes(line)); prev = line; continue
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if ft == 1: line[i] = (line[i] + a) & 255
            elif ft == 2: line[i] = (line[i] + b) & 255
            elif ft == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, channels, rows


def region_stats(img, x, y, w, h):
    W, H, ch, rows = img
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    px = Counter()
    for yy in range(y0, y1):
        r = rows[yy]
        for xx in range(x0, x1):
            px[r[xx * ch:xx * ch + min(ch, 3)]] += 1
    total = (x1 - x0) * (y1 - y0)
    bg, bgn = px.most_common(1)[0]
    # chromatic pixels: data series are coloured, axes/labels/gridlines are black or grey
    chroma = sum(n for c, n in px.items() if len(c) == 3 and max(c) - min(c) >= 60)
    return {"ink": 1 - bgn / total, "colour_ink": chroma / total, "colours": len(px),
            "background": tuple(bg), "pixels": total}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    env = __import__("os").environ
    min_ink = float(env.get("MIN_INK", "0.005"))
    min_colour = float(env.get("MIN_COLOUR", "0.002"))
    try:
        img = read_png(argv[1])
    except (OSError, ValueError, zlib.error) as e:
        print(f"pngcheck: {argv[1]}: {e}", file=sys.stderr)
        return 2
    boxes = []
    if argv[2] == "--boxes":
        with open(argv[3]) as f:
            boxes = json.load(f)
    else:
        for a in argv[2:]:
            spec, _, name = a.partition(":")
            x, y, w, h = (int(float(v)) for v in spec.split(","))
            boxes.append({"name": name or spec, "x": x, "y": y, "w": w, "h": h})
    if not boxes:
        print("pngcheck: no regions to check", file=sys.stderr)
        return 2
    bad = 0
    print(f"{argv[1]}: {img[0]}x{img[1]}, {img[2]} channels")
    for b in boxes:
        s = region_stats(img, int(b["x"]), int(b["y"]), int(b["w"]), int(b["h"]))
        ok = s is not None and s["ink"] >= min_ink and s["colours"] >= 3 \
            and s["colour_ink"] >= min_colour
        bad += not ok
        desc = "outside the image" if s is None else \
            f"ink {s['ink']*100:.1f}% coloured {s['colour_ink']*100:.2f}% colours {s['colours']} background {s['background']}"
        print(f"  {'ok   ' if ok else 'BLANK'} {b['name']} @{b['x']},{b['y']} {b['w']}x{b['h']}: {desc}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
