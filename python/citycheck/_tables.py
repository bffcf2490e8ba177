"""What the result objects share: ``write()`` of their tables (:func:`write_tables`), the
catalogue's names of nodes in Chinese or English (:func:`node_names`) and the compact HTML of
``_repr_html_`` (:func:`html_summary`).

Every result object writes through :func:`write_tables`: those whose native object writes its
own files (a diagnosis, a survey, a re-check, an uncertainty analysis) hand it their native
``write``, which makes exactly the files of the command line; the others (a check-up result, an
evaluation, computed indicators) hand it their tables, written here with polars the way the
library writes them (text cells a spreadsheet would run as a formula neutralised, each file
written whole or not at all). ``lang="zh"`` then puts a UTF-8 byte order mark before every CSV,
so that Excel opens Chinese text as Chinese; the headers stay the column names, which scripts
and citycheck itself read back.
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Union

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike

if TYPE_CHECKING:
    from .catalog import Catalog

#: The UTF-8 byte order mark written before a CSV with ``lang="zh"``.
BOM = b"\xef\xbb\xbf"
#: The output formats of ``write()``.
FORMATS = ("csv", "parquet", "xlsx")
#: The languages of ``write()`` and of the charts.
LANGS = ("en", "zh")
#: The overall index's name (the catalogue names groups and indicators, not the index).
INDEX_NAMES = {"zh": "综合指数", "en": "Index"}
#: The header of the unit column of a wide table.
UNIT_HEADERS = {"zh": "单位", "en": "unit"}

#: A native ``write(dir, format)``: the paths of the files it wrote.
NativeWrite = Callable[[Path, str], Sequence[Union[str, "os.PathLike[str]"]]]


def check_lang(lang: str, what: str = "lang") -> str:
    """``lang`` if it is ``"en"`` or ``"zh"``; a :class:`~citycheck.SpecError` otherwise."""
    if lang not in LANGS:
        raise _native.SpecError(f"{what} is 'en' or 'zh', got {lang!r}")
    return lang


def check_format(format: str) -> str:
    """``format`` if it is an output format; a :class:`~citycheck.SpecError` otherwise."""
    if format not in FORMATS:
        raise _native.SpecError(f"output format is one of {', '.join(FORMATS)}, got {format!r}")
    return format


def neutralize_formula(text: str) -> str:
    """``text`` with a ``'`` before it when a spreadsheet would run it as a formula (it starts
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number) — the rule
    of the library's CSV writer (``citycheck::io::neutralize_formula``).

    >>> neutralize_formula("=cmd|' /C calc'!A0"), neutralize_formula("-1.5"), neutralize_formula("沈阳市")
    ("'=cmd|' /C calc'!A0", '-1.5', '沈阳市')
    """
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return text
    candidate = text.strip()
    # Rust's f64 parser takes no digit separators; Python's float takes "1_000".
    if "_" in candidate:
        return f"'{text}"
    try:
        float(candidate)
    except ValueError:
        return f"'{text}"
    return text


def _neutralized(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with :func:`neutralize_formula` applied to the cells of its text columns."""
    columns = [name for name, dtype in df.schema.items() if dtype == pl.String]
    if not columns:
        return df
    return df.with_columns(
        pl.col(name).map_elements(neutralize_formula, return_dtype=pl.String) for name in columns
    )


