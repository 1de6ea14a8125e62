"""The documentation's pictures of the held-out layouts (``docs/mmcric_heldout.md``).

``python -m tests.eval.benches.mmcric.heldout.pictures --out docs/img`` writes
``mmcric_heldout_<layout>.png`` for each layout: the top of the English card of one ODI (the
tests' ``random.Random(2)`` ODI), cropped to ``--height`` pixels, as a palette PNG.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    from mmx.eval.benches.mmcric.canvas import encode_png
    from mmx.eval.benches.mmcric.match import simulate_match
    from tests.eval.benches.mmcric.heldout.layouts import LAYOUTS, draw

    p = argparse.ArgumentParser(prog="python -m tests.eval.benches.mmcric.heldout.pictures")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--height", type=int, default=760, help="crop height in pixels (default 760)")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    m = simulate_match(random.Random(2), "ODI")
    for layout in LAYOUTS:
        img = draw(m, [0, 1], layout, "en")[0]
        img = img.crop((0, 0, img.width, min(args.height, img.height)))
        path = out / f"mmcric_heldout_{layout}.png"
        path.write_bytes(encode_png(img, compress_level=9))
        print(f"{path} {img.width}x{img.height} {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
