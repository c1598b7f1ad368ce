"""What does containing the learner kernel cost at start? Four kernels side by side, in one run.

For each kind of kernel, the time from "start a kernel" to the reply of its first
``execute_request``, whose code imports what a learner kernel needs under grading (ipykernel is
already there; boto3/botocore and ``course``; not moto, the cloud is remote then), then shutdown:

* ``plain``: stock jupyter_client, ``python -m ipykernel_launcher`` over TCP;
* ``warm``: forked from the zygote (``instructor.autograde.zygote``), everything already imported;
* ``contained``: ``instructor.autograde.contained_kernel`` (bubblewrap, ipc sockets, rlimits);
* ``warm contained``: ``instructor.autograde.warm_contained_kernel``, forked by the learner zygote
  of this process's one sandbox (started by the unmeasured first run, as a grading process pays it
  once), which kills what the last kernel left and wipes its writable places first.

It also prints the contained kernel's address space after those imports (``VmPeak``), the figure
behind ``Limits.address_space``. Kinds are interleaved run by run, so machine load hits them alike.

Run: ``.venv/bin/python benchmarks/contained_kernel.py [--runs 5]`` (Linux, with bubblewrap)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from instructor.autograde import contain, zygote
from instructor.autograde.contained_kernel import contained_manager
from instructor.autograde.warm_contained_kernel import warm_contained_manager
from instructor.autograde.zygote import WarmKernelManager

FIRST_CELL = "import boto3, botocore.session, course\nboto3.session.Session(region_name='us-east-1')"
ADDRESS_SPACE = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmPeak')][0])"


async def _execute(client: Any, code: str) -> str:
    """Run ``code``; return what it printed."""
    msg_id = client.execute(code)
    printed = ""
    while True:
        msg = await client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            printed += msg["content"]["text"]
        elif msg["msg_type"] == "error":
            raise RuntimeError(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return printed


async def first_round_trip(manager_class: type, folder: str, peak: bool = False) -> tuple[float, float, str]:
    """Seconds to start + first execute reply, seconds to shut down, and (if asked) VmPeak in kB."""
    manager = manager_class(kernel_name="python3")
    start = time.perf_counter()
    await manager.start_kernel(cwd=folder)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        await _execute(client, FIRST_CELL)
        ready = time.perf_counter() - start
        address_space = (await _execute(client, ADDRESS_SPACE)).strip() if peak else ""
    finally:
        client.stop_channels()
        stop = time.perf_counter()
        await manager.shutdown_kernel(now=True)
    return ready, time.perf_counter() - stop, address_space


async def main(runs: int) -> None:
    kinds = {"plain": AsyncKernelManager, "warm": WarmKernelManager, "contained": contained_manager(),
             "warm contained": warm_contained_manager()}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    shutdowns: dict[str, list[float]] = {kind: [] for kind in kinds}
    peaks: list[int] = []
    with tempfile.TemporaryDirectory() as folder, zygote.shared():
        for kind, manager_class in kinds.items():  # one unmeasured start each: disk cache, zygote's imports
            await first_round_trip(manager_class, folder)
        for _ in range(runs):
            for kind, manager_class in kinds.items():
                ready, shutdown, peak = await first_round_trip(manager_class, folder, peak=kind == "contained")
                times[kind].append(ready)
                shutdowns[kind].append(shutdown)
                if peak:
                    peaks.append(int(peak))
    plain = statistics.median(times["plain"])
    print(f"{'kernel':<15} {'start + first cell (median)':>28} {'range':>15} {'shutdown':>9} {'vs plain':>9}")
    for kind in kinds:
        t = times[kind]
        print(f"{kind:<15} {statistics.median(t):>26.3f} s {min(t):>6.3f}-{max(t):.3f} s "
              f"{statistics.median(shutdowns[kind]):>7.3f} s {statistics.median(t) / plain:>8.2f}x")
    warm = statistics.median(times["warm"])
    print(f"contained / warm: {statistics.median(times['contained']) / warm:.1f}x, "
          f"warm contained / warm: {statistics.median(times['warm contained']) / warm:.1f}x")
    print(f"contained kernel address space after the imports (VmPeak): {max(peaks) / 1024:.0f} MiB "
          f"(limit {contain.Limits().address_space / 2 ** 20:.0f} MiB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    reason = contain.probe()
    if reason is not None:
        raise SystemExit(f"cannot contain a kernel here: {reason}")
    asyncio.run(main(parser.parse_args().runs))
