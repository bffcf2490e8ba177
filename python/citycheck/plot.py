"""Charts of results for Jupyter: ``result.plot``, ``evaluation.plot`` and ``diagnosis.plot``.

Each chart is a matplotlib :class:`~matplotlib.figure.Figure` (Jupyter shows it; ``.savefig``
writes it), labelled with the catalogue's Chinese names (``lang="zh"``, the default) or English
ones (``lang="en"``):

- :meth:`ResultPlot.ranking` — the league table of a year, one bar per unit, best on top;
- :meth:`ResultPlot.radar` — a unit's top-level groups against the median of all units;
- :meth:`EvaluationPlot.trend` — a unit's series of a node over the window, with Sen's line
  and the Mann-Kendall verdict; a missing year breaks the line;
- :meth:`EvaluationPlot.warnings` — the count of red, yellow and green warnings per unit;
- :meth:`DiagnosisPlot.obstacles` — a unit's obstacle Pareto: obstacle degrees, largest first,
  and their cumulative share.

matplotlib is an optional extra (``pip install citycheck[plot]``): ``import citycheck`` does
not import it, and a chart without it raises an ImportError that says what to install. Figures
are made without pyplot (no window, no global figure list). Chinese text needs a font with CJK
glyphs: :func:`cjk_font` picks the first of :data:`CJK_FONTS` that matplotlib knows and that
has the glyphs, and every chart writes its text in it (with matplotlib's default font after it
for what it lacks); without one, a :class:`~citycheck.CitycheckWarning` says so once and
Chinese characters would show as boxes.

>>> import tempfile, pathlib
>>> import citycheck as cc
>>> result = cc.run(out=tempfile.mkdtemp())
>>> figure = result.plot.ranking(2012)
>>> len(figure.axes[0].patches)   # one bar per city scored in 2012
13
>>> figure.savefig(pathlib.Path(tempfile.mkdtemp()) / "ranking.png")
"""

from __future__ import annotations

import io
import math
import os
import warnings as _warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from . import _citycheck as _native
from ._convert import CitycheckWarning, IntLike, to_int
from ._tables import check_lang, node_names

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    from .catalog import Catalog
    from .diagnosis import Diagnosis
    from .evaluation import Evaluation
    from .result import Result

__all__ = ["CJK_FONTS", "cjk_font", "ResultPlot", "EvaluationPlot", "DiagnosisPlot"]

#: Fonts with Chinese glyphs, in the order :func:`cjk_font` tries them: those of Linux
#: distributions (Noto Sans CJK, Source Han Sans, WenQuanYi), Windows (Microsoft YaHei, SimHei)
#: and macOS (PingFang SC, Heiti SC, Hiragino Sans GB). The JP, TC and KR names of Noto Sans
#: CJK come last: matplotlib reads only the first face of a ``.ttc`` collection, which Debian's
#: fonts-noto-cjk names "Noto Sans CJK JP", and that face has every Chinese character too.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Arial Unicode MS",
)
# Characters a chart's labels hold: a font must have all of them.
_PROBE = "城市体检评估综合指数排名得分"
# Parts of the file names of CJK fonts, to find fonts installed after matplotlib built its cache.
_FILE_HINTS = ("cjk", "sourcehan", "wqy", "msyh", "pingfang", "simhei", "hiragino", "heiti", "notosanssc")
# The font chosen, once per process (the warning is given once).
_chosen: dict[str, str | None] = {}
# The figure class of the charts, made on the first chart.
_figure_classes: dict[str, type[Figure]] = {}

_LEVEL_COLORS = {"red": "#d62728", "yellow": "#f2c14e", "green": "#2ca02c"}
_LEVEL_NAMES = {
    "zh": {"red": "红", "yellow": "黄", "green": "绿"},
    "en": {"red": "red", "yellow": "yellow", "green": "green"},
}
_VERDICTS = {
    "zh": {"improving": "改善", "worsening": "恶化", "no_clear_trend": "无明显趋势", "too_short": "序列过短"},
    "en": {
        "improving": "improving",
        "worsening": "worsening",
        "no_clear_trend": "no clear trend",
        "too_short": "too short",
    },
}


