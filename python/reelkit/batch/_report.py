# What a batch hands back: one frozen BatchRow per row and the BatchReport around them
# (counts, credits, DataFrame, CSV, an HTML table in notebooks), built from the ledger.
"""`BatchRow`, `BatchReport` and `BatchEstimate`."""

from __future__ import annotations

import csv
import dataclasses
import html
import os
from collections.abc import Iterable
from typing import Any

from ._ledger import Record

__all__ = ["BatchEstimate", "BatchReport", "BatchRow", "EstimateRow", "row_from_record"]

#: The states a finished run reports (a ledger read mid-run may also show
#: `pending` and `running`).
STATES = ("done", "failed", "unknown", "skipped")

_FIELDS = ("key", "op", "state", "job_id", "video_id", "url", "path", "credits", "error")


@dataclasses.dataclass(frozen=True)
class BatchRow:
    """One row's outcome. `job_id` is the row's main job (Hoox generation or export,
    avatar look, asset; Hooked project), `credits` what the server reported as spent
    (None when nothing is known), `error` the full text of what went wrong or what
    to check, with its ids."""

    key: str
    op: str
    state: str
    job_id: str | None = None
    video_id: str | None = None
    url: str | None = None
    path: str | None = None
    credits: float | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


def row_credits(record: Record) -> float | None:
    """Credits the server reported for the row's steps, earlier attempts included (a
    failed job that is not refunded keeps its charge on its failed step)."""
    total = None
    earlier = [s for h in record.history for s in (h.get("steps") or {}).values()]
    for step in [*earlier, *record.steps.values()]:
        value = step.get("v") if step.get("s") == "ok" else step
        credits = value.get("credits") if value else None
        if isinstance(credits, (int, float)):
            total = (total or 0.0) + float(credits)
    return None if total is None else round(total, 4)


def row_from_record(record: Record) -> BatchRow:
    found: dict[str, Any] = {}
    for step in record.steps.values():
        value = step.get("v") if step.get("s") == "ok" else None
        for name in ("job_id", "video_id", "url", "path"):
            if value and value.get(name):
                # The first job id is the row's main job; later ids/urls refine.
                if name == "job_id" and "job_id" in found:
                    continue
                found[name] = value[name]
    return BatchRow(
        key=record.key,
        op=record.op,
        state=record.state,
        credits=row_credits(record),
        error=record.error,
        **found,
    )


@dataclasses.dataclass(frozen=True)
class BatchReport:
    """The rows of a batch, in input order."""

    rows: tuple[BatchRow, ...]

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> BatchReport:
        return cls(tuple(row_from_record(r) for r in records))

    @property
    def counts(self) -> dict[str, int]:
        """Rows per state (every state listed, zeros included)."""
        out = dict.fromkeys(STATES, 0)
        for row in self.rows:
            out[row.state] = out.get(row.state, 0) + 1
        return out

    @property
    def credits(self) -> float:
        """Credits reported spent across the rows."""
        return round(sum(r.credits or 0.0 for r in self.rows), 4)

    def __getitem__(self, key: str) -> BatchRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_pandas(self) -> Any:
        """A DataFrame with one line per row (needs pandas)."""
        import importlib

        pd: Any = importlib.import_module("pandas")
        return pd.DataFrame([r.to_dict() for r in self.rows], columns=list(_FIELDS))

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the rows as CSV (empty cells for missing values)."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(_FIELDS))
            writer.writeheader()
            for row in self.rows:
                writer.writerow({k: "" if v is None else v for k, v in row.to_dict().items()})

    def summary(self) -> str:
        """One line: the counts and the credits."""
        counts = ", ".join(f"{n} {state}" for state, n in self.counts.items() if n)
        return f"{len(self.rows)} rows: {counts or 'none'}; {self.credits:g} credits"

    def __repr__(self) -> str:
        return f"<BatchReport {self.summary()}>"

    def _repr_html_(self) -> str:
        colors = {"done": "#1a7f37", "failed": "#cf222e", "unknown": "#9a6700"}
        head = "".join(f"<th>{name}</th>" for name in _FIELDS)
        body = []
        for row in self.rows[:1000]:
            cells = []
            for name in _FIELDS:
                value = getattr(row, name)
                text = "" if value is None else html.escape(str(value))
                if name == "state" and row.state in colors:
                    text = f'<span style="color:{colors[row.state]}">{text}</span>'
                cells.append(f"<td>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = (
            f"<p>... and {len(self.rows) - 1000} more rows (.to_pandas() has them all)</p>"
            if len(self.rows) > 1000
            else ""
        )
        return (
            f"<p><b>Batch</b>: {html.escape(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"
        )


@dataclasses.dataclass(frozen=True)
class EstimateRow:
    """One row's estimated credits; None with `note` when it cannot be estimated."""

    key: str
    op: str
    credits: float | None
    note: str | None = None


@dataclasses.dataclass(frozen=True)
class BatchEstimate:
    """Estimated credits per row; `total` counts only the rows that could be
    estimated, and `unpriced` lists the others (never counted as zero)."""

    rows: tuple[EstimateRow, ...]

    @property
    def total(self) -> float:
        return round(sum(r.credits for r in self.rows if r.credits is not None), 4)

    @property
    def unpriced(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows if r.credits is None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [dataclasses.asdict(r) for r in self.rows],
            "total": self.total,
            "unpriced": list(self.unpriced),
        }

    def __repr__(self) -> str:
        extra = f", {len(self.unpriced)} cannot be estimated" if self.unpriced else ""
        return f"<BatchEstimate {self.total:g} credits for {len(self.rows)} rows{extra}>"
