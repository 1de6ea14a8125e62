"""What can change an OCR reading is pinned where it can be and recorded in every run's
``results.json`` (issue 21, item 7): ONNX Runtime's session options, tesseract's
dot-product code, the engines' versions, their model files' hashes and the CPU."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mmx.ocr import environment, rapid, tesseract

CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 sha_ni
processor\t: 1
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 sha_ni
"""


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_cpu_model_and_the_flags_that_pick_kernels() -> None:
    assert environment.parse_cpuinfo(CPUINFO) == {
        "model": "AMD EPYC 7B13", "flags": ["sse2", "ssse3", "sse4_1", "sse4_2", "avx", "f16c", "fma", "avx2"]}
    assert environment.parse_cpuinfo("") == {"model": None, "flags": None}
    here = environment.cpu()
    assert here["machine"]
    if Path("/proc/cpuinfo").exists() and here["machine"] in ("x86_64", "AMD64"):
        assert "sse2" in here["flags"]  # every x86-64 CPU has it


def test_tesseract_dot_product_is_pinned_when_the_library_loads() -> None:
    """libtesseract picks its float dot product by CPU at load time; mmx pins a portable one
    first (setting the parameter through the API would change nothing)."""
    if importlib.util.find_spec("tesserocr") is None:
        pytest.skip("tesserocr is not installed")
    in_effect = ("import sys; from mmx.ocr import tesseract; assert 'tesserocr' not in sys.modules; "
                 "tesseract.installed(); import tesserocr; "
                 "print(tesserocr.PyTessBaseAPI(init=False).GetVariableAsString('dotproduct'))")
    recorded = "from mmx.ocr import tesseract; print(tesseract.settings()['dotproduct'])"
    env = {k: v for k, v in os.environ.items() if k != "DOTPRODUCT"}
    for code in (in_effect, recorded):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == tesseract.DOTPRODUCT == "std::inner_product"
    env["DOTPRODUCT"] = "sse"  # the user's choice stands, and is what the record says
    out = subprocess.run([sys.executable, "-c", recorded], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "sse"


def test_rapidocr_sessions_have_the_pinned_options() -> None:
    pytest.importorskip("rapidocr")
    import onnxruntime as ort

    for kind in rapid.KINDS:
        with rapid.engine(kind) as eng:
            if kind == "page":
                eng(np.full((64, 256, 3), 255, np.uint8), use_det=True, use_cls=False, use_rec=False)
                tasks = [eng.text_det]
            else:
                eng(np.full((48, 96, 3), 255, np.uint8), use_det=False, use_cls=False, use_rec=True)
                tasks = [eng.text_rec]
            for task in tasks:
                opts = task.session.session.get_session_options()
                if kind == "page":  # pages are read in parallel: one thread each
                    assert opts.intra_op_num_threads == 1 and opts.inter_op_num_threads == 1
                assert opts.use_deterministic_compute is True
                assert opts.execution_mode == ort.ExecutionMode.ORT_SEQUENTIAL
                assert opts.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
                assert task.session.session.get_providers() == ["CPUExecutionProvider"]


def test_the_record_names_versions_settings_and_the_files_read() -> None:
    pytest.importorskip("rapidocr")
    if "eng" not in tesseract.languages():
        pytest.skip("tesseract's eng pack is not installed")
    import onnxruntime
    import rapidocr

    from mmx.ocr import read_back

    line = np.full((40, 200), 255, np.uint8)
    line[12:28, 20:180:6] = 0  # some ink: both engines run
    read_back(line, "eng_Latn", engine="rapidocr")
    read_back(line, "eng_Latn", engine="tesseract")
    rec = environment.describe()
    json.dumps(rec)  # it goes into results.json
    assert rec["versions"]["onnxruntime"] == onnxruntime.__version__
    assert rec["versions"]["rapidocr"] and rec["versions"]["tesseract"] and rec["versions"]["leptonica"]
    assert rec["settings"]["onnxruntime"]["graph_optimization_level"] == "ORT_ENABLE_EXTENDED"
    assert rec["settings"]["onnxruntime"]["threads"]["page"] == [1, 1]
    assert rec["settings"]["tesseract"]["omp_thread_limit"]
    models = Path(rapidocr.__file__).parent / "models"
    rec_model = next(models.glob("*rec*.onnx"))
    assert rec["files"][f"rapidocr/{rec_model.name}"] == _sha256(rec_model)
    eng = Path(tesseract.tessdata_dir() or "") / "eng.traineddata"
    assert rec["files"]["tessdata/eng.traineddata"] == _sha256(eng)


def test_results_json_records_the_environment(tiny_set: Path, tmp_path: Path) -> None:
    """Every run's results.json says what can change an OCR number; the ocr-table run lists
    the model files its engines loaded, with their hashes."""
    pytest.importorskip("rapidocr")
    pytest.importorskip("rapidfuzz")
    from mmx.eval.runner import evaluate

    res = evaluate("mmcric", "majority", data=str(tiny_set), out=tmp_path / "maj", limit=1, progress=False)
    on_disk = json.loads((tmp_path / "maj" / "results.json").read_text())
    assert on_disk["environment"] == res["environment"]
    assert set(on_disk["environment"]) == {"cpu", "versions", "settings", "files"}
    assert on_disk["environment"]["cpu"]["machine"]
    evaluate("mmcric", "ocr-table", data=str(tiny_set), out=tmp_path / "ocr", limit=1, progress=False)
    files = json.loads((tmp_path / "ocr" / "results.json").read_text())["environment"]["files"]
    det = [k for k in files if k.startswith("rapidocr/") and "det" in k]
    assert det and all(len(files[k]) == 64 for k in det)
