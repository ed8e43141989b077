"""reelkit.batch: many videos from a list, a CSV or a DataFrame, resumable after a
crash, within a budget, nothing paid twice.

    import reelkit, reelkit.batch

    report = reelkit.batch.run(reelkit.Hoox(), rows, ledger="batch.db", out_dir="out")
    report.counts          # {'done': 98, 'failed': 2, 'unknown': 0, 'skipped': 0}

Rows (dicts, `csv.DictReader`, a pandas DataFrame) carry a unique `key`, an `op` and
the op's parameters under the SDK's keyword names. The ledger (an SQLite file) records
the intent before every credit-spending request and the job id after it, so a second
`run` with the same ledger resumes instead of paying again. A ``redis://`` ledger is
shared by runners on several machines: each row is claimed under a lease, and a dead
runner's rows are taken over once it ran out (`plan` / `run_row` for task queues).
"""

from ._ledger import Ledger
from ._report import BatchEstimate, BatchReport, BatchRow, EstimateRow
from ._runner import aestimate, arun, arun_row, estimate, plan, run, run_row, status

__all__ = [
    "BatchEstimate",
    "BatchReport",
    "BatchRow",
    "EstimateRow",
    "Ledger",
    "aestimate",
    "arun",
    "arun_row",
    "estimate",
    "plan",
    "run",
    "run_row",
    "status",
]
