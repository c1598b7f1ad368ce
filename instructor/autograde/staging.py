"""Copy a student's submission folder into the grading run, taking only plain files and folders.

``shutil.copytree`` follows links: a ``data.csv`` beside the notebook that links to the course's
``gradebook.db`` or to ``solutions/`` would be copied as the gradebook's or the solution's content,
right where the learner's code runs. Here every file and folder is opened relative to its parent
folder with ``O_NOFOLLOW``, so a link (or a link swapped in while copying) is never followed; links
and special files (fifos, sockets, devices) are skipped and named in a ``skipped-file`` flag, and a
folder holding more than :class:`~instructor.autograde.intake.IntakeLimits` allows is flagged
``too-large`` and not copied at all. Notebooks are counted but not copied: the grader writes the
repaired notebook itself.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from instructor.autograde.flags import Flag
from instructor.autograde.intake import MiB, IntakeLimits

__all__ = ["stage_submission"]

_CHUNK = 1024 * 1024
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_SPECIAL = {stat.S_IFIFO: "a fifo", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device"}


class _TooLarge(Exception):
    pass


class _Copy:
    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self.bytes = 0
        self.entries = 0
        self.skipped: list[str] = []

    def count(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.limits.max_folder_bytes:
            raise _TooLarge(f"more than the {self.limits.max_folder_bytes / MiB:g} MiB a submission folder may "
                            "hold (IntakeLimits.max_folder_bytes)")

    def folder(self, descriptor: int, target: Path, relative: str) -> None:
        target.mkdir(mode=0o755)
        with os.scandir(descriptor) as entries:
            names = sorted(entry.name for entry in entries)
        for name in names:
            self.entries += 1
            if self.entries > self.limits.max_files:
                raise _TooLarge(f"more than the {self.limits.max_files} files and folders a submission may hold "
                                "(IntakeLimits.max_files)")
            shown = relative + name
            try:
                info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
            except FileNotFoundError:
                continue
            kind = stat.S_IFMT(info.st_mode)
            if kind == stat.S_IFLNK:
                self.skipped.append(f"{shown} (a link to {os.readlink(name, dir_fd=descriptor)})")
            elif kind == stat.S_IFDIR:
                try:
                    inner = os.open(name, _DIRECTORY, dir_fd=descriptor)
                except OSError:  # swapped for a link since the stat
                    self.skipped.append(f"{shown} (changed while being copied)")
                    continue
                try:
                    self.folder(inner, target / name, shown + "/")
                finally:
                    os.close(inner)
            elif kind == stat.S_IFREG:
                self.file(descriptor, name, target / name, shown)
            else:
                self.skipped.append(f"{shown} ({_SPECIAL.get(kind, 'a special file')})")

    def file(self, descriptor: int, name: str, target: Path, shown: str) -> None:
        try:
            source = os.open(name, _FILE, dir_fd=descriptor)
        except OSError:  # swapped for a link or a fifo since the stat
            self.skipped.append(f"{shown} (changed while being copied)")
            return
        with os.fdopen(source, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                self.skipped.append(f"{shown} (changed while being copied)")
                return
            if name.endswith(".ipynb"):
                self.count(info.st_size)  # counted, not copied: the repaired notebook is written by the grader
                return
            with target.open("xb") as out:
                while chunk := handle.read(_CHUNK):
                    self.count(len(chunk))  # what is read, not what stat said: the file may grow
                    out.write(chunk)


def stage_submission(folder: Path, target: Path, limits: IntakeLimits | None = None) -> list[Flag]:
    """Copy ``folder``'s plain files and folders (not its notebooks) to ``target``; flags for what was not.

    A ``too-large`` flag (fatal) means nothing was copied and ``target`` does not exist.
    """
    copy = _Copy(limits or IntakeLimits())
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(folder, _DIRECTORY)
    except OSError as error:
        return [Flag("linked-file", f"the submission folder could not be opened as a plain folder "
                                    f"({error.strerror or error}): not graded")]
    try:
        copy.folder(descriptor, target, "")
    except _TooLarge as error:
        shutil.rmtree(target, ignore_errors=True)
        return [Flag("too-large", f"the submission folder holds {error}: not graded")]
    finally:
        os.close(descriptor)
    if not copy.skipped:
        return []
    return [Flag("skipped-file", "not copied for grading: " + "; ".join(copy.skipped))]
