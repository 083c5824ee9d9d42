"""A small tmpfs of the test's own, for a full disk or a read-only disk that is real (root only).

Nothing outside the mount point the test made is filled or remounted, and it is unmounted when
the test ends, whatever happened."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

NOT_ROOT = "mounting a small tmpfs needs root; this machine's user is not root"


def skip_unless_root() -> None:
    if os.geteuid() != 0:
        pytest.skip(NOT_ROOT)


@contextlib.contextmanager
def small_tmpfs(mount_point: Path, size: str = "4m") -> Iterator[Path]:
    skip_unless_root()
    mount_point.mkdir(parents=True)
    completed = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        pytest.skip(f"could not mount a tmpfs here: {completed.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def fill(folder: Path) -> Path:
    """Fill the tmpfs `folder` is on to the last byte; returns the filler file to remove."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for block in (b"\0" * 65536, b"\0"):  # then the last few bytes, one at a time
            try:
                while out.write(block):
                    pass
            except OSError:
                pass
    return filler


def remount_read_only(mount_point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