def _require_matplotlib() -> None:
    """Imports matplotlib, or raises an ImportError saying how to install it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "citycheck's charts need matplotlib, an optional extra: pip install 'citycheck[plot]' "
            "(or pip install matplotlib)"
        ) from e


def _covers(path: str) -> bool:
    """Whether the font file ``path`` has a glyph for every character of :data:`_PROBE`."""
    from matplotlib import font_manager

    try:
        font = font_manager.get_font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(char)) != 0 for char in _PROBE)


def _known_cjk_font() -> str | None:
    """The first of :data:`CJK_FONTS` in matplotlib's font list whose file has the glyphs."""
    from matplotlib import font_manager

    files: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        files.setdefault(entry.name, []).append(entry.fname)
    for name in CJK_FONTS:
        if any(_covers(path) for path in files.get(name, [])):
            return name
    return None


def _add_system_cjk_fonts() -> None:
    """Adds to matplotlib's font list the CJK fonts of the system it does not know yet: a font
    installed after matplotlib cached its list is otherwise invisible to it."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        name = os.path.basename(path).lower().replace(" ", "").replace("-", "")
        if path in known or not any(hint in name for hint in _FILE_HINTS):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue


def cjk_font() -> str | None:
    """The name of the font the charts write Chinese in: the first of :data:`CJK_FONTS` that
    matplotlib finds and that has the glyphs (fonts installed after matplotlib cached its font
    list are looked for too). None when there is none: a :class:`~citycheck.CitycheckWarning`
    says so, once, and names a package to install. Chosen once per process.

    >>> from citycheck.plot import CJK_FONTS, cjk_font
    >>> cjk_font() in CJK_FONTS  # the test machine has one (scripts/python-tests.sh installs it)
    True
    """
    if "font" not in _chosen:
        _require_matplotlib()
        found = _known_cjk_font()
        if found is None:
            _add_system_cjk_fonts()
            found = _known_cjk_font()
        if found is None:
            _warnings.warn(
                "no font with Chinese glyphs found (tried " + ", ".join(CJK_FONTS) + "): Chinese text in "
                "citycheck's charts will show as boxes; install one (Debian/Ubuntu: apt-get install "
                "fonts-noto-cjk) or draw with lang='en'",
                CitycheckWarning,
                stacklevel=3,
            )
        _chosen["font"] = found
    return _chosen["font"]


@contextmanager
def _chart_style() -> Iterator[None]:
    """Every text made inside writes in :func:`cjk_font` (then the default font for what it
    lacks). Each text keeps the font it was made with, and tick labels made later copy the
    first tick's: a figure drawn after the block ends still writes Chinese in the CJK font."""
    import matplotlib

    font = cjk_font()
    families = [font, "sans-serif"] if font is not None else ["sans-serif"]
    with matplotlib.rc_context({"font.family": families}):
        yield


def _figure_class() -> type[Figure]:
    """matplotlib's Figure with a PNG of itself for Jupyter (``_repr_png_``): a figure made
    without pyplot is shown whether or not pyplot's inline backend was ever loaded. Made once,
    on the first chart (matplotlib is imported only then)."""
    if "class" not in _figure_classes:
        from matplotlib.figure import Figure

        class ChartFigure(Figure):
            """A citycheck chart: a matplotlib Figure that Jupyter shows as a PNG."""

            def _repr_png_(self) -> bytes:
                buffer = io.BytesIO()
                self.savefig(buffer, format="png")
                return buffer.getvalue()

        _figure_classes["class"] = ChartFigure
    return _figure_classes["class"]


def _figure(width: float, height: float) -> Figure:
    """A new figure (no pyplot: nothing global, no window), laid out when drawn."""
    return _figure_class()(figsize=(width, height), layout="constrained")


def _fix_tick_fonts(*axes: Axes) -> None:
    """Makes the tick labels of ``axes`` now, inside :func:`_chart_style`, so that the ticks
    made at drawing time copy their font."""
    for ax in axes:
        ax.get_xticklabels()
        ax.get_yticklabels()


def _start(lang: str) -> None:
    """What every chart checks first: matplotlib is there, ``lang`` is ``"zh"`` or ``"en"``."""
    _require_matplotlib()
    check_lang(lang, "the chart's lang")


