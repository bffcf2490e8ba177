"""A namespace that teaches itself (issue 13): ``dir(cc)`` shows citycheck's names only, no
function shadows a module, every public name has a docstring and every public class and
function an example (run by ``pytest --doctest-modules python/citycheck``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import citycheck as cc

# Names a module would leak by importing at its top level.
LEAKS = {
    "annotations",
    "Any",
    "Dict",
    "List",
    "Mapping",
    "Optional",
    "Sequence",
    "Tuple",
    "Union",
    "Iterable",
    "TYPE_CHECKING",
    "dataclass",
    "Path",
    "json",
    "os",
    "html",
    "warnings",
    "pl",
    "np",
    "npt",
    "pd",
    "pa",
    "polars",
    "numpy",
    "pandas",
    "pyarrow",
    "typing",
    "PathLike",
    "F64Array",
}
SUBMODULES = sorted(m.name for m in pkgutil.iter_modules(cc.__path__))
PUBLIC_MODULES = [m for m in SUBMODULES if not m.startswith("_")]


def public_names(module: types.ModuleType) -> list[str]:
    return list(getattr(module, "__all__", []))


def test_dir_shows_no_typing_or_stdlib_names() -> None:
    public = {name for name in dir(cc) if not name.startswith("_")}
    assert not public & LEAKS
    # What remains is the public API and the package's own modules.
    assert public <= set(cc.__all__) | set(SUBMODULES)


def test_every_name_in_all_exists() -> None:
    assert len(set(cc.__all__)) == len(cc.__all__)
    for name in cc.__all__:
        assert hasattr(cc, name), name
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(f"citycheck.{module_name}")
        for name in public_names(module):
            assert hasattr(module, name), f"citycheck.{module_name}.{name}"


def test_no_function_shadows_a_module() -> None:
    for name in SUBMODULES:
        module = importlib.import_module(f"citycheck.{name}")
        assert getattr(cc, name) is module, name
    # The function is cc.diagnose, the module citycheck.diagnosis.
    assert inspect.isfunction(cc.diagnose) and inspect.ismodule(cc.diagnosis)
    k = cc.diagnosis.coupling_coordination([0.2, 0.4, 0.8])
    assert k.c == pytest.approx(6 / 7, abs=1e-12)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("citycheck.diagnose")
    for function in (
        "score", "run", "evaluate", "compute", "diagnose", "uncertainty", "audit", "efficiency", "malmquist",
    ):  # fmt: skip
        assert function not in SUBMODULES


def test_importing_citycheck_and_its_spark_module_does_not_import_pyspark() -> None:
    # pyspark is optional (citycheck[spark]): citycheck.spark imports it only when a function
    # runs. A fresh interpreter, so that no other test's import of pyspark counts.
    code = "import sys, citycheck, citycheck.spark; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_the_modules_are_one_per_class() -> None:
    assert cc.Catalog.__module__ == "citycheck.catalog"
    assert cc.Panel.__module__ == "citycheck.panel"
    assert cc.Result.__module__ == "citycheck.result"
    assert cc.Checkup.__module__ == cc.Fitted.__module__ == cc.score.__module__ == "citycheck.checkup"
    assert cc.Evaluation.__module__ == cc.evaluate.__module__ == "citycheck.evaluation"
    assert cc.Diagnosis.__module__ == cc.diagnose.__module__ == "citycheck.diagnosis"
    assert cc.Computed.__module__ == cc.compute.__module__ == "citycheck.computed"
    assert cc.Uncertainty.__module__ == cc.uncertainty.__module__ == "citycheck.uncertainty_analysis"
    assert cc.efficiency.__module__ == cc.malmquist.__module__ == "citycheck.dea"
    assert cc.audit.__module__ == "citycheck.statistical_audit"


def test_only_the_native_module_has_a_stub() -> None:
    # Pure-Python modules carry their hints inline (py.typed); the extension module has its stub.
    package = Path(cc.__file__).parent
    assert sorted(p.name for p in package.glob("*.pyi")) == ["_citycheck.pyi"]
    assert (package / "py.typed").is_file()


def documented_objects() -> list[tuple[str, Any]]:
    """Every public class and function of cc.__all__ and of the public modules' __all__."""
    seen: dict[int, tuple[str, Any]] = {}
    sources = [("citycheck", cc)] + [
        (f"citycheck.{m}", importlib.import_module(f"citycheck.{m}")) for m in PUBLIC_MODULES
    ]
    for prefix, module in sources:
        for name in public_names(module):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                seen.setdefault(id(obj), (f"{prefix}.{name}", obj))
    return sorted(seen.values(), key=lambda item: item[0])


DOCUMENTED = documented_objects()


@pytest.mark.parametrize(("name", "obj"), DOCUMENTED, ids=[name for name, _ in DOCUMENTED])
def test_every_public_class_and_function_has_a_docstring_with_an_example(name: str, obj: Any) -> None:
    doc = inspect.getdoc(obj)
    assert doc, f"{name} has no docstring"
    if inspect.isclass(obj) and issubclass(obj, cc.CitycheckError):
        return  # the native exceptions: one line each, raised throughout the examples
    assert ">>>" in doc, f"{name} has no example"


def test_every_public_method_and_property_has_a_docstring() -> None:
    missing = []
    for name, obj in DOCUMENTED:
        if not inspect.isclass(obj) or issubclass(obj, BaseException):
            continue
        for attr, member in vars(obj).items():
            if attr.startswith("_"):
                continue
            target = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            documentable = isinstance(target, property) or inspect.isfunction(target)
            if documentable and not inspect.getdoc(target):
                missing.append(f"{name}.{attr}")
    assert missing == []


def test_the_modules_have_docstrings_with_examples() -> None:
    assert cc.__doc__ and ">>>" in cc.__doc__
    for name in ("weights", "mcda", "trend", "survey", "diagnosis", "checkup"):
        doc = importlib.import_module(f"citycheck.{name}").__doc__
        assert doc and ">>>" in doc, name
