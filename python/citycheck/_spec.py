"""Specs from Python arguments: a base spec (``None``, ``"checkup_default"``, ``"default"`` or
a dict) and the keyword overrides of :func:`citycheck.score` and :class:`citycheck.Checkup`.

The spec is the dict form of the library's ``Spec`` (the ``[spec]`` table of a run config);
the native module reads it as is, so the schema lives in Rust alone: this module only puts the
overrides in their places.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Union

from . import _citycheck as _native
from ._convert import IntLike, plain, to_int

#: A whole spec: ``None`` or ``"checkup_default"`` (the check-up default), ``"default"`` (the
#: library's ``Spec::default``: equal weights everywhere) or a dict as in ``Result.spec``.
SpecLike = Union[str, Mapping[str, Any], None]
#: A method by name (``"entropy"``) or as a table (``{"method": "min_max", "lo": 0, "hi": 100}``).
MethodLike = Union[str, Mapping[str, Any]]
#: ``"panel"``, ``"year"``, a reference year (``2011``, ``np.int64(2011)``) or ``{"reference_year": 2011}``.
ScopeLike = Union[str, IntLike, Mapping[str, Any]]

SPEC_NAMES = ("checkup_default", "default")


def method(value: MethodLike, what: str) -> dict[str, Any]:
    """``"entropy"`` → ``{"method": "entropy"}``; a table as given (numpy values made plain)."""
    if isinstance(value, str):
        return {"method": value}
    if isinstance(value, Mapping):
        table: dict[str, Any] = plain(value, what)
        return table
    raise _native.SpecError(f"{what} must be a method name or a table such as {{'method': ...}}, got {value!r}")


def staged(value: MethodLike, what: str) -> dict[str, Any]:
    """A method for every level (``"entropy"``, ``{"method": "entropy"}``) or per level
    (``{"default": "equal", "levels": {2: "entropy_normalized"}}``)."""
    if isinstance(value, str) or (isinstance(value, Mapping) and "default" not in value):
        return method(value, what)
    if not isinstance(value, Mapping):
        raise _native.SpecError(f"{what} must be a method name or a table, got {value!r}")
    levels = value.get("levels", {})
    if not isinstance(levels, Mapping):
        raise _native.SpecError(f"{what}['levels'] must map levels to methods, got {levels!r}")
    out: dict[str, Any] = {
        "default": method(value["default"], f"{what}['default']"),
        "levels": {
            str(to_int(level, f"{what} level")): method(m, f"{what}['levels'][{level!r}]")
            for level, m in levels.items()
        },
    }
    return out


def scope(value: ScopeLike) -> Any:
    """``"panel"``, ``"year"``, a reference year (``2011``, ``np.int64(2011)``) or the serde
    form ``{"reference_year": 2011}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return plain(value, "scope")
    return {"reference_year": to_int(value, "scope (a reference year)")}


def base_spec(spec: SpecLike) -> dict[str, Any]:
    """The whole spec ``spec`` names, as a new dict."""
    if spec is None or spec == "checkup_default":
        return _native.checkup_default_spec()
    if spec == "default":
        return {}
    if isinstance(spec, str):
        raise _native.SpecError(
            f"unknown spec '{spec}': pass a dict, None or 'checkup_default' (the check-up default), "
            f"or 'default' (equal weights everywhere)"
        )
    if not isinstance(spec, Mapping):
        raise _native.SpecError(f"a spec is a dict (as Result.spec), 'checkup_default' or 'default', got {spec!r}")
    full: dict[str, Any] = plain(spec, "spec")
    return full


def resolve(
    spec: SpecLike,
    *,
    normalize: MethodLike | None = None,
    scope_: ScopeLike | None = None,
    weights: MethodLike | None = None,
    aggregate: MethodLike | None = None,
    missing: str | None = None,
    impute: MethodLike | None = None,
    denominate: bool | None = None,
    treat: bool | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A whole spec (dict) from a base spec and the keyword overrides (``scope_`` is the
    ``scope=`` keyword)."""
    full = base_spec(spec)
    if normalize is not None:
        full["normalize"] = method(normalize, "normalize")
    if scope_ is not None:
        full["scope"] = scope(scope_)
    if weights is not None:
        full["weights"] = staged(weights, "weights")
    if aggregate is not None:
        full["aggregate"] = staged(aggregate, "aggregate")
    if impute is not None:
        full["impute"] = method(impute, "impute")
    if denominate is not None:
        full["denominate"] = bool(denominate)
    if treat is True:
        full["treat"] = {}
    elif treat is False:
        full.pop("treat", None)
    elif treat is not None:
        full["treat"] = plain(treat, "treat")
    if missing is not None:
        full["missing"] = missing
    return full