def _label(names: dict[str, str], node: str, limit: int = 40) -> str:
    """The name of ``node`` (its id without one), cut to ``limit`` characters with an ellipsis:
    English names of some catalogues are sentences."""
    name = names.get(node, node)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _unknown(what: str, value: object, known: Sequence[object]) -> Exception:
    shown = ", ".join(str(k) for k in known[:20]) + (", …" if len(known) > 20 else "")
    return _native.SpecError(f"no {what} {value!r} in this result; {what}s: {shown}")


def _finite(value: Any) -> float:
    """A float, NaN for a missing value."""
    return math.nan if value is None else float(value)


def _latest_year(rows: pl.DataFrame, what: str) -> int:
    years = rows.filter(pl.col("score").is_not_null())["year"].drop_nulls()
    if years.len() == 0:
        raise _native.SpecError(f"no scores of {what} in any year")
    return to_int(years.max(), "year")


class ResultPlot:
    """Charts of a check-up :class:`~citycheck.Result`: ``result.plot.ranking(year)``,
    ``result.plot.radar(unit, year)``.

    >>> import tempfile
    >>> import citycheck as cc
    >>> result = cc.run(out=tempfile.mkdtemp())
    >>> figure = result.plot.radar("沈阳市", 2012)
    >>> [text.get_text() for text in figure.axes[0].get_xticklabels()]
    ['创新活力', '健康舒适', '生态宜居']
    """

    def __init__(self, result: Result) -> None:
        """The charts of ``result`` (``result.plot`` makes one)."""
        self._result = result

    def _names(self, lang: str) -> dict[str, str]:
        return node_names(self._result.catalog, lang)

    def ranking(self, year: IntLike | None = None, node: str = "index", *, lang: str = "zh") -> Figure:
        """The ranking of ``node`` (default the index; a group or an indicator id) in ``year``
        (default: the latest year with scores): one horizontal bar per unit with a score, best
        on top, the score at the end of each bar.

        >>> import tempfile
        >>> import citycheck as cc
        >>> result = cc.run(out=tempfile.mkdtemp())
        >>> ax = result.plot.ranking(2012, "ecology").axes[0]
        >>> ax.get_title(), ax.get_yticklabels()[0].get_text() == result.scores.filter(
        ...     (result.scores["node"] == "ecology") & (result.scores["year"] == 2012) & (result.scores["rank"] == 1)
        ... )["unit"][0]
        ('生态宜居 排名（2012年）', True)
        """
        _start(lang)
        scores = self._result.scores
        rows = scores.filter(pl.col("node") == node)
        if rows.height == 0:
            raise _unknown("node", node, scores["node"].unique(maintain_order=True).to_list())
        chosen = _latest_year(rows, f"node {node!r}") if year is None else to_int(year, "year")
        rows = rows.filter((pl.col("year") == chosen) & pl.col("score").is_not_null() & pl.col("score").is_not_nan())
        if rows.height == 0:
            raise _native.SpecError(f"no scores of node {node!r} in {chosen}")
        rows = rows.sort(["rank", "unit"], nulls_last=True)
        units = rows["unit"].to_list()
        values = [float(v) for v in rows["score"].to_list()]
        label = _label(self._names(lang), node)
        with _chart_style():
            figure = _figure(7.0, max(2.5, 0.32 * len(units) + 1.3))
            ax = figure.add_subplot()
            positions = list(range(len(units)))
            bars = ax.barh(positions, values, color="#4c78a8")
            ax.set_yticks(positions, labels=units)
            ax.invert_yaxis()
            ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=8)
            ax.margins(x=0.12)
            ax.set_xlabel("得分" if lang == "zh" else "score")
            ax.set_title(f"{label} 排名（{chosen}年）" if lang == "zh" else f"{label}: ranking, {chosen}")
            _fix_tick_fonts(ax)
        return figure

    def radar(self, unit: str, year: IntLike | None = None, *, lang: str = "zh") -> Figure:
        """A radar of ``unit``'s top-level group scores in ``year`` (default: the latest year
        with scores) against the median of all units that year. Needs three groups or more.

        >>> import tempfile
        >>> import citycheck as cc
        >>> result = cc.run(out=tempfile.mkdtemp())
        >>> line = result.plot.radar("大连市", 2012, lang="en").axes[0].lines[0]
        >>> len(line.get_ydata())   # three groups, the polygon closed
        4
        """
        _start(lang)
        scores = self._result.scores
        if unit not in set(scores["unit"].to_list()):
            raise _unknown("unit", unit, scores["unit"].unique(maintain_order=True).to_list())
        groups_in_scores = scores.filter(pl.col("kind") == "group")["node"].unique(maintain_order=True).to_list()
        catalog_groups = self._result.catalog.groups
        top = [g for g in catalog_groups.filter(pl.col("parent").is_null())["id"].to_list() if g in groups_in_scores]
        axes_nodes = top if len(top) >= 3 else groups_in_scores
        if len(axes_nodes) < 3:
            raise _native.SpecError(
                f"a radar needs three groups or more; this result has {len(axes_nodes)}: {', '.join(axes_nodes)}"
            )
        rows = scores.filter(pl.col("node").is_in(axes_nodes))
        own_rows = rows.filter(pl.col("unit") == unit)
        chosen = _latest_year(own_rows, f"unit {unit!r}") if year is None else to_int(year, "year")
        year_rows = rows.filter(pl.col("year") == chosen)
        if year_rows.filter(pl.col("unit") == unit).height == 0:
            raise _native.SpecError(f"no group scores of {unit!r} in {chosen}")
        own = dict(year_rows.filter(pl.col("unit") == unit).select("node", "score").iter_rows())
        medians = dict(
            year_rows.filter(pl.col("score").is_not_nan()).group_by("node").agg(pl.col("score").median()).iter_rows()
        )
        values = [_finite(own.get(node)) for node in axes_nodes]
        middle = [_finite(medians.get(node)) for node in axes_nodes]
        angles = [2 * math.pi * k / len(axes_nodes) for k in range(len(axes_nodes))]
        names = self._names(lang)
        with _chart_style():
            figure = _figure(5.5, 5.5)
            ax = cast("PolarAxes", figure.add_subplot(projection="polar"))
            ax.set_theta_offset(math.pi / 2)
            ax.set_theta_direction(-1)
            closed = [*angles, angles[0]]
            ax.plot(closed, [*values, values[0]], color="#4c78a8", linewidth=2, label=unit)
            ax.fill(closed, [*values, values[0]], color="#4c78a8", alpha=0.2)
            peers = "全部单位中位数" if lang == "zh" else "median of all units"
            ax.plot(closed, [*middle, middle[0]], color="#888888", linewidth=1.5, linestyle="--", label=peers)
            ax.set_thetagrids([math.degrees(a) for a in angles], labels=[_label(names, n, 24) for n in axes_nodes])
            finite = [v for v in values + middle if not math.isnan(v)]
            ax.set_ylim(min(0.0, *finite) if finite else 0.0, max(finite) * 1.05 if finite and max(finite) > 0 else 1.0)
            ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12), fontsize=8)
            ax.set_title(f"{unit}（{chosen}年）" if lang == "zh" else f"{unit}, {chosen}", pad=18)
            _fix_tick_fonts(ax)
        return figure


