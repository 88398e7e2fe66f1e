"""Packages whose names are imported on first use (PEP 562), shared by `study` and `store`.

Start-up imports only what the first screen needs, yet `from quizapp.store import ProgressStore`
keeps working everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, homes: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `package.<homes[name]>` when `name` is first used and
    keeps the value in `namespace`, so each name costs one lookup."""

    def __getattr__(name: str) -> Any:
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
