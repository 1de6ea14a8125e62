"""Render one line per script with each profile and save PNGs for docs/ (look at them).

    python figures/gallery.py --out docs/img

Uses the shipped sample sentences (mmx/assets/samples) plus a few hard cases.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from mmx.assets import samples_dir
from mmx.render import render_text

HARD = [
    ("mixed", "abc שלום 123 def (עברית) 2024"),
    ("scripts", "Hello नमस्ते مرحبا 你好 สวัสดี Привет"),
    ("hello", "Hello नमस्ते مرحبا 你好"),
    ("conjunct", "क्षत्रिय द्वार श्री स्त्री हृदय अर्द्ध"),
    ("joining", "بِسْمِ ٱللَّٰهِ لا إله كتب مكتبة"),
    ("emoji", "👩‍👩‍👧 🇮🇳 🇯🇵 ✅ a\u0301\u0302\u0303 e\u0308\u0323"),
    ("tofu", "private \U000f0000 and unassigned \u0378 code points"),
]


def sample_lines(root: Path) -> list[tuple[str, str]]:
    return [(f.stem, f.read_text(encoding="utf-8").splitlines()[1]) for f in sorted(root.glob("*_*.txt"))]


def stack(images: list[Image.Image], labels: list[str], scale: int) -> Image.Image:
    label_w = 80
    width = max(im.width for im in images) * scale + label_w
    height = sum(im.height * scale + 6 for im in images)
    sheet = Image.new("RGB", (width, height), (235, 235, 235))
    draw = ImageDraw.Draw(sheet)
    y = 0
    for im, label in zip(images, labels):
        big = im.convert("RGB").resize((im.width * scale, im.height * scale), Image.NEAREST)
        sheet.paste(big, (label_w, y))
        draw.text((4, y + 2), label, fill=(40, 40, 40))
        y += big.height + 6
    return sheet


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="docs/img")
    ap.add_argument("--samples", default=None, help="folder of <lang>_<Script>.txt files (default: mmx/assets/samples)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = sample_lines(Path(args.samples) if args.samples else samples_dir()) + HARD
    for profile, scale, crop in (("pixel", 2, 720), ("seetok", 2, None)):
        ims, labels = [], []
        for code, text in lines:
            r = render_text(text, profile)
            im = r.visualize()[0] if profile == "seetok" else r.image
            ims.append(im.crop((0, 0, min(im.width, crop), im.height)) if crop else im)
            labels.append(code)
        stack(ims, labels, scale).save(out / f"gallery_{profile}.png")
    page = render_text("\n".join(t for _, t in lines), "page")
    page.images[0].save(out / "gallery_page.png")
    # Whole pages of one script (every sample sentence of the language), shown at 2x.
    root = Path(args.samples) if args.samples else samples_dir()
    written = ["gallery_pixel.png", "gallery_seetok.png", "gallery_page.png"]
    for code in ("arb_Arab", "hin_Deva", "tha_Thai"):
        text = (root / f"{code}.txt").read_text(encoding="utf-8")
        im = render_text(text, "page").images[0]
        name = f"gallery_page_{code}.png"
        im.resize((im.width * 2, im.height * 2), Image.NEAREST).save(out / name)
        written.append(name)
    print(f"wrote {out}/" + ", ".join(written))


if __name__ == "__main__":
    main()