class EvaluationPlot:
    """Charts of a five-year :class:`~citycheck.Evaluation`: ``evaluation.plot.trend(unit,
    node)`` and ``evaluation.plot.warnings()``.

    >>> import tempfile
    >>> import citycheck as cc
    >>> evaluation = cc.run(out=tempfile.mkdtemp()).evaluation
    >>> figure = evaluation.plot.warnings(2012)
    >>> figure.axes[0].get_title()
    '预警（2012年）：红 2、黄 1、绿 10'
    """

    def __init__(self, evaluation: Evaluation) -> None:
        """The charts of ``evaluation`` (``evaluation.plot`` makes one)."""
        self._evaluation = evaluation

    def trend(self, unit: str, node: str = "index", *, lang: str = "zh") -> Figure:
        """``unit``'s scores of ``node`` (default the index) over the evaluation's window, one
        point per year — a year without a score breaks the line instead of bridging it — with
        Sen's line of the index or a group and the Mann-Kendall verdict in the title. For an
        indicator the points are its normalised scores; its trend (and Sen's slope) is on the
        observed values, so the title gives the verdict without a line.

        >>> import math, tempfile
        >>> import citycheck as cc
        >>> evaluation = cc.run(out=tempfile.mkdtemp()).evaluation
        >>> line = evaluation.plot.trend("本溪市").axes[0].lines[0]
        >>> [int(x) for x in line.get_xdata()], math.isnan(line.get_ydata()[-1])   # no score in 2012
        ([2008, 2009, 2010, 2011, 2012], True)
        """
        _start(lang)
        evaluation = self._evaluation
        scores = evaluation.result.scores
        rows = scores.filter((pl.col("unit") == unit) & (pl.col("node") == node))
        if rows.height == 0:
            if unit not in set(scores["unit"].to_list()):
                raise _unknown("unit", unit, scores["unit"].unique(maintain_order=True).to_list())
            raise _unknown("node", node, scores["node"].unique(maintain_order=True).to_list())
        first = to_int(evaluation.summary["from"], "from")
        last = to_int(evaluation.summary["to"], "to")
        years = list(range(first, last + 1))
        by_year = dict(rows.select("year", "score").iter_rows())
        values = [_finite(by_year.get(y)) for y in years]
        kind = str(rows["kind"][0])
        trend = evaluation.trends.filter((pl.col("unit") == unit) & (pl.col("node") == node))
        verdict = str(trend["verdict"][0]) if trend.height and trend["verdict"][0] is not None else None
        names = self._names(lang)
        label = _label(names, node)
        with _chart_style():
            figure = _figure(7.0, 4.0)
            ax = figure.add_subplot()
            ax.plot(years, values, marker="o", color="#4c78a8", label=label)
            slope = trend["sen_slope"][0] if trend.height else None
            intercept = trend["sen_intercept"][0] if trend.height else None
            if kind != "indicator" and slope is not None and intercept is not None and not math.isnan(slope):
                ends = [float(to_int(trend[c][0], c)) for c in ("first_year", "last_year")]
                sen = "Sen 斜率线" if lang == "zh" else "Sen's line"
                ax.plot(ends, [intercept + slope * t for t in ends], color="#e45756", linestyle="--", label=sen)
            ax.set_xticks(years, labels=[str(y) for y in years])
            ax.set_xlabel("年份" if lang == "zh" else "year")
            ax.set_ylabel(("得分" if lang == "zh" else "score") if kind != "indicator" else
                          ("标准化得分" if lang == "zh" else "normalised score"))
            verdicts = _VERDICTS[lang]
            said = verdicts.get(verdict, verdict) if verdict is not None else None
            if lang == "zh":
                title = f"{unit} · {label}" + (f"：{said}" if said else "")
            else:
                title = f"{unit}: {label}" + (f" ({said})" if said else "")
            p = trend["mk_p"][0] if trend.height else None
            if p is not None and not math.isnan(p):
                title += f", p = {p:.3f}"
            ax.set_title(title)
            ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
            _fix_tick_fonts(ax)
        return figure

    def warnings(self, year: IntLike | None = None, *, lang: str = "zh") -> Figure:
        """The count of red, yellow and green warnings per unit in ``year`` (default: the last
        year of the window): one stacked bar per unit, the units with most red first.

        >>> import tempfile
        >>> import citycheck as cc
        >>> evaluation = cc.run(out=tempfile.mkdtemp()).evaluation
        >>> ax = evaluation.plot.warnings(2012, lang="en").axes[0]
        >>> len(ax.patches) == 3 * len(ax.get_yticklabels())   # a red, a yellow, a green bar per unit
        True
        """
        _start(lang)
        table = self._evaluation.warnings
        chosen = to_int(self._evaluation.summary["to"], "to") if year is None else to_int(year, "year")
        rows = table.filter(pl.col("year") == chosen)
        if rows.height == 0:
            years = table["year"].unique().sort().to_list()
            raise _native.SpecError(f"no warnings in {chosen}; years with warnings: {', '.join(map(str, years))}")
        levels = ("red", "yellow", "green")
        counts = (
            rows.group_by("unit")
            .agg(*[(pl.col("level") == level).sum().alias(level) for level in levels])
            .sort(["red", "yellow", "unit"], descending=[True, True, False])
        )
        units = counts["unit"].to_list()
        positions = list(range(len(units)))
        level_names = _LEVEL_NAMES[lang]
        with _chart_style():
            figure = _figure(7.0, max(2.5, 0.32 * len(units) + 1.5))
            ax = figure.add_subplot()
            left = [0.0] * len(units)
            for level in levels:
                widths = [float(v) for v in counts[level].to_list()]
                ax.barh(positions, widths, left=left, color=_LEVEL_COLORS[level], label=level_names[level])
                left = [a + b for a, b in zip(left, widths)]
            ax.set_yticks(positions, labels=units)
            ax.invert_yaxis()
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel("指标数" if lang == "zh" else "indicators")
            total = {level: int(counts[level].sum()) for level in levels}
            if lang == "zh":
                title = f"预警（{chosen}年）：" + "、".join(f"{level_names[v]} {total[v]}" for v in levels)
            else:
                title = f"Warnings, {chosen}: " + ", ".join(f"{total[v]} {v}" for v in levels)
            ax.set_title(title)
            ax.legend(fontsize=8, loc="lower right")
            _fix_tick_fonts(ax)
        return figure

    def _names(self, lang: str) -> dict[str, str]:
        return node_names(self._evaluation.result.catalog, lang)


