"""Tables for a paper (issue 19, item 4): ``Result.to_wide`` (unit × year, unit × node) with the
catalogue's names as headers, missing unit-years as nulls; ``write()`` on every result object
through one helper, CSV with a UTF-8 byte order mark for ``lang="zh"``; VIKOR ranks as
integers; catalogue aliases as lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

import citycheck as cc
from citycheck._tables import BOM, add_bom, neutralize_formula

YEARS = ["2008", "2009", "2010", "2011", "2012"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="module")
def result(run_dir: Path) -> cc.Result:
    """The embedded default run (14 cities, 2008–2012; some unit-years have no score)."""
    return cc.run(out=run_dir)


# ---------------------------------------------------------------------------------------
# to_wide
# ---------------------------------------------------------------------------------------


def test_unit_by_year_cells_equal_the_long_table(result: cc.Result) -> None:
    wide = result.to_wide("index")
    assert wide.columns == ["unit", *YEARS]
    assert wide["unit"].to_list() == sorted(result.scores["unit"].unique().to_list())
    long = result.scores.filter(pl.col("node") == "index")
    expected = {(u, str(y)): s for u, y, s in long.select("unit", "year", "score").iter_rows()}
    for row in wide.iter_rows(named=True):
        for year in YEARS:
            assert row[year] == expected.get((row["unit"], year)), (row["unit"], year)
    # Every unit-year without a score row is null, not dropped and not zero: 14 × 5 cells.
    assert wide.height * len(YEARS) == 70
    nulls = sum(wide[y].null_count() for y in YEARS)
    assert nulls == 70 - sum(1 for v in expected.values() if v is not None)
    assert wide.filter(pl.col("unit") == "本溪市")["2012"].to_list() == [None]


def test_unit_by_node_cells_equal_the_long_table(result: cc.Result) -> None:
    wide = result.to_wide(year=2011)
    long = result.scores.filter(pl.col("year") == 2011)
    nodes = long["node"].unique(maintain_order=True).to_list()
    assert wide.columns == ["unit", *nodes]
    assert nodes[:4] == ["index", "vitality", "health", "ecology"]
    expected = {(u, n): s for u, n, s in long.select("unit", "node", "score").iter_rows()}
    for row in wide.iter_rows(named=True):
        for node in nodes:
            assert row[node] == expected.get((row["unit"], node)), (row["unit"], node)
    # Units without a 2011 score still have a row, all null.
    missing = set(wide["unit"].to_list()) - set(long["unit"].to_list())
    assert missing
    for unit in missing:
        assert wide.filter(pl.col("unit") == unit).drop("unit").null_count().row(0) == (1,) * len(nodes)


def test_chinese_and_english_headers_from_the_catalogue(result: cc.Result) -> None:
    catalog = result.catalog
    zh = dict(catalog.indicators.select("id", "name_zh").iter_rows()) | dict(catalog.groups.select("id", "name_zh").iter_rows())
    en = dict(catalog.indicators.select("id", "name_en").iter_rows()) | dict(catalog.groups.select("id", "name_en").iter_rows())
    ids = result.to_wide(year=2012)
    nodes = ids.columns[1:]
    assert result.to_wide(year=2012, lang="zh").columns == ["单位", "综合指数", *[zh[n] for n in nodes[1:]]]
    assert result.to_wide(year=2012, lang="en").columns == ["unit", "Index", *[en[n] for n in nodes[1:]]]
    # The cells do not depend on the headers.
    assert result.to_wide(year=2012, lang="zh").rows() == ids.rows()
    groups = result.to_wide(year=2012, kind="group", lang="zh")
    assert groups.columns == ["单位", "创新活力", "健康舒适", "生态宜居"]
    # A unit × year table names the unit column and keeps the years.
    assert result.to_wide("ecology", lang="zh").columns == ["单位", *YEARS]


def test_nodes_of_the_same_name_get_their_id() -> None:
    catalog = cc.Catalog.from_toml("\n".join([
        "[catalog]", 'id = "twins"', 'name = "twins"', 'version = "1"',
        "[[groups]]", 'id = "ecology"', 'name_zh = "生态"', 'name_en = "Ecology"',
        "[[indicators]]", 'id = "a"', 'name_zh = "绿化"', 'name_en = "Green"', 'group = "ecology"',
        'unit = "%"', 'direction = "higher"',
        "[[indicators]]", 'id = "b"', 'name_zh = "绿化"', 'name_en = "Green B"', 'group = "ecology"',
        'unit = "%"', 'direction = "higher"',
    ]) + "\n")
    df = pl.DataFrame({"city": ["X", "Y"], "year": [2020, 2020], "a": [1.0, 2.0], "b": [3.0, 1.0]})
    wide = cc.score(cc.Panel.from_wide(df, unit="city"), catalog).to_wide(year=2020, kind="indicator", lang="zh")
    assert wide.columns == ["单位", "绿化 (a)", "绿化 (b)"]


def test_ranks_stay_integers(result: cc.Result) -> None:
    ranks = result.to_wide("index", value="rank")
    assert all(ranks[y].dtype.is_integer() for y in YEARS)
    long = result.scores.filter((pl.col("node") == "index") & (pl.col("year") == 2012))
    assert dict(ranks.select("unit", "2012").drop_nulls().iter_rows()) == dict(
        long.select("unit", "rank").drop_nulls().iter_rows()
    )


def test_to_wide_refuses_unclear_calls(result: cc.Result) -> None:
    with pytest.raises(cc.SpecError, match="one of the two"):
        result.to_wide()
    with pytest.raises(cc.SpecError, match="one of the two"):
        result.to_wide("index", year=2012)
    with pytest.raises(cc.SpecError, match="no node 'indx'"):
        result.to_wide("indx")
    with pytest.raises(cc.SpecError, match="no scores in 1999"):
        result.to_wide(year=1999)
    with pytest.raises(cc.SpecError, match="'score' or 'rank'"):
        result.to_wide("index", value="weight")
    with pytest.raises(cc.SpecError, match="'en' or 'zh'"):
        result.to_wide("index", lang="de")
    with pytest.raises(cc.SpecError, match="kind"):
        result.to_wide(year=2012, kind="groups")


# ---------------------------------------------------------------------------------------
# VIKOR ranks, aliases
# ---------------------------------------------------------------------------------------


def test_vikor_ranks_are_integers() -> None:
    # By hand (Opricovic & Tzeng 2004's Q with v = 0.5): criterion 1 a cost (best 8, worst 12),
    # criterion 2 a benefit (best 9, worst 5), weights ½ each.
    #   A (10, 7): S = ½·2/4 + ½·2/4 = 0.5, R = 0.25;  B (12, 9): S = 0.5, R = 0.5;
    #   C (8, 5):  S = 0.5, R = 0.5.  S is the same everywhere (its term is 0), so
    #   Q = ½ (R − 0.25) / (0.5 − 0.25) = 0, 0.5, 0.5 → ranks 1, 2, 2 (ties share a rank).
    r = cc.mcda.vikor([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], ["lower", "higher"])
    assert r.q.tolist() == pytest.approx([0.0, 0.5, 0.5])
    assert r.ranks.dtype == np.int64
    assert r.ranks.tolist() == [1, 2, 2]
    assert all(type(k) is int for k in r.ranks.tolist())


def test_vikor_aggregation_ranks_are_integers_in_long_and_wide_tables(catalog: cc.Catalog) -> None:
    df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
                       "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
    result = cc.score(cc.Panel.from_wide(df, unit="city"), catalog, aggregate="vikor")
    assert result.scores.schema["rank"].is_integer()
    wide = result.to_wide(year=2021, value="rank")
    assert all(dtype.is_integer() for dtype in wide.drop("unit").dtypes)
    assert sorted(wide["index"].to_list()) == [1, 2, 3]


def test_aliases_are_lists(catalog: cc.Catalog) -> None:
    table = catalog.indicators
    assert table.schema["aliases"] == pl.List(pl.String)
    aliases = dict(table.select("id", "aliases").iter_rows())
    # indicators/ccsy-example.toml: aliases = ["地区生产总值_当年价格_全市_万元", "GDP"]
    assert aliases["gdp"] == ["地区生产总值_当年价格_全市_万元", "GDP"]
    assert aliases["population"] == ["年末总人口_全市_万人", "年末总人口"]
    assert all(isinstance(a, list) and a for a in aliases.values())  # every indicator there has some


def test_an_alias_holding_the_old_separator_stays_whole() -> None:
    catalog = cc.Catalog.from_toml("\n".join([
        "[catalog]", 'id = "sep"', 'name = "sep"', 'version = "1"',
        "[[indicators]]", 'id = "a"', 'name_zh = "甲"', 'name_en = "A"', 'unit = "%"', 'direction = "higher"',
        'aliases = ["x; y", "z"]',
        "[[indicators]]", 'id = "b"', 'name_zh = "乙"', 'name_en = "B"', 'unit = "%"', 'direction = "higher"',
    ]) + "\n")
    assert catalog.indicators["aliases"].to_list() == [["x; y", "z"], []]


# ---------------------------------------------------------------------------------------
# write(): one helper for every result object
# ---------------------------------------------------------------------------------------


def test_result_and_evaluation_write_the_files_of_a_run(result: cc.Result, run_dir: Path, tmp_path: Path) -> None:
    # Written in Python, byte for byte the files the library wrote for the run.
    assert result.evaluation is not None
    paths = result.write(tmp_path) + result.evaluation.write(tmp_path)
    names = ["scores.csv", "weights.csv", "fitted.json", "trends.csv", "progress.csv", "warnings.csv"]
    assert [p.name for p in paths] == names
    for name in names:
        assert (tmp_path / name).read_bytes() == (run_dir / name).read_bytes(), name


def test_zh_puts_a_bom_before_every_csv(result: cc.Result, tmp_path: Path) -> None:
    assert result.evaluation is not None and result.diagnosis is not None
    plain = result.write(tmp_path / "en")
    zh = result.write(tmp_path / "zh", lang="zh")
    for en_path, zh_path in zip(plain, zh):
        if en_path.suffix == ".csv":
            assert zh_path.read_bytes() == BOM + en_path.read_bytes()
            assert zh_path.read_bytes()[:3] == b"\xef\xbb\xbf"
            assert not en_path.read_bytes().startswith(BOM)
        else:
            assert zh_path.read_bytes() == en_path.read_bytes()  # fitted.json: no BOM
    # The native writers (diagnosis) get the same treatment, and polars reads the files back.
    native = result.diagnosis.write(tmp_path / "diag", lang="zh")
    assert [p.suffix for p in native] == [".csv"] * 7
    for path in native:
        assert path.read_bytes().startswith(BOM)
    back = pl.read_csv(tmp_path / "diag" / "obstacles.csv")
    assert back.columns[0] == "unit"
    assert back.height == result.diagnosis.obstacles.height
    # The mark is put once: a file that has it is left as it is.
    add_bom(native[0])
    assert native[0].read_bytes().startswith(BOM) and not native[0].read_bytes()[3:].startswith(BOM)


def test_every_result_object_writes(result: cc.Result, catalog: cc.Catalog, tmp_path: Path) -> None:
    assert result.evaluation is not None and result.diagnosis is not None
    df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2020] * 3,
                       "green_coverage_builtup": [30.0, 40.0, 35.0], "tertiary_share": [50.0, 45.0, 60.0]})
    uncertainty = cc.uncertainty(cc.Panel.from_frame(df, unit="city"), catalog, {"draws": 5})
    definition = "\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
                            'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
                            'dimension = "housing"', 'scale = "likert5"'])
    answers = pl.DataFrame({"unit": ["A", "A", "A"], "year": [2025] * 3, "q1": ["很满意", "满意", "一般"]})
    survey = cc.survey.score(answers, definition)
    (tmp_path / "ledger.csv").write_text("unit,year,indicator\nA,2011,x\n", encoding="utf-8")
    recheck = cc.recheck(tmp_path / "ledger.csv")
    districts = pl.DataFrame({"year": [2024], "city_id": ["C01"], "district_id": ["C01-D01"],
                              "area_km2": [2.0], "road_length_km": [8.0], "population": [14110],
                              "park_green_area_m2": [136516.0], "new_building_area_m2": [4080.0],
                              "green_new_building_area_m2": [3513.0]})
    computed = cc.compute(districts, cc.Catalog.builtin("mohurd-2023"))
    objects = {
        "result": result, "evaluation": result.evaluation, "diagnosis": result.diagnosis,
        "uncertainty": uncertainty, "survey": survey, "recheck": recheck, "computed": computed,
    }
    for name, obj in objects.items():
        for fmt in ("csv", "parquet"):
            paths = obj.write(tmp_path / name / fmt, fmt, lang="zh")
            assert paths, name
            tables = [p for p in paths if p.suffix != ".json"]
            assert tables and all(p.suffix == f".{fmt}" and p.is_file() for p in tables), (name, fmt)
            for path in tables:
                head = path.read_bytes()[:4]
                assert head[:3] == BOM if fmt == "csv" else head == b"PAR1", (name, path.name)


def test_a_workbook_where_there_is_a_writer_and_a_clear_error_elsewhere(result: cc.Result, tmp_path: Path) -> None:
    assert result.diagnosis is not None and result.evaluation is not None
    assert [p.name for p in result.diagnosis.write(tmp_path, "xlsx")] == ["diagnosis.xlsx"]
    with pytest.raises(cc.SpecError, match=r"no workbook writer in Python.*--format xlsx"):
        result.write(tmp_path, "xlsx")
    with pytest.raises(cc.SpecError, match="no workbook writer"):
        result.evaluation.write(tmp_path, "xlsx")
    with pytest.raises(cc.SpecError, match="output format is one of csv, parquet, xlsx"):
        result.write(tmp_path, "json")
    with pytest.raises(cc.SpecError, match="'en' or 'zh'"):
        result.diagnosis.write(tmp_path, lang="cn")


def test_formula_cells_are_neutralised_as_the_library_does(catalog: cc.Catalog, tmp_path: Path) -> None:
    # The library's CSV writer prefixes a ' to text a spreadsheet would run (tests of
    # citycheck::io::neutralize_formula): the Python writer does the same, numbers stay.
    assert neutralize_formula("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralize_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize_formula("-1.5") == "-1.5"
    assert neutralize_formula(" +3e5 ") == " +3e5 "
    assert neutralize_formula("-1_000") == "'-1_000"
    assert neutralize_formula("沈阳市") == "沈阳市"
    evil = "=cmd|' /C calc'!A0"
    df = pl.DataFrame({"city": [evil, "B", "C"], "year": [2021] * 3,
                       "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
    scored = cc.score(cc.Panel.from_wide(df, unit="city"), catalog)
    scored.write(tmp_path)
    text = (tmp_path / "scores.csv").read_text(encoding="utf-8")
    assert f"'{evil}" in text
    assert f"\n{evil}" not in text
    # The frame in memory keeps the name as it is.
    assert evil in scored.scores["unit"].to_list()
