"""Module attributes imported on first use (PEP 562), so that importing a provider
module and building a client stay cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    module_name: str,
    namespace: dict[str, Any],
    lazy: Mapping[str, str],
    submodules: frozenset[str] = frozenset(),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module's `__getattr__` and `__dir__`: `lazy` maps a public name to the module
    that defines it; a loaded name is cached in `namespace` (the module's globals).
    `submodules` are this package's own, imported on first use."""

    def __getattr__(name: str) -> Any:
        if name in submodules:
            # Importing the submodule also binds it in the package, so this runs once.
            return importlib.import_module(f"{module_name}.{name}")
        source = lazy.get(name)
        if source is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(lazy) | submodules)

    return __getattr__, __dir__
