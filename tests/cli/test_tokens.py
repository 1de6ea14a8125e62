"""``mmx tokens`` on a corpus with nothing to measure: one line, never a traceback."""

from __future__ import annotations

import pytest

from mmx.cli import main


@pytest.mark.parametrize("ocr_lines", ["0", "2"])
def test_a_corpus_of_empty_files_is_one_line(tmp_path, ocr_lines, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hin_Deva.txt").write_text("")
    (corpus / "eng_Latn.txt").write_text("\n  \n")
    rc = main(["tokens", "--corpus", str(corpus), "--ocr-lines", ocr_lines, "--chart", str(tmp_path / "c.png")])
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert rc == 2 and len(lines) == 1 and lines[0].startswith("mmx tokens: error: "), err
    assert "no non-empty lines" in lines[0] and "eng_Latn.txt" in lines[0] and "hin_Deva.txt" in lines[0], err
    assert not (tmp_path / "c.png").exists()
