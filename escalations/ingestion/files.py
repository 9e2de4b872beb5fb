"""Find a table's files in the landing zone, open them safely and decode them.

Nothing outside the landing zone is ever read: a symbolic link (to a file or a directory) whose
target lies outside is refused, and so is anything that is not a regular file (a FIFO, a device,
a socket, a directory named like a file); a FIFO is never opened for reading, so it cannot block
the run. A file bigger than ``max_file_bytes`` is refused without being read.

Files are returned in delivery order: by modification time (when the export finished writing
the file), then by landing-relative path. That order decides which copy of a record counts as
the first one read (the others are duplicates) whatever the files are named.

A file's stamp (device, inode, size, modification and change times) tells a loader that a file it
read before is untouched without reading it again: any write, rename over it, copy or restore
changes its change time (which no user can set back) or its inode. A stamp is only kept when
both times were at least ``SETTLED_NS`` old when the file was opened (as git does with its
"racily clean" entries), so a write in the same clock tick as the read cannot hide behind it.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import threading
import time
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

# Bytes that do not decode are kept as the lone surrogates U+DC00 + byte (never produced by a
# correct decoding in any of the codecs), so a reader can tell which record they sit in.
_MARK = "escalations-mark-undecodable"
_UNDECODABLE = re.compile("[\udc00-\udcff]")
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# a stamp is kept only for a file whose last write is this much older than the read (filesystems
# with coarse clocks: FAT keeps 2 s, some network filesystems 1 s)
SETTLED_NS = 3_000_000_000

_marked = threading.local()  # bytes marked by this thread's decodings so far


def _mark_undecodable(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    _marked.count = getattr(_marked, "count", 0) + len(bad)
    return "".join(chr(0xDC00 + b) for b in bad), err.end


codecs.register_error(_MARK, _mark_undecodable)


@dataclass
class Decoded:
    text: str
    encoding: str  # the codec used
    by_bom: bool  # True when a byte-order mark chose it
    undecodable: int = 0  # how many bytes did not decode (marked in ``text``)


def decode(data: bytes, declared: str = "utf-8") -> Decoded:
    """Decode by the byte-order mark when there is one (and drop it), else by ``declared``.

    Undecodable bytes become markers (see ``undecodable``), never U+FFFD and never an exception."""
    before = getattr(_marked, "count", 0)
    codec, by_bom, body = codecs.lookup(declared).name, False, data
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, by_bom, body = name, True, data[len(bom) :]
            break
    text = body.decode(codec, errors=_MARK)
    return Decoded(text, codec, by_bom, getattr(_marked, "count", 0) - before)


def undecodable(text: str) -> list[int]:
    """The byte values of the undecodable bytes in ``text`` (decoded by ``decode``)."""
    return [ord(m.group()) - 0xDC00 for m in _UNDECODABLE.finditer(text)]


def first_undecodable(text: str) -> int | None:
    """Index of the first undecodable byte in ``text``, or None."""
    m = _UNDECODABLE.search(text)
    return m.start() if m else None


def visible(text: str) -> str:
    """``text`` with undecodable bytes written as \\xNN, safe to store and print."""
    if _UNDECODABLE.search(text) is None:
        return text
    return _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


@dataclass
class LandingFile:
    """One path of the landing zone that matched a table's pattern."""

    rel: str  # landing-relative path as the landing zone names it (a link keeps its own name)
    path: Path  # the real path (links inside the zone resolved)
    mtime_ns: int = 0
    size: int = 0
    refused: str | None = None  # quarantine reason when the file must not be read
    detail: str | None = None
    key: str | None = None  # what stands for its sha256 in raw._ingested_files when refused
    stamp: str | None = None  # device, inode, size and times when listed (a regular file)

    @property
    def delivery_order(self) -> tuple[int, str]:
        return self.mtime_ns, self.rel


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _refuse_link(rel: str, link: Path, target: str) -> LandingFile:
    return LandingFile(
        rel,
        link,
        refused="link_outside_landing",
        detail=(
            f"{rel} is a symbolic link to {target}, outside the landing zone: not read "
            "(copy the export into the landing zone instead of linking to it)"
        ),
        key="link:" + hashlib.sha256(target.encode(errors="surrogateescape")).hexdigest(),
    )


