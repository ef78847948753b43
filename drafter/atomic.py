"""Write output files whole or not at all: beside the target, fsync, then rename.

A failure, a full disk or Ctrl-C never leaves a half-written file; without ``force`` an existing
file is never overwritten, not even one that appeared after the check.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from drafter.errors import DrafterError, OutputFileError


def check_target(out_path: Path, force: bool, error: type[DrafterError] = OutputFileError) -> None:
    folder = out_path.parent
    if not folder.is_dir():
        raise error(f"the output folder does not exist: {folder}")
    if out_path.is_dir():
        raise error(f"the output path is a folder: {out_path}")
    if out_path.exists() and not force:
        raise error(f"{out_path} already exists; pass --force to overwrite it")
    if not os.access(folder, os.W_OK):
        raise error(f"cannot write to the output folder: {folder}")


def write_atomic(data: bytes, out_path: Path, force: bool, error: type[DrafterError] = OutputFileError) -> None:
    folder = out_path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise error(f"cannot write to the output folder {folder}: {e.strerror}") from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode(out_path))
        if force:
            os.replace(tmp, out_path)
        else:
            _link_no_clobber(tmp, out_path, error)
    except OSError as e:
        raise error(f"cannot write {out_path}: {e.strerror or e}") from e
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(out_path: Path, text: str, force: bool = False, error: type[DrafterError] = OutputFileError) -> None:
    check_target(out_path, force, error)
    write_atomic(text.encode("utf-8"), out_path, force, error)


def _new_file_mode(out_path: Path) -> int:
    try:
        return out_path.stat().st_mode & 0o777  # overwriting keeps the old file's permissions
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _link_no_clobber(tmp: Path, out_path: Path, error: type[DrafterError]) -> None:
    try:
        os.link(tmp, out_path)
    except FileExistsError as e:
        raise error(f"{out_path} already exists; pass --force to overwrite it") from e
    except OSError:  # file systems without hard links
        if out_path.exists():
            raise error(f"{out_path} already exists; pass --force to overwrite it") from None
        os.replace(tmp, out_path)
