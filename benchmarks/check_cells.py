"""How fast is feedback? Measured side by side in one run (the machine is noisy: read the ratios).

Prints:
* each graded check cell's time in a solution notebook (01_sqs_queues if present, else
  00_start_here; goal: < 200 ms);
* the time to execute the whole notebook top to bottom vs a bare kernel start + stop, as a ratio
  (goal: <= 1.5x) - i.e. how much the course itself adds to the unavoidable kernel cost;
* the five slowest cells, to show where that time goes.

Run: ``.venv/bin/python benchmarks/check_cells.py [assignment_id] [--repeat N]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def bare_kernel() -> float:
    """Seconds to start and stop a kernel that runs nothing."""
    nb = nbformat.v4.new_notebook()
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", shutdown_kernel="immediate").execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_notebook(path: Path) -> tuple[float, dict[str, float], dict[str, float]]:
    """Seconds for the whole notebook (kernel included), per graded cell and per other cell."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", shutdown_kernel="immediate", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}}, record_timing=True)
    start = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up warning is noise here
    total = time.perf_counter() - start
    checks, others = {}, {}
    for cell in nb.cells:
        timing = cell.metadata.get("execution")
        if cell.cell_type != "code" or not timing:
            continue
        seconds = _parse(timing["shell.execute_reply"]) - _parse(timing["iopub.execute_input"])
        grading = cell.metadata.get("nbgrader", {})
        (checks if grading.get("grade") else others)[grading.get("grade_id", cell.get("id"))] = seconds
    return total, checks, others


def _parse(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("assignment", nargs="?", help="default: 01_sqs_queues if present, else 00_start_here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.assignment is None:
        present = (ROOT / "solutions" / "01_sqs_queues").is_dir()
        args.assignment = "01_sqs_queues" if present else "00_start_here"
    path = ROOT / "solutions" / args.assignment / f"{args.assignment}.ipynb"

    bare, full, per_cell, per_other = [], [], {}, {}
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        bare.append(bare_kernel())
        total, checks, others = run_notebook(path)
        full.append(total)
        for name, seconds in checks.items():
            per_cell.setdefault(name, []).append(seconds)
        for name, seconds in others.items():
            per_other.setdefault(name, []).append(seconds)

    print(f"check cells in {args.assignment} (median of {args.repeat} runs; goal < 200 ms):")
    for name, times in per_cell.items():
        median = statistics.median(times) * 1000
        print(f"  {name:<10} {median:7.0f} ms  {'ok' if median < 200 else 'SLOW'}")
    slowest = max(statistics.median(t) for t in per_cell.values()) * 1000
    ratio = statistics.median(full) / statistics.median(bare)
    print(f"slowest check cell: {slowest:.0f} ms")
    print(f"whole notebook vs bare kernel start+stop: {ratio:.2f}x (goal <= 1.5x)"
          f"  [{statistics.median(full):.2f} s vs {statistics.median(bare):.2f} s]")
    cells = {name: statistics.median(t) for name, t in (per_other | per_cell).items()}
    in_cells = sum(cells.values())
    print(f"the cells themselves take {in_cells:.2f} s; the five slowest:")
    for name, seconds in sorted(cells.items(), key=lambda item: -item[1])[:5]:
        print(f"  {name:<24} {seconds * 1000:7.0f} ms  {seconds / in_cells:4.0%}")


if __name__ == "__main__":
    main()
