"""Render profiles: every field is validated with one line naming it, from Python and from ``mmx render --set``."""

from __future__ import annotations

import dataclasses

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.render import Renderer, render_text
from mmx.render.profiles import RenderProfile, get_profile

# One bad value per field, each of a kind the field's range or type rejects.
BAD = [
    ("name", 3),
    ("layout", "spiral"),
    ("patch_size", 0),
    ("patch_size", 14.0),
    ("height", 0),
    ("width", 0),
    ("max_patches", 0),
    ("max_patches", -5),
    ("rows", 0),
    ("font_size", 0.0),
    ("font_size", float("nan")),
    ("pad", -1),
    ("margin", -2),
    ("margin", 10_000),  # too large for a page (a check of pages only)
    ("line_spacing", 0.0),
    ("eos_patch", "yes"),
    ("merge", 0),
    ("overflow", "wrap"),
    ("max_images", 0),
    ("rgb", 1),
    ("crop", None),
    ("fonts", ["a.ttf"]),
    ("cjk", "xx"),
    ("language", 7),
]


def test_every_field_has_a_bad_value_here() -> None:
    assert {f.name for f in dataclasses.fields(RenderProfile)} == {name for name, _ in BAD}


@pytest.mark.parametrize(("field", "value"), BAD)
@pytest.mark.parametrize("base", ["pixel", "seetok", "page"])
def test_bad_field_is_an_input_error_naming_it(base: str, field: str, value: object) -> None:
    overrides = {field: value}
    if (field, value) == ("margin", 10_000):
        overrides["layout"] = "page"
    with pytest.raises(InputError) as err:
        get_profile(base, **overrides)
    message = str(err.value)
    assert field in message and "\n" not in message


@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("patch_size=0", "patch_size must be 2..1024"),  # was a ZeroDivisionError traceback
        ("max_patches=0", "max_patches must be 2.."),  # was "leaves no room for text"
        ("max_patches=1", "end-of-sequence patch"),
        ("pad=-3", "pad must be"),
        ("line_spacing=0", "line_spacing must be"),
        ("merge=0", "merge must be"),
    ],
)
def test_cli_set_names_the_option(setting: str, needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "abc def", "--set", setting]) != 0
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


def test_max_patches_without_eos_may_be_one() -> None:
    r = render_text("a", "pixel", max_patches=1, eos_patch=False)
    assert r.fed_patches == 1 and not r.truncated


def test_valid_profiles_stay_valid() -> None:
    for name in ("pixel", "seetok", "page", "reader", "pixel_renderer"):
        prof = get_profile(name)
        assert Renderer(prof).render("ok").fed_patches >= 1
