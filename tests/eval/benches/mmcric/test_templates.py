"""The templates: each looks different, and Hindi text is drawn a little larger."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mmx.eval.benches.mmcric.card import build_card
from mmx.eval.benches.mmcric.templates import TEMPLATES, check_template, draw_card


def test_templates_differ(matches):
    card = build_card(matches["ODI"], [0, 1], "en", "western")
    imgs = [np.asarray(draw_card(card, t, "en")) for t in TEMPLATES]
    for x, y in itertools.combinations(imgs, 2):
        assert x.shape != y.shape or not np.array_equal(x, y)


def test_hindi_type_is_larger(matches):
    card = build_card(matches["T20"], [0, 1], "hi", "western")
    hi, en = np.asarray(draw_card(card, "classic", "hi")), np.asarray(draw_card(card, "classic", "en"))
    assert hi.shape == en.shape  # the same rows: only the type grows
    assert not np.array_equal(hi, en)
    assert (hi < 128).sum() > (en < 128).sum()  # more ink


def test_check_template():
    for t in TEMPLATES:
        check_template(t)
    with pytest.raises(ValueError, match=r"classic.*dark.*compact"):
        check_template("fancy")
