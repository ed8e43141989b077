"""Build every response model from a payload and read everything on it, as a user
would: fields, properties, `to_dict()`, `repr()`."""

from __future__ import annotations

import inspect
from typing import Any

from reelkit._models import _base, hooked, hoox

MODELS = sorted(
    {
        cls
        for module in (hoox, hooked)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, _base.Model) and cls not in (_base.Model, _base.StatusModel)
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
            model = cls.from_raw(item)
            repr(model)
            model.to_dict()
            for name in PROPERTIES[cls]:
                getattr(model, name)
