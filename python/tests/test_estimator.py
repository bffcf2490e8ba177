"""cc.Checkup → cc.Fitted → transform (issue 13): fit on the check-ups of 2008–2011 of the
Liaoning example, score 2012 with those parameters; JSON round trip; refusals."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

import citycheck as cc

KEYS = ["unit", "year", "node", "kind"]


@pytest.fixture(scope="module")
def full(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


@pytest.fixture(scope="module")
def earlier(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning.filter(pl.col("year") <= 2011), unit="city")


@pytest.fixture(scope="module")
def later(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning.filter(pl.col("year") == 2012), unit="city")


def assert_same_scores(a: pl.DataFrame, b: pl.DataFrame, tolerance: float = 1e-12) -> None:
    """Equal rows (in any order), ranks and flags; scores to ``tolerance``."""
    a, b = a.sort(KEYS), b.sort(KEYS)
    assert a.select([*KEYS, "rank", "imputed"]).equals(b.select([*KEYS, "rank", "imputed"]))
    assert a["score"].is_null().equals(b["score"].is_null())
    worst = (a["score"] - b["score"]).abs().max()
    assert worst is None or worst <= tolerance


def test_fit_returns_fitted_parameters(catalog: cc.Catalog, full: cc.Panel) -> None:
    checkup = cc.Checkup(catalog)
    assert checkup.spec == cc.checkup_default_spec()
    assert checkup.catalog is catalog
    fitted = checkup.fit(full)
    assert isinstance(fitted, cc.Fitted)
    assert fitted.spec == checkup.spec
    assert fitted.catalog.sha256 == catalog.sha256
    d = fitted.to_dict()
    assert d["catalog_id"] == "ccsy-example" and d["catalog_sha256"] == catalog.sha256
    assert [s["year"] for s in d["sets"]] == [None]  # one set, fitted on the panel
    assert "ccsy-example" in repr(fitted) and "ccsy-example" in repr(checkup)


def test_fit_transform_is_score(catalog: cc.Catalog, full: cc.Panel) -> None:
    checkup = cc.Checkup(catalog)
    result = checkup.fit_transform(full)
    scored = cc.score(full, catalog)
    assert result.scores.equals(scored.scores)
    assert result.weights.equals(scored.weights)
    assert result.fitted == scored.fitted == checkup.fit(full)


def test_transform_with_the_full_fit_gives_the_fits_own_scores(catalog: cc.Catalog, full: cc.Panel) -> None:
    own = cc.score(full, catalog)
    again = own.fitted.transform(full)
    assert_same_scores(again.scores, own.scores)
    assert again.fitted == own.fitted
    assert not any("beyond the bounds" in w for w in again.warnings)


def test_fit_on_2008_2011_scores_2012_with_those_parameters(
    catalog: cc.Catalog, liaoning: pl.DataFrame, full: cc.Panel, earlier: cc.Panel, later: cc.Panel
) -> None:
    fitted = cc.Checkup(catalog).fit(earlier)
    assert earlier.years == [2008, 2009, 2010, 2011]
    result = fitted.transform(later)
    assert result.scores["year"].unique().to_list() == [2012]
    assert result.fitted == fitted

    # 2012 values beyond the 2008–2011 range score outside [0, 100], and the warnings say so.
    assert any("beyond the bounds" in w for w in result.warnings)
    indicators = result.scores.filter(pl.col("kind") == "indicator")
    outside = indicators.filter((pl.col("score") > 100 + 1e-9) | (pl.col("score") < -1e-9))
    assert outside.height > 0

    # By hand: green coverage (higher is better, no denominator) min-max on its 2008–2011
    # values, 17.40 … 47.43; 葫芦岛市 has 48.76 in 2012: 100 · (48.76 − 17.40) / 30.03 ≈ 104.43.
    green = liaoning.filter((pl.col("indicator") == "green_coverage_builtup") & pl.col("value").is_not_null())
    lo, hi = green.filter(pl.col("year") <= 2011)["value"].min(), green.filter(pl.col("year") <= 2011)["value"].max()
    assert (lo, hi) == (17.4, 47.43)
    expected = green.filter(pl.col("year") == 2012).select(
        pl.col("city").alias("unit"), (100 * (pl.col("value") - lo) / (hi - lo)).alias("expected")
    )
    got = indicators.filter(pl.col("node") == "green_coverage_builtup").join(expected, on="unit")
    assert got.height == expected.height == 13
    np.testing.assert_allclose(got["score"].to_numpy(), got["expected"].to_numpy(), rtol=0, atol=1e-9)
    assert got.filter(pl.col("unit") == "葫芦岛市")["score"][0] == pytest.approx(104.4289, abs=1e-4)

    # The same parameters score 2012 the same within the whole panel …
    within = fitted.transform(full).scores.filter(pl.col("year") == 2012)
    assert_same_scores(result.scores, within)
    # … and not as a fit on 2008–2012 does.
    refit = cc.score(full, catalog).scores.filter((pl.col("year") == 2012) & pl.col("score").is_not_null())
    joined = refit.join(result.scores, on=KEYS, suffix="_transformed")
    assert joined.height == refit.height
    assert (joined["score"] - joined["score_transformed"]).abs().max() > 1e-6


def test_json_round_trip(catalog: cc.Catalog, earlier: cc.Panel, later: cc.Panel) -> None:
    fitted = cc.Checkup(catalog).fit(earlier)
    text = fitted.to_json()
    assert json.loads(text) == fitted.to_dict()
    back = cc.Fitted.from_json(text, catalog)
    assert back == fitted
    assert back.to_json() == text
    assert back.transform(later).scores.equals(fitted.transform(later).scores)
    # Another fit is another set of parameters.
    assert cc.Checkup(catalog, weights="equal").fit(earlier) != fitted
    assert fitted != "not a Fitted"


def test_run_writes_the_fitted_parameters(tmp_path, catalog: cc.Catalog) -> None:
    result = cc.run(out=tmp_path)
    assert isinstance(result.fitted, cc.Fitted)
    from_file = cc.Fitted.from_json((tmp_path / "fitted.json").read_text(encoding="utf-8"), catalog)
    assert from_file == result.fitted


def test_from_json_refuses_another_catalogue(catalog: cc.Catalog, earlier: cc.Panel) -> None:
    text = cc.Checkup(catalog).fit(earlier).to_json()
    with pytest.raises(cc.CitycheckError, match="catalog"):
        cc.Fitted.from_json(text, cc.Catalog.builtin("mohurd-2023"))
    with pytest.raises(cc.CitycheckError):
        cc.Fitted.from_json("{not json", catalog)


def test_transform_refuses_what_was_not_fitted(catalog: cc.Catalog, earlier: cc.Panel, later: cc.Panel) -> None:
    # Per-year parameters have no set for 2012.
    per_year = cc.Checkup(catalog, scope="year").fit(earlier)
    assert [s["year"] for s in per_year.to_dict()["sets"]] == [2008, 2009, 2010, 2011]
    with pytest.raises(cc.SpecError, match="2012"):
        per_year.transform(later)
    # Parameters fitted without an indicator cannot score it.
    one = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
    two = one.with_columns(pl.Series("tertiary_share", [40.0, 50.0]))
    fitted = cc.Checkup(catalog).fit(one)
    with pytest.raises(cc.SpecError, match="tertiary_share"):
        fitted.transform(two)


def test_keyword_overrides_and_validation(catalog: cc.Catalog, earlier: cc.Panel) -> None:
    checkup = cc.Checkup(catalog, "default", scope=np.int64(2010), validation="lenient")
    assert checkup.spec["scope"] == {"reference_year": 2010}
    assert checkup.validation == "lenient"
    fitted = checkup.fit(earlier)
    assert [s["year"] for s in fitted.to_dict()["sets"]] == [2010]
    assert fitted.spec == checkup.spec
    with pytest.raises(cc.SpecError, match="checkup_default"):
        cc.Checkup(catalog, "checkup-default")