class DiagnosisPlot:
    """Charts of a :class:`~citycheck.Diagnosis`: ``diagnosis.plot.obstacles(unit)``.

    >>> import tempfile
    >>> import citycheck as cc
    >>> diagnosis = cc.run(out=tempfile.mkdtemp()).diagnosis
    >>> ax = diagnosis.plot.obstacles("丹东市").axes[0]
    >>> ax.get_xticklabels()[0].get_text()   # the largest obstacle first
    '地区生产总值'
    """

    def __init__(self, diagnosis: Diagnosis, catalog: Catalog | None) -> None:
        """The charts of ``diagnosis``, named from ``catalog`` (``diagnosis.plot`` makes one)."""
        self._diagnosis = diagnosis
        self._catalog = catalog

    def obstacles(self, unit: str, top: IntLike | None = None, *, lang: str = "zh") -> Figure:
        """``unit``'s obstacle Pareto: the obstacle degree (障碍度, %) of each indicator,
        largest first (the ``top`` largest; default all with an obstacle), and on the right axis
        their cumulative share of the unit's total obstacle (100 % at the last indicator when
        all are shown).

        >>> import tempfile
        >>> import citycheck as cc
        >>> diagnosis = cc.run(out=tempfile.mkdtemp()).diagnosis
        >>> figure = diagnosis.plot.obstacles("丹东市", top=3, lang="en")
        >>> len(figure.axes[0].patches), figure.axes[0].get_xticklabels()[0].get_text()
        (3, 'GDP per capita: gross regio…')
        """
        _start(lang)
        table = self._diagnosis.obstacles
        rows = table.filter((pl.col("unit") == unit) & (pl.col("kind") == "indicator"))
        if rows.height == 0:
            raise _unknown("unit", unit, table["unit"].unique(maintain_order=True).to_list())
        rows = rows.filter(pl.col("obstacle").is_not_null() & pl.col("obstacle").is_not_nan()).sort(
            ["obstacle", "node"], descending=[True, False]
        )
        total = float(rows["obstacle"].sum())
        if top is not None:
            rows = rows.head(to_int(top, "top"))
        nodes = rows["node"].to_list()
        values = [float(v) for v in rows["obstacle"].to_list()]
        cumulative: list[float] = []
        running = 0.0
        for v in values:
            running += v
            cumulative.append(100.0 * running / total if total > 0 else math.nan)
        names = node_names(self._catalog, lang)
        with _chart_style():
            figure = _figure(max(6.0, 0.6 * len(nodes) + 2.5), 4.8)
            ax = figure.add_subplot()
            positions = list(range(len(nodes)))
            ax.bar(positions, values, color="#4c78a8")
            ax.set_xticks(positions, labels=[_label(names, n, 28) for n in nodes], rotation=40, ha="right", fontsize=8)
            ax.set_ylabel("障碍度（%）" if lang == "zh" else "obstacle degree (%)")
            share = ax.twinx()
            share.plot(positions, cumulative, color="#e45756", marker="o")
            share.set_ylim(0, 105)
            share.set_ylabel("累计占比（%）" if lang == "zh" else "cumulative share (%)")
            year = self._diagnosis.year
            ax.set_title(f"{unit} 障碍因子（{year}年）" if lang == "zh" else f"{unit}: obstacles, {year}")
            _fix_tick_fonts(ax, share)
        return figure
