"""mmx.text sits at the bottom of the house: standard library and light packages only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_text_imports_neither_torch_nor_numpy() -> None:
    code = (
        "import sys\n"
        "from mmx.text import digits, distance, scripts, translit\n"
        "digits.to_ascii_digits('१२'); digits.write_digits('12', 'thai'); distance.cer('ab', 'a')\n"
        "scripts.dominant_script('कोहली'); translit.name_similarity('Virat Kohli', 'विराट कोहली')\n"
        "print(sorted({'numpy', 'torch'} & set(sys.modules)))\n"
        "print(sorted(m for m in sys.modules if m.startswith('mmx.') and not m.startswith(('mmx.text', 'mmx.errors'))))\n"
    )
    root = Path(__file__).resolve().parents[2]  # `python -c` puts the working folder first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split("\n")[:2] == ["[]", "[]"], out.stdout + out.stderr
