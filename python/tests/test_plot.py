"""Charts in Jupyter (issue 19, item 3): ``result.plot``, ``evaluation.plot`` and
``diagnosis.plot`` return matplotlib figures whose marks carry the numbers of the tables, every
chart is saved to PNG with a CJK font and no glyph missing (a "Glyph … missing from font"
warning fails the test), ``import citycheck`` does not import matplotlib, and ``_repr_html_``
shows a compact, escaped summary.

scripts/python-tests.sh installs matplotlib and, when matplotlib finds no CJK font, Debian's
fonts-noto-cjk."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import polars as pl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

import citycheck as cc
from citycheck import plot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> cc.Result:
    """The embedded default run: 14 Liaoning cities, 2008–2012, with gaps (本溪市 has no 2012)."""
    return cc.run(out=tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def evaluation(result: cc.Result) -> cc.Evaluation:
    assert result.evaluation is not None
    return result.evaluation


@pytest.fixture(scope="module")
def diagnosis(result: cc.Result) -> cc.Diagnosis:
    assert result.diagnosis is not None
    return result.diagnosis


def glyph_warnings(recorded: Any) -> list[str]:
    """The "Glyph … missing from (current) font" warnings among ``recorded``: tofu boxes."""
    return [str(w.message) for w in recorded if "Glyph" in str(w.message) and "missing from" in str(w.message)]


def save_png(figure: Figure, path: Path) -> bytes:
    """Saves ``figure`` to ``path`` and returns the bytes, failing on any missing glyph."""
    with warnings.catch_warnings(record=True) as recorded:
        warnings.simplefilter("always")
        figure.savefig(path, dpi=60)
    assert glyph_warnings(recorded) == []
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 2_000
    return data


@pytest.fixture
def no_tofu(recwarn: pytest.WarningsRecorder) -> Iterator[None]:
    """Fails the test if a glyph was missing while the figure was made or saved."""
    yield
    assert glyph_warnings(recwarn) == []


def fonts_of(texts: Any) -> set[str]:
    """The first font family of each text that holds a character."""
    return {t.get_fontfamily()[0] for t in texts if t.get_text()}


# ---------------------------------------------------------------------------------------
# The font
# ---------------------------------------------------------------------------------------


def test_the_chosen_font_is_a_cjk_font_with_the_glyphs() -> None:
    name = plot.cjk_font()
    assert name in plot.CJK_FONTS
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    face = font_manager.get_font(path)
    for char in "城市体检评估沈阳大连障碍度预警":
        assert face.get_char_index(ord(char)) != 0, char


def test_the_glyph_check_catches_tofu(tmp_path: Path) -> None:
    # The detector the other tests rely on: Chinese text in a Latin-only font warns.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        figure = Figure()
        figure.add_subplot().set_title("城市体检")
    with pytest.warns(UserWarning, match="Glyph .* missing from"):
        figure.savefig(tmp_path / "tofu.png")


def test_no_cjk_font_warns_once(monkeypatch: pytest.MonkeyPatch, recwarn: pytest.WarningsRecorder) -> None:
    monkeypatch.setattr(plot, "_chosen", {})
    monkeypatch.setattr(plot, "_known_cjk_font", lambda: None)
    monkeypatch.setattr(plot, "_add_system_cjk_fonts", lambda: None)
    assert plot.cjk_font() is None
    assert plot.cjk_font() is None
    messages = [str(w.message) for w in recwarn if issubclass(w.category, cc.CitycheckWarning)]
    assert len(messages) == 1
    assert "no font with Chinese glyphs" in messages[0] and "fonts-noto-cjk" in messages[0]


def test_import_citycheck_does_not_import_matplotlib() -> None:
    code = "import sys, citycheck; citycheck.Catalog.builtin(); print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_chart_without_matplotlib_says_what_to_install(result: cc.Result, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"citycheck\[plot\]"):
        result.plot.ranking(2012)


# ---------------------------------------------------------------------------------------
# result.plot
# ---------------------------------------------------------------------------------------


def test_ranking_has_a_bar_per_unit_with_its_score(result: cc.Result, tmp_path: Path, no_tofu: None) -> None:
    figure = result.plot.ranking(2012)
    ax = figure.axes[0]
    index = result.index(2012).filter(pl.col("score").is_not_null())
    assert index.height == 13  # 本溪市 has no 2012
    assert len(ax.patches) == index.height
    # Best on top: the labels read down in rank order, each bar as long as the unit's score.
    assert [t.get_text() for t in ax.get_yticklabels()] == index["unit"].to_list()
    widths = sorted(((p.get_y(), p.get_width()) for p in ax.patches), key=lambda yw: yw[0])
    assert [w for _, w in widths] == pytest.approx(index["score"].to_list(), abs=1e-9)
    assert ax.get_title() == "综合指数 排名（2012年）"
    save_png(figure, tmp_path / "ranking.png")
    # Drawn after the chart was made, the tick labels still write in the CJK font.
    font = plot.cjk_font()
    assert fonts_of(ax.get_yticklabels()) == {font}
    assert fonts_of(ax.get_xticklabels()) == {font}
    assert ax.title.get_fontfamily()[0] == font


def test_jupyter_shows_a_chart_as_png_without_pyplot(result: cc.Result, no_tofu: None) -> None:
    # Figures are made without pyplot, so Jupyter's inline backend may never have registered a
    # display for them: the figure gives its own PNG.
    code = (
        "import sys, tempfile, citycheck as cc; r = cc.run(out=tempfile.mkdtemp()); "
        "png = r.plot.ranking(2012)._repr_png_(); "
        "print(png[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
    assert result.plot.radar("沈阳市")._repr_png_().startswith(PNG_SIGNATURE)


def test_ranking_of_a_group_in_english(result: cc.Result, tmp_path: Path, no_tofu: None) -> None:
    figure = result.plot.ranking(2010, "ecology", lang="en")
    ax = figure.axes[0]
    rows = result.scores.filter((pl.col("node") == "ecology") & (pl.col("year") == 2010)).drop_nulls("score")
    assert len(ax.patches) == rows.height == 11
    assert ax.get_title() == "Ecology and liveability: ranking, 2010"
    save_png(figure, tmp_path / "ranking_en.png")


def test_ranking_defaults_to_the_latest_year(result: cc.Result) -> None:
    assert result.plot.ranking().axes[0].get_title().endswith("（2012年）")


def test_radar_draws_the_unit_against_the_median(result: cc.Result, tmp_path: Path, no_tofu: None) -> None:
    figure = result.plot.radar("沈阳市", 2012)
    ax = figure.axes[0]
    groups = ["vitality", "health", "ecology"]  # the catalogue's top-level groups, in order
    year = result.scores.filter((pl.col("year") == 2012) & pl.col("node").is_in(groups))
    own = [year.filter((pl.col("unit") == "沈阳市") & (pl.col("node") == g))["score"][0] for g in groups]
    # The median of every unit with a score, computed here by the standard library.
    median = [statistics.median(year.filter(pl.col("node") == g)["score"].drop_nulls().to_list()) for g in groups]
    unit_line, median_line = ax.lines[0], ax.lines[1]
    assert list(unit_line.get_ydata()) == pytest.approx([*own, own[0]], abs=1e-9)
    assert list(median_line.get_ydata()) == pytest.approx([*median, median[0]], abs=1e-9)
    assert list(unit_line.get_xdata()) == pytest.approx([0, 2 * math.pi / 3, 4 * math.pi / 3, 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["创新活力", "健康舒适", "生态宜居"]
    save_png(figure, tmp_path / "radar.png")


def test_radar_in_english_uses_the_english_names(result: cc.Result) -> None:
    ax = result.plot.radar("大连市", lang="en").axes[0]
    names = dict(result.catalog.groups.select("id", "name_en").iter_rows())
    assert [t.get_text() for t in ax.get_xticklabels()] == [names[g] for g in ("vitality", "health", "ecology")]


def test_radar_needs_three_groups(catalog: cc.Catalog) -> None:
    df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
                       "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
    small = cc.score(cc.Panel.from_wide(df, unit="city"), catalog)  # two groups: vitality, ecology
    with pytest.raises(cc.SpecError, match="three groups"):
        small.plot.radar("A")


def test_unknown_units_nodes_and_languages_are_refused(result: cc.Result, diagnosis: cc.Diagnosis) -> None:
    with pytest.raises(cc.SpecError, match=r"no unit '北京市'.*沈阳市"):
        result.plot.radar("北京市")
    with pytest.raises(cc.SpecError, match=r"no node 'ecolgy'.*ecology"):
        result.plot.ranking(2012, "ecolgy")
    with pytest.raises(cc.SpecError, match="'en' or 'zh'"):
        result.plot.ranking(2012, lang="fr")
    with pytest.raises(cc.SpecError, match="no unit '北京市'"):
        diagnosis.plot.obstacles("北京市")


# ---------------------------------------------------------------------------------------
# evaluation.plot
# ---------------------------------------------------------------------------------------


def test_trend_breaks_at_a_missing_year(evaluation: cc.Evaluation, tmp_path: Path, no_tofu: None) -> None:
    figure = evaluation.plot.trend("本溪市", "ecology")
    ax = figure.axes[0]
    line = ax.lines[0]
    wide = evaluation.result.to_wide("ecology").filter(pl.col("unit") == "本溪市")
    expected = [wide[str(y)][0] for y in range(2008, 2013)]
    assert expected[-1] is None  # no 2012
    assert list(line.get_xdata()) == [2008, 2009, 2010, 2011, 2012]
    ys = list(line.get_ydata())
    assert math.isnan(ys[-1])
    assert ys[:-1] == pytest.approx(expected[:-1], abs=1e-9)
    # Sen's line: intercept + slope · year at the first and last year of the series.
    row = evaluation.trends.filter((pl.col("unit") == "本溪市") & (pl.col("node") == "ecology")).row(0, named=True)
    sen = ax.lines[1]
    assert list(sen.get_xdata()) == [row["first_year"], row["last_year"]]
    assert list(sen.get_ydata()) == pytest.approx(
        [row["sen_intercept"] + row["sen_slope"] * t for t in (row["first_year"], row["last_year"])]
    )
    assert ax.get_title().startswith("本溪市 · 生态宜居：")
    save_png(figure, tmp_path / "trend.png")


def test_trend_of_an_indicator_has_no_sen_line(evaluation: cc.Evaluation, tmp_path: Path, no_tofu: None) -> None:
    # Sen's slope of an indicator is on its observed values, not on the scores drawn.
    figure = evaluation.plot.trend("大连市", "gdp", lang="en")
    assert len(figure.axes[0].lines) == 1
    save_png(figure, tmp_path / "trend_gdp.png")


def test_warnings_counts_each_level_per_unit(evaluation: cc.Evaluation, tmp_path: Path, no_tofu: None) -> None:
    figure = evaluation.plot.warnings()
    ax = figure.axes[0]
    rows = evaluation.warnings.filter(pl.col("year") == 2012)
    counts: dict[tuple[str, str], int] = {}
    for unit, level in rows.select("unit", "level").iter_rows():
        counts[(unit, level)] = counts.get((unit, level), 0) + 1
    units = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(units) == sorted(rows["unit"].unique().to_list())
    assert len(ax.patches) == 3 * len(units)
    # The bars come level by level (red, yellow, green), a bar per unit in the order of the labels.
    for k, level in enumerate(("red", "yellow", "green")):
        widths = [p.get_width() for p in ax.patches[k * len(units):(k + 1) * len(units)]]
        assert widths == [counts.get((u, level), 0) for u in units], level
    total = {level: sum(n for (_, lv), n in counts.items() if lv == level) for level in ("red", "yellow", "green")}
    assert ax.get_title() == f"预警（2012年）：红 {total['red']}、黄 {total['yellow']}、绿 {total['green']}"
    save_png(figure, tmp_path / "warnings.png")


# ---------------------------------------------------------------------------------------
# diagnosis.plot
# ---------------------------------------------------------------------------------------


def test_obstacles_pareto(diagnosis: cc.Diagnosis, tmp_path: Path, no_tofu: None) -> None:
    figure = diagnosis.plot.obstacles("丹东市")
    bars, share = figure.axes[0], figure.axes[1]
    rows = diagnosis.obstacles.filter((pl.col("unit") == "丹东市") & (pl.col("kind") == "indicator"))
    values = sorted(rows["obstacle"].to_list(), reverse=True)
    assert [p.get_height() for p in bars.patches] == pytest.approx(values)
    # The indicators' obstacles sum to 100 per unit, so the cumulative share ends at 100 %.
    running = [sum(values[: k + 1]) for k in range(len(values))]
    assert list(share.lines[0].get_ydata()) == pytest.approx(running)
    assert share.lines[0].get_ydata()[-1] == pytest.approx(100.0)
    names = dict(diagnosis.catalog.indicators.select("id", "name_zh").iter_rows()) if diagnosis.catalog else {}
    first = rows.sort("obstacle", descending=True)["node"][0]
    assert bars.get_xticklabels()[0].get_text() == names[first]
    save_png(figure, tmp_path / "obstacles.png")


def test_obstacles_top_k(diagnosis: cc.Diagnosis) -> None:
    figure = diagnosis.plot.obstacles("丹东市", top=3)
    assert len(figure.axes[0].patches) == 3


def test_a_diagnosis_from_diagnose_knows_its_catalogue(liaoning: pl.DataFrame, catalog: cc.Catalog) -> None:
    d = cc.diagnose(cc.Panel.from_frame(liaoning, unit="city"), catalog)
    assert d.catalog is not None and d.catalog.id == catalog.id
    assert d.plot.obstacles("沈阳市").axes[0].get_title() == f"沈阳市 障碍因子（{d.year}年）"


# ---------------------------------------------------------------------------------------
# _repr_html_: a compact summary, escaped
# ---------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_repr_html_escapes_unit_names(catalog: cc.Catalog) -> None:
    df = pl.DataFrame({"city": [SCRIPT, "B", "C"] * 3, "year": [2019] * 3 + [2020] * 3 + [2021] * 3,
                       "green_coverage_builtup": [30.0, 38.0, 34.0, 32.0, 40.0, 35.0, 35.0, 45.0, 37.0],
                       "tertiary_share": [40.0, 48.0, 44.0, 41.0, 50.0, 45.0, 42.0, 55.0, 46.0]})
    panel = cc.Panel.from_wide(df, unit="city")
    for obj in (cc.score(panel, catalog), cc.evaluate(panel, catalog), cc.diagnose(panel, catalog)):
        text = obj._repr_html_()
        assert "<script>" not in text, type(obj).__name__
        assert "&lt;script&gt;" in text, type(obj).__name__


def test_catalog_repr_html_counts_indicators_per_group() -> None:
    tiny = cc.Catalog.from_toml("\n".join([
        "[catalog]", 'id = "tiny"', 'name = "<b>最小</b>"', 'version = "1"',
        "[[groups]]", 'id = "ecology"', 'name_zh = "生态宜居"', 'name_en = "Ecology"',
        "[[indicators]]", 'id = "green"', 'name_zh = "绿化"', 'name_en = "Green"', 'group = "ecology"',
        'unit = "%"', 'direction = "higher"',
        "[[indicators]]", 'id = "trees"', 'name_zh = "树木"', 'name_en = "Trees"', 'group = "ecology"',
        'unit = "%"', 'direction = "higher"',
    ]) + "\n")
    text = tiny._repr_html_()
    assert "<b>最小</b>" not in text and "&lt;b&gt;最小&lt;/b&gt;" in text
    assert "1 group(s), 2 indicator(s)" in text
    assert "<td>2</td>" in text  # ecology holds both


def test_computed_has_a_summary() -> None:
    districts = pl.DataFrame({"year": [2024], "city_id": ["C01"], "district_id": [SCRIPT],
                              "area_km2": [2.0], "road_length_km": [8.0], "population": [14110],
                              "park_green_area_m2": [136516.0], "new_building_area_m2": [4080.0],
                              "green_new_building_area_m2": [3513.0]})
    out = cc.compute(districts, cc.Catalog.builtin("mohurd-2023"), levels=["district", "city"])
    text = out._repr_html_()
    assert text.startswith("<p><b>citycheck computed indicators:")
    assert "<script>" not in text
    levels = out.indicators.group_by("level").agg(pl.col("indicator").n_unique()).sort("level")
    for level, n in levels.iter_rows():
        assert f"<td>&quot;{level}&quot;</td><td>2024</td><td>1</td><td>{n}</td>" in text
