"""Notebook rendering (`_repr_html_`): a video player for models with a playable URL,
a thumbnail for looks and avatars, a compact table for lists and pages. Every value
is escaped (`html.escape`); only http(s) URLs are ever used as a `src`."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Iterable, Sequence
from typing import Any

#: Rows and columns a list table shows; the rest is summarised in one line.
TABLE_ROWS = 20
TABLE_COLUMNS = 6
_CELL = 60

_ID_ATTRS = ("id", "job_id", "asset_id", "look_id", "project_id", "video_id")
_STYLE = "font-family:sans-serif;font-size:13px"
_PLAYER_WIDTH = 360
_THUMB_WIDTH = 160


def _text(value: Any, limit: int = _CELL) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        value = value.isoformat(sep=" ", timespec="seconds")
    elif hasattr(value, "_plan") and hasattr(value, "to_dict"):
        value = type(value).__name__  # a nested model: its name, the table stays flat
    elif isinstance(value, (list, tuple)):
        value = f"[{len(value)} items]" if len(value) != 1 else "[1 item]"
    elif isinstance(value, dict):
        value = "{…}" if value else "{}"
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True)


def safe_url(value: Any) -> str | None:
    """`value` if it is an http(s) URL (the only kind used as a src), else None."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return None


def _caption(kind: str, ident: Any, status: Any) -> str:
    parts = [f"<b>{html.escape(kind)}</b>"]
    if ident is not None:
        parts.append(f"<code>{_text(ident)}</code>")
    if status is not None:
        parts.append(f"status <b>{_text(status)}</b>")
    return " · ".join(parts)


def video_player(
    url: str, *, kind: str, ident: Any = None, status: Any = None, poster: Any = None
) -> str:
    """An HTML5 player for `url` with the job's kind, id and status beneath it. Shared
    by every model with a playable URL (a Hooked video, a Hoox export, a batch row)."""
    src = html.escape(url, quote=True)
    poster_url = safe_url(poster)
    poster_attr = f' poster="{html.escape(poster_url, quote=True)}"' if poster_url else ""
    return (
        f'<div class="reelkit-video" style="{_STYLE}">'
        f'<video controls preload="metadata" width="{_PLAYER_WIDTH}" src="{src}"{poster_attr}>'
        f'<a href="{src}">{_text(url)}</a></video>'
        f"<div>{_caption(kind, ident, status)}</div></div>"
    )


def thumbnail(url: str, *, kind: str, ident: Any = None, status: Any = None) -> str:
    src = html.escape(url, quote=True)
    return (
        f'<div class="reelkit-thumbnail" style="{_STYLE}">'
        f'<img src="{src}" width="{_THUMB_WIDTH}" alt="{_text(ident or kind)}" loading="lazy">'
        f"<div>{_caption(kind, ident, status)}</div></div>"
    )


def _fields(model: Any) -> list[tuple[str, Any]]:
    names = (model._plan or model._build_plan())[0]
    values = model.__dict__
    return [(name, values[name]) for name in names if values.get(name) is not None]


def fields_table(model: Any) -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th><td>{_text(value)}</td></tr>"
        for name, value in _fields(model)
    )
    return (
        f'<div class="reelkit-model" style="{_STYLE}"><b>{html.escape(type(model).__name__)}</b>'
        f"<table>{rows}</table></div>"
    )


def model_html(model: Any) -> str:
    """A player when the model has a playable URL, a thumbnail when it has an image,
    else its non-empty fields as a two-column table."""
    kind = type(model).__name__
    ident = next(
        (getattr(model, a, None) for a in _ID_ATTRS if getattr(model, a, None) is not None), None
    )
    status = getattr(model, "status", None)
    video_attr, image_attr = model._html_video, model._html_image
    url = safe_url(getattr(model, video_attr, None)) if video_attr else None
    image = safe_url(getattr(model, image_attr, None)) if image_attr else None
    if url is not None:
        return video_player(url, kind=kind, ident=ident, status=status, poster=image)
    if image is not None:
        return thumbnail(image, kind=kind, ident=ident, status=status)
    return fields_table(model)


def _columns(models: Sequence[Any]) -> list[str]:
    """The first TABLE_COLUMNS fields that any shown row has a value for."""
    names = (models[0]._plan or models[0]._build_plan())[0]
    used = [n for n in names if any(m.__dict__.get(n) is not None for m in models)]
    return used[:TABLE_COLUMNS]


def table(items: Iterable[Any], *, title: str | None = None, total: int | None = None) -> str:
    """A compact table of models: the first TABLE_ROWS rows, TABLE_COLUMNS columns."""
    models = list(items)
    shown = models[:TABLE_ROWS]
    count = len(models) if total is None else total
    head = html.escape(title or (type(models[0]).__name__ + " list" if models else "empty list"))
    summary = f"<b>{head}</b> · {count} item{'s' if count != 1 else ''}"
    if not shown or not hasattr(shown[0], "_plan"):
        return f'<div class="reelkit-list" style="{_STYLE}">{summary}</div>'
    columns = _columns(shown)
    header = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_text(m.__dict__.get(c, ''))}</td>" for c in columns) + "</tr>"
        for m in shown
    )
    more = f"<div>… {count - len(shown)} more</div>" if count > len(shown) else ""
    return (
        f'<div class="reelkit-list" style="{_STYLE}">{summary}'
        f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>{more}</div>"
    )
