"""citycheck.run: the embedded default run writes its output folder."""

from __future__ import annotations

import json

import polars as pl
import pytest

import citycheck as cc

from conftest import GOLDEN


def test_embedded_default_run_writes_the_output_folder(tmp_path) -> None:
    result = cc.run(out=tmp_path)
    for name in ("scores.csv", "weights.csv", "fitted.json", "run.json", "report.html"):
        assert (tmp_path / name).is_file(), name
    written = pl.read_csv(tmp_path / "scores.csv")
    assert written.height == result.scores.height
    assert result.report is not None
    assert result.report == json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert result.report["catalog"]["id"] == "ccsy-example"


def test_embedded_run_equals_score_with_the_default_spec(tmp_path, catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    by_run = cc.run(out=tmp_path).scores
    by_score = cc.score(cc.Panel.from_frame(liaoning, unit="city"), catalog, spec="checkup_default").scores
    assert by_run.equals(by_score)
    shenyang = by_run.filter((pl.col("unit") == "沈阳市") & (pl.col("year") == 2012) & (pl.col("node") == "index"))
    golden = pl.read_csv(GOLDEN).filter(
        (pl.col("unit") == "沈阳市") & (pl.col("year") == 2012) & (pl.col("node") == "index")
    )
    assert shenyang["score"][0] == pytest.approx(golden["score"][0], abs=1e-9)


def test_missing_config_raises_io_error(tmp_path) -> None:
    with pytest.raises(cc.IoError):
        cc.run(tmp_path / "absent.toml", out=tmp_path)
