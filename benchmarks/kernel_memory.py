"""How much memory does a student's kernel need? The sizing behind hub/ (memory limits per user).

Runs every solution notebook top to bottom in its own kernel, as a student would, and prints the
kernel's peak resident memory (Linux ``VmHWM``, read while the kernel is still alive). moto runs in
the kernel, so this is the whole mocked cloud included.

Run: ``.venv/bin/python benchmarks/kernel_memory.py [assignment_id ...]`` (Linux only)
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(path: Path) -> tuple[float, float]:
    """Peak kernel RSS in MiB and seconds, for one notebook run top to bottom."""
    nb = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(path.parent))
    pid = manager.provisioner.process.pid
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                peak[0] = max(peak[0], _peak_kib(pid))
            except OSError:
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    try:
        NotebookClient(nb, km=manager, timeout=120, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        peak[0] = max(peak[0], _peak_kib(pid))
    finally:
        done.set()
        watcher.join()
        manager.shutdown_kernel(now=True)
    return peak[0] / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args()
    paths = sorted((ROOT / "solutions").glob("*/*.ipynb"))
    paths = [p for p in paths if p.stem == p.parent.name and (not args.ids or p.stem in args.ids)]
    peaks = []
    for path in paths:
        mib, seconds = measure(path)
        peaks.append(mib)
        print(f"{path.stem:32s} kernel peak RSS {mib:6.0f} MiB   ({seconds:4.1f} s)")
    if peaks:
        print(f"{'largest':32s} kernel peak RSS {max(peaks):6.0f} MiB")


if __name__ == "__main__":
    main()