def _replace_atomically(path: Path, fill: Callable[[Path], object]) -> None:
    """Fills a temporary file beside ``path`` with ``fill``, then renames it over ``path``: a
    failed write leaves the earlier file (or none), never half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fill(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_frame(path: Path, df: pl.DataFrame, format: str) -> Path:
    """Writes ``df`` to ``path`` as CSV (formulas neutralised) or Parquet; returns the path."""
    if format == "csv":
        safe = _neutralized(df)
        _replace_atomically(path, lambda p: safe.write_csv(p))
    elif format == "parquet":
        _replace_atomically(path, lambda p: df.write_parquet(p))
    else:  # pragma: no cover - check_format and write_tables refuse the rest first
        raise _native.SpecError(f"cannot write a table as {format!r}")
    return path


def _fill_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def add_bom(path: Path) -> None:
    """Puts :data:`BOM` before the text of the CSV file ``path`` (once: a file that has it is
    left as it is)."""
    data = path.read_bytes()
    if not data.startswith(BOM):
        _replace_atomically(path, lambda p: p.write_bytes(BOM + data))


def write_tables(
    out: PathLike,
    tables: Iterable[tuple[str, pl.DataFrame]] = (),
    format: str = "csv",
    lang: str = "en",
    *,
    native: NativeWrite | None = None,
    texts: Iterable[tuple[str, str]] = (),
    owner: str = "this result",
) -> list[Path]:
    """Writes a result object's tables into the folder ``out`` (created if absent); returns the
    paths, tables first.

    With ``native``, the native object writes its own files (``format`` ``csv``, ``parquet``
    or ``xlsx``, as on the command line) and ``tables`` is not used; without it, each table is
    written as ``name.csv`` or ``name.parquet`` (a result without a native writer has no
    workbook: ``xlsx`` raises :class:`~citycheck.SpecError`). ``texts`` are further files
    (name, UTF-8 text), such as ``fitted.json``. ``lang="zh"`` puts a UTF-8 byte order mark
    before every CSV written.
    """
    check_format(format)
    check_lang(lang)
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    if native is not None:
        paths = [Path(p) for p in native(directory, format)]
    elif format == "xlsx":
        raise _native.SpecError(
            f"{owner} has no workbook writer in Python: write format 'csv' or 'parquet', or run the "
            "command line (citycheck run with format = \"xlsx\", or --format xlsx) for a workbook"
        )
    else:
        paths = [write_frame(directory / f"{name}.{format}", df, format) for name, df in tables]
    for name, text in texts:
        path = directory / name
        _replace_atomically(path, functools.partial(_fill_text, text=text))
        paths.append(path)
    if lang == "zh":
        for path in paths:
            if path.suffix == ".csv":
                add_bom(path)
    return paths


def node_names(catalog: Catalog | None, lang: str | None) -> dict[str, str]:
    """Node id → its name in ``lang`` (``"zh"``: ``name_zh``, ``"en"``: ``name_en``) for the
    index, the groups and the indicators of ``catalog``; empty for ``lang=None`` or without a
    catalogue (callers fall back on the ids). A node without a name keeps its id."""
    if lang is None or catalog is None:
        return {}
    column = "name_zh" if lang == "zh" else "name_en"
    names = {"index": INDEX_NAMES[lang]}
    for table in (catalog.groups, catalog.indicators):
        for node, name in table.select("id", column).iter_rows():
            if name:
                names[str(node)] = str(name)
    return names


def unique_headers(nodes: Sequence[str], names: dict[str, str], taken: Iterable[str] = ()) -> list[str]:
    """A header per node — its name, with ``(id)`` after it when two nodes share a name or
    the name is one of ``taken`` — so that no two columns of a table have the same header."""
    labels = [names.get(node, node) for node in nodes]
    reserved = set(taken)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return [
        f"{label} ({node})" if counts[label] > 1 or label in reserved else label
        for node, label in zip(nodes, labels)
    ]


def html_summary(
    headline: str, sections: Iterable[tuple[str, pl.DataFrame]] = (), notes: Sequence[str] = (), noun: str = "note"
) -> str:
    """A compact HTML summary for ``_repr_html_``: the headline, then each non-empty table under
    its caption (polars' HTML, which escapes every cell), then the notes folded away (counted
    as ``noun``). Every text is escaped: a unit named ``<script>`` shows as text."""
    parts = [f"<p><b>{html.escape(headline)}</b></p>"]
    for caption, table in sections:
        if table.height:
            parts.append(f"<p>{html.escape(caption)}</p>")
            parts.append(table._repr_html_())
    if notes:
        items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
        parts.append(f"<details><summary>{len(notes)} {html.escape(noun)}(s)</summary><ul>{items}</ul></details>")
    return "\n".join(parts)