def find_files(landing: Path, pattern: str, max_file_bytes: int) -> list[LandingFile]:
    """Every path matching ``pattern`` (``dir/sub/*.json`` or ``dir/file.csv``), in delivery order.

    Links inside the zone are followed; links out of it and non-regular files come back refused.
    Nothing is opened here: only names and ``lstat``/``stat`` are read.
    """
    root = os.path.realpath(landing)
    if not os.path.isdir(root):
        return []
    parts = pattern.split("/")
    level: list[tuple[str, str]] = [(root, "")]  # (real directory, its landing-relative name)
    found: list[LandingFile] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        deeper: list[tuple[str, str]] = []
        for real_dir, rel_dir in level:
            if any(c in part for c in "*?["):
                try:
                    names = sorted(e.name for e in os.scandir(real_dir) if fnmatchcase(e.name, part))
                except OSError:
                    continue
            else:
                names = [part] if os.path.lexists(os.path.join(real_dir, part)) else []
            for name in names:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                child = os.path.join(real_dir, name)
                real = os.path.realpath(child) if os.path.islink(child) else child
                if not _inside(root, real):
                    found.append(_refuse_link(rel, Path(child), real))
                    continue
                if last:
                    found.append(_describe(rel, Path(real), max_file_bytes))
                elif os.path.isdir(real):
                    deeper.append((real, rel))
        level = deeper
    return sorted(found, key=lambda f: f.delivery_order)


def _describe(rel: str, path: Path, max_file_bytes: int) -> LandingFile:
    try:
        st = os.stat(path)
    except OSError as exc:  # a dangling link, or a file removed while we looked
        return LandingFile(
            rel, path, refused="unreadable", detail=f"{rel} cannot be read: {exc}", key="unreadable:missing"
        )
    f = LandingFile(rel, path, st.st_mtime_ns, st.st_size, stamp=_stamp(st))
    if not stat.S_ISREG(st.st_mode):
        f.refused = "not_a_regular_file"
        f.detail = f"{rel} is {_kind(st.st_mode)}, not a regular file: not read"
        f.key = f"special:{stat.S_IFMT(st.st_mode):o}"
    elif st.st_size > max_file_bytes:
        f.refused = "too_large"
        f.detail = (
            f"{rel} holds {st.st_size:,} bytes, more than ESCALATIONS_MAX_FILE_BYTES ({max_file_bytes:,}): "
            "not read (split the export, or raise the limit if the machine has the memory)"
        )
        f.key = f"too_large:{st.st_size}:{st.st_mtime_ns}"
    return f


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def settled_stamp(st: os.stat_result, now_ns: int | None = None) -> str | None:
    """The stamp of an opened file, or None while its last write is too recent to trust it."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    if max(st.st_mtime_ns, st.st_ctime_ns) > now_ns - SETTLED_NS:
        return None
    return _stamp(st)


class Refused(Exception):
    """A landing file that must not be (or could not be) read; ``reason`` is a quarantine reason."""

    def __init__(self, reason: str, detail: str, key: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.key = key


def read_file(landing: Path, f: LandingFile, max_file_bytes: int) -> tuple[bytes, str | None]:
    """The bytes of one regular file of the landing zone and its settled stamp (taken on the open
    file before reading, see ``settled_stamp``), or ``Refused``.

    Opened without following a link and without blocking, then checked again on the open file
    (it is a regular file, it still lies inside the zone, it is not over the size limit), so a
    file swapped for a link or a FIFO between listing and reading is refused all the same.
    """
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    stamp = f"{f.size}:{f.mtime_ns}"
    try:
        fd = os.open(f.path, flags)
    except OSError as exc:
        raise Refused("unreadable", f"{f.rel} cannot be opened: {exc}", f"unreadable:{stamp}") from None
    try:
        st = os.fstat(fd)
        stamp_before = settled_stamp(st)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(
                "not_a_regular_file",
                f"{f.rel} is {_kind(st.st_mode)}, not a regular file: not read",
                f"special:{stat.S_IFMT(st.st_mode):o}",
            )
        proc = f"/proc/self/fd/{fd}"
        if os.path.exists(proc):
            real = os.readlink(proc)
            if not _inside(os.path.realpath(landing), real):
                raise Refused(
                    "link_outside_landing",
                    f"{f.rel} resolves to {real}, outside the landing zone: not read",
                    "link:" + hashlib.sha256(real.encode(errors="surrogateescape")).hexdigest(),
                )
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_file_bytes:
                raise Refused(
                    "too_large",
                    f"{f.rel} holds more than ESCALATIONS_MAX_FILE_BYTES ({max_file_bytes:,}) bytes: not read",
                    f"too_large:{stamp}",
                )
            chunks.append(chunk)
        return b"".join(chunks), stamp_before
    except OSError as exc:
        raise Refused("unreadable", f"{f.rel} cannot be read: {exc}", f"unreadable:{stamp}") from None
    finally:
        os.close(fd)
