"""A unit with a missing indicator (issue 17 item 4): ``scores.coverage`` and ``missing="empty"``.

The panel (one year): group g1 of i1, i2 and group g2 of i3, all higher is better; B has no i2.

    unit  i1  i2  i3
    A     10  40  1
    B     25  --  2
    C     30  30  3

By hand with ``spec="default"`` (min_max [0, 100] over the panel, equal weights, arithmetic):
i1 → A 0, B 75, C 100; i2 → A 100, C 0; i3 → A 0, B 50, C 100. ``renormalize``: B's g1 = 75
(i1 alone), index (75 + 50)/2 = 62.5. Coverage (Σ w·coverage over Σ w): B's i2 0, g1 ½, index
(½·½ + ½·1) = 0.75, everything else 1. ``empty``: B's g1 and index have no score; A's index
(50 + 0)/2 = 25 and C's (50 + 100)/2 = 75 as before.
"""

import polars as pl
import pytest

import citycheck as cc

CATALOG = """
[catalog]
id = "coverage-test"
name = "覆盖度测试"
version = "1"

[[groups]]
id = "g1"
name_zh = "维度一"
name_en = "Group 1"

[[groups]]
id = "g2"
name_zh = "维度二"
name_en = "Group 2"

[[indicators]]
id = "i1"
name_zh = "指标一"
name_en = "Indicator 1"
group = "g1"
unit = "index"
direction = "higher"

[[indicators]]
id = "i2"
name_zh = "指标二"
name_en = "Indicator 2"
group = "g1"
unit = "index"
direction = "higher"

[[indicators]]
id = "i3"
name_zh = "指标三"
name_en = "Indicator 3"
group = "g2"
unit = "index"
direction = "higher"
"""


def panel() -> cc.Panel:
    frame = pl.DataFrame(
        {
            "unit": ["A", "A", "A", "B", "B", "B", "C", "C", "C"],
            "year": [2024] * 9,
            "indicator": ["i1", "i2", "i3"] * 3,
            "value": [10.0, 40.0, 1.0, 25.0, None, 2.0, 30.0, 30.0, 3.0],
        }
    )
    return cc.Panel.from_frame(frame)


def cell(scores: pl.DataFrame, unit: str, node: str, column: str) -> float | None:
    row = scores.filter((pl.col("unit") == unit) & (pl.col("node") == node))
    assert row.height == 1
    value = row[column][0]
    return None if value is None else float(value)


def test_renormalize_reports_the_coverage() -> None:
    result = cc.score(panel(), cc.Catalog.from_toml(CATALOG), "default", missing="renormalize")
    assert result.scores.columns[-2:] == ["imputed", "coverage"]
    assert cell(result.scores, "B", "index", "score") == pytest.approx(62.5)
    assert cell(result.scores, "B", "i2", "coverage") == 0.0
    assert cell(result.scores, "B", "g1", "coverage") == pytest.approx(0.5)
    assert cell(result.scores, "B", "index", "coverage") == pytest.approx(0.75)
    below = result.scores.filter(pl.col("coverage") < 1)
    assert sorted(below["node"].to_list()) == ["g1", "i2", "index"]
    assert "partial_coverage" in result.warnings_table["code"].to_list()


def test_empty_leaves_that_units_node_without_a_score() -> None:
    result = cc.score(panel(), cc.Catalog.from_toml(CATALOG), "default", missing="empty")
    assert cell(result.scores, "B", "g1", "score") is None
    assert cell(result.scores, "B", "index", "score") is None
    assert cell(result.scores, "B", "g2", "score") == pytest.approx(50.0)
    assert cell(result.scores, "A", "index", "score") == pytest.approx(25.0)
    assert cell(result.scores, "C", "index", "score") == pytest.approx(75.0)
    assert cell(result.scores, "B", "index", "coverage") == pytest.approx(0.75)
