"""``encoding=`` and ``sheet=`` of ``Panel.read`` (issue 17 items 5 and 7)."""

import pathlib

import pytest

import citycheck as cc

TEXT = "城市,年份,指标,数值\n沈阳市,2012,green_coverage_builtup,42.2\n大连市,2012,green_coverage_builtup,45.0\n"


def test_encoding_asked_for(tmp_path: pathlib.Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(TEXT.encode("gbk"))
    panel = cc.Panel.read(gbk, encoding="gbk")
    assert panel.units == ["沈阳市", "大连市"]
    assert any("encoding gbk" in str(issue) for issue in panel.issues)
    # 城 in GBK is 0xB3 0xC7: not UTF-8 from the first byte.
    with pytest.raises(cc.DataError, match="encoding utf-8 was asked for"):
        cc.Panel.read(gbk, encoding="utf-8")


def test_sheet_by_name(tmp_path: pathlib.Path) -> None:
    csv = tmp_path / "utf8.csv"
    csv.write_text(TEXT, encoding="utf-8")
    with pytest.raises(cc.DataError, match=r"only an \.xlsx workbook has sheets"):
        cc.Panel.read(csv, sheet="数据")
    # The fixture workbook has one sheet, named 2012.
    fixture = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "liaoning_2012_wide.xlsx"
    panel = cc.Panel.read(fixture, sheet="2012", layout="wide")
    assert len(panel.units) == 13
    with pytest.raises(cc.DataError, match="no sheet '说明'"):
        cc.Panel.read(fixture, sheet="说明", layout="wide")
