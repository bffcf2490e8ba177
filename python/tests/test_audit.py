"""cc.audit: the statistical audit from Python, on the shipped Liaoning example, its numbers
checked against numpy on the normalised values cc.score gives (tests/it/audit.rs has the hand
calculations and the edge cases)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import citycheck as cc


def panel(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


def test_the_tables_and_their_columns(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    tables = cc.audit(panel(liaoning), catalog)
    assert list(tables) == ["coverage", "outliers", "correlations", "groups", "pca"]
    assert tables["coverage"].columns == ["kind", "name", "year", "present", "expected", "share", "dropped", "note"]
    assert tables["correlations"].columns[:8] == ["year", "group", "a", "b", "pearson", "spearman", "p_value", "flag"]
    assert tables["groups"].columns[:6] == [
        "year", "group", "n_indicators", "cronbach_alpha", "first_component_share", "verdict",
    ]  # fmt: skip
    assert tables["pca"].columns == ["year", "group", "component", "eigenvalue", "share", "member", "loading"]
    # 沈阳市 has no data for 2009: nothing present, dropped by the 80 % rule.
    coverage = tables["coverage"]
    shenyang = coverage.filter((pl.col("name") == "沈阳市") & (pl.col("year") == 2009)).row(0, named=True)
    assert (shenyang["kind"], shenyang["present"], shenyang["dropped"]) == ("unit", 0, True)
    # The index and the three dimensions in each of the five years; health has one indicator.
    groups = tables["groups"]
    assert groups.height == 20
    health = groups.filter(pl.col("group") == "health")
    assert health["verdict"].to_list() == ["not assessed"] * 5
    assert health["cronbach_alpha"].null_count() == 5 and health["note"].null_count() == 0
    # Never NaN in a float column.
    for name, df in tables.items():
        for column in df.columns:
            if df[column].dtype == pl.Float64:
                assert not df[column].is_nan().any(), (name, column)


def test_correlations_alpha_and_components_agree_with_numpy(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    tables = cc.audit(panel(liaoning), catalog)
    scores = cc.score(panel(liaoning), catalog).scores
    members = ["green_coverage_builtup", "garbage_harmless_rate", "industrial_so2"]
    year = 2012
    wide = (
        scores.filter((pl.col("year") == year) & pl.col("node").is_in(members))
        .pivot(on="node", index="unit", values="score")
        .select(members)
        .drop_nulls()
    )
    x = wide.to_numpy()
    r = np.corrcoef(x, rowvar=False)
    ranks = wide.select(pl.all().rank("average")).to_numpy()
    rho = np.corrcoef(ranks, rowvar=False)
    within = tables["correlations"].filter(
        (pl.col("year") == year) & (pl.col("group") == "ecology") & (pl.col("relation") == "within")
    )
    assert within.height == 3
    for row in within.iter_rows(named=True):
        i, j = members.index(row["a"]), members.index(row["b"])
        assert row["n"] == x.shape[0]
        assert row["pearson"] == pytest.approx(r[i, j], abs=1e-12)
        assert row["spearman"] == pytest.approx(rho[i, j], abs=1e-12)
        assert 0.0 <= row["p_value"] <= 1.0
    k = len(members)
    c = np.cov(x, rowvar=False)
    alpha = k / (k - 1) * (1 - np.trace(c) / c.sum())
    eigenvalues = np.linalg.eigvalsh(r)
    ecology = tables["groups"].filter((pl.col("year") == year) & (pl.col("group") == "ecology")).row(0, named=True)
    assert ecology["cronbach_alpha"] == pytest.approx(alpha, abs=1e-12)
    assert ecology["first_component_share"] == pytest.approx(eigenvalues[-1] / k, abs=1e-12)
    pca = tables["pca"].filter((pl.col("year") == year) & (pl.col("group") == "ecology"))
    assert sorted(pca["eigenvalue"].unique().to_list()) == pytest.approx(
        sorted(np.clip(eigenvalues, 0, None)), abs=1e-12
    )


def test_config_keys_and_thresholds(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # coverage = 0: nothing is dropped, not even the missing city-years.
    tables = cc.audit(panel(liaoning), catalog, coverage=0.0)
    assert not tables["coverage"]["dropped"].any()
    with pytest.raises(cc.SpecError, match="coverge"):
        cc.audit(panel(liaoning), catalog, {"coverge": 0.5})
    with pytest.raises(cc.SpecError, match="coverage"):
        cc.audit(panel(liaoning), catalog, {"coverage": 1.5})
