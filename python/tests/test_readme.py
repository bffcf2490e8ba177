"""The README's Python quick start runs (docs are code, STYLE.md): every ```python block of the
section "## Python quick start" is executed in order, in one namespace, with the repository
root as the working directory — where the README tells the reader to run it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import ROOT

SECTION = "## Python quick start"


def python_blocks() -> list[str]:
    """The code of every ```python block between the section's heading and the next ``## ``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no section {SECTION!r}"
    start = text.index(SECTION) + len(SECTION)
    end = text.find("\n## ", start)
    section = text[start:] if end == -1 else text[start:end]
    return re.findall(r"^```python[ \t]*\n(.*?)^```", section, flags=re.DOTALL | re.MULTILINE)


def test_the_section_holds_python_examples() -> None:
    assert python_blocks(), f"no ```python block in {SECTION!r} of README.md"


def test_the_python_quick_start_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for number, block in enumerate(python_blocks(), start=1):
        # The file name in tracebacks says which block failed.
        code = compile(block, f"README.md ({SECTION}, python block {number})", "exec")
        exec(code, namespace)
