"""citycheck.run: the embedded default run writes its output folder."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

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


def _blank_as_null(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV writes an empty text and a null alike: both as null."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in strings])


def _equals_file(frame: pl.DataFrame, path: Path) -> None:
    """``frame`` is the table written at ``path`` (read back with the frame's own types)."""
    assert path.is_file(), path
    written = pl.read_csv(path, schema=frame.schema)
    assert_frame_equal(_blank_as_null(written), _blank_as_null(frame))


def test_run_carries_every_stage_it_ran(tmp_path: Path) -> None:
    # The default run re-checks 2011 → 2012, links the synthetic projects and assesses 2012:
    # the result holds each stage as its own function returns it, the same as the files.
    result = cc.run(out=tmp_path)
    assert isinstance(result.recheck, cc.Recheck)
    assert result.recheck.years == [2011, 2012]
    _equals_file(result.recheck.summary, tmp_path / "recheck_summary.csv")
    _equals_file(result.recheck.rows, tmp_path / "recheck.csv")
    assert isinstance(result.projects, cc.Projects)
    assert result.report is not None
    assert result.projects.year == result.report["projects"]["year"] == 2012
    _equals_file(result.projects.projects, tmp_path / "projects.csv")
    _equals_file(result.projects.gaps, tmp_path / "gaps.csv")
    assert isinstance(result.assessment, cc.Assessment)
    _equals_file(result.assessment.table, tmp_path / "assessment.csv")
    _equals_file(result.assessment.ranking, tmp_path / "assessment_ranking.csv")
    # The default run has no uncertainty, audit, efficiency or survey section.
    assert result.uncertainty is None and result.audit is None
    assert result.efficiency is None and result.malmquist is None and result.survey is None


def test_a_config_without_the_loop_gives_none_and_its_own_stages(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text(
        'catalog = "ccsy-example"\n'
        "[data]\n"
        'path = "embedded:cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"\n'
        'unit_column = "city"\n'
        "[output]\n"
        'dir = "out"\n',
        encoding="utf-8",
    )
    plain = cc.run(config, out=tmp_path / "plain")
    stages = (plain.evaluation, plain.diagnosis, plain.recheck, plain.projects, plain.assessment)
    assert all(stage is None for stage in stages)
    assert plain.uncertainty is None and plain.audit is None and plain.efficiency is None and plain.survey is None
    # With [uncertainty] and [audit]: their tables, as written.
    with config.open("a", encoding="utf-8") as f:
        f.write(
            "[uncertainty]\ndraws = 5\nseed = 1\nsensitivity = { rows = 0 }\n"
            '[[uncertainty.inputs]]\nstage = "normalize"\nalternatives = ["min_max", "rank"]\n'
            "[audit]\n"
        )
    out = tmp_path / "analysed"
    analysed = cc.run(config, out=out)
    assert isinstance(analysed.uncertainty, cc.Uncertainty)
    assert analysed.uncertainty.draws == 5
    _equals_file(analysed.uncertainty.table, out / "uncertainty.csv")
    assert analysed.audit is not None
    assert list(analysed.audit) == ["coverage", "outliers", "correlations", "groups", "pca"]
    _equals_file(analysed.audit["groups"], out / "audit" / "groups.csv")
    assert analysed.recheck is None and analysed.assessment is None
