"""Build every response model from a payload and read everything on it, as a user
would: fields, properties, `to_dict()`, `repr()`. A model refuses a payload only
with `APIResponseError` (a create/start answer without its job id)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import reelkit
from reelkit._models import _base, hooked, hoox

MODELS = sorted(
    {
        cls
        for module in (hoox, hooked)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        # The models the SDK builds: decorated (dataclasses), not private bases.
        if issubclass(cls, _base.Model)
        and dataclasses.is_dataclass(cls)
        and not cls.__name__.startswith("_")
    },
    key=lambda c: c.__qualname__,
)
PROPERTIES = {
    cls: [
        name
        for klass in cls.__mro__
        for name, attr in vars(klass).items()
        if isinstance(attr, property)
    ]
    for cls in MODELS
}


def touch(payload: Any) -> None:
    """Every model from `payload`, and from each item if it is a list."""
    items = payload if isinstance(payload, list) else [payload]
    for item in items[:4]:
        for cls in MODELS:
            try:
                model = cls.from_raw(item)
            except reelkit.APIResponseError:
                continue  # a job model without its required id: refused, as documented
            repr(model)
            model.to_dict()
            for name in PROPERTIES[cls]:
                getattr(model, name)


def wire_names() -> list[str]:
    """Every wire name the models read, for the generator's keys."""
    return sorted({wire for cls in MODELS for _, wire, _ in cls._fields_table})
