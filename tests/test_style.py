"""One colour per source, and figures whose bytes do not change when redrawn."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from framing.views import style  # noqa: E402


def _draw():
    style.apply()
    fig, ax = plt.subplots(figsize=(3, 2))
    colors = style.source_colors(["b", "a", "c"])
    for i, (doc, color) in enumerate(colors.items()):
        ax.bar(i, i + 1, color=color, label=doc)
    ax.set_title("Bars")
    ax.legend()
    return fig


def test_saved_png_and_svg_are_byte_identical_on_redraw(tmp_path):
    first = style.save(_draw(), "fig", tmp_path / "one")
    second = style.save(_draw(), "fig", tmp_path / "two")
    plt.close("all")
    assert [p.suffix for p in first] == [".png", ".svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[1].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in first[0].read_bytes()


def test_source_colours_are_fixed_distinct_and_order_free():
    a = style.source_colors(["003", "001", "002"])
    b = style.source_colors(["002", "003", "001", "001"])
    assert a == b
    assert list(a) == ["001", "002", "003"]
    assert len(set(a.values())) == 3
    many = style.source_colors([f"s{i:02d}" for i in range(12)])
    assert len(set(many.values())) == 12


def test_palette_starts_with_okabe_ito():
    assert style.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


def test_tint_mixes_with_white():
    assert style.tint("#000000", 0.5) == "#808080"
    assert style.tint("#D66B00", 0) == "#D66B00" and style.tint("#D66B00", 1) == "#FFFFFF"
    light = style.tint(style.FRAME_COLORS["risk"])
    assert light not in (style.FRAME_COLORS["risk"], "#FFFFFF")
    with pytest.raises(ValueError, match="between 0 and 1"):
        style.tint("#000000", 1.5)
