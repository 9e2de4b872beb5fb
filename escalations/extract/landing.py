"""Pages into the landing zone, and each stream's cursor, so that a kill at any instant loses nothing
and lands nothing twice.

State lives beside the pages, in ``<landing>/_extract/<source>.json`` (the loader never reads
``_extract/``). A commit of one or more pages and the stream's new cursor goes:

1. each page is written to ``<file>.part`` and fsync'ed (the loader's ``*.json``/``*.csv`` globs
   do not match ``.part``);
2. the state, holding the new cursor and the list of those pages as *pending*, is written to a
   temp file, fsync'ed and renamed over the old state (the commit point);
3. each ``.part`` is renamed to its final name and the folder fsync'ed.

A process killed before 2 leaves ``.part`` files that no state names: the next run deletes them and
pulls those pages again from the old cursor. Killed after 2, the next run finishes the renames the
state lists. Either way every page becomes visible exactly once, after its cursor is saved.

Page files are named ``extract-<UTC time of the run, microseconds>-<n>.<ext>``, so they sort in the
order they were pulled (the loader lets the later arrival win between versions of equal time).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("escalations.extract")
STATE_DIR = "_extract"
STATE_VERSION = 1


def _crash_point(name: str) -> None:
    """Where a test may stop the process as a kill would (monkeypatched there; a no-op here)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (a temp name, fsync, rename, fsync of the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def render_json_page(array_key: str, records: Iterable[Any], rest: dict | None = None) -> bytes:
    """A vendor list page with one record per line in its records array (the generator's layout,
    which also lets the loader resynchronise on the next record should a file ever be damaged)."""
    lines = [orjson.dumps(r) for r in records]
    body = b",\n".join(lines)
    tail = b"".join(b", " + orjson.dumps(k) + b": " + orjson.dumps(v) for k, v in (rest or {}).items())
    return b"{" + orjson.dumps(array_key) + b": [\n" + body + (b"\n]" if lines else b"]") + tail + b"}\n"


@dataclass
class StreamStats:
    pages: int = 0
    records: int = 0
    files: list[str] = field(default_factory=list)
    unchanged: int = 0  # whole-list documents found identical to the landed copy


class Landing:
    """The landing zone as one source's extract sees it: its state, its pages, its commits."""

    def __init__(self, root: Path, source: str, run_started: datetime | None = None) -> None:
        self.root = Path(root)
        self.source = source
        self.state_path = self.root / STATE_DIR / f"{source}.json"
        started = run_started or datetime.now(UTC)
        self.stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
        self.stats: dict[str, StreamStats] = {}
        self.state = self._read_state()
        self.recovered = self._recover()

    # ---- state -----------------------------------------------------------------------------
    def _read_state(self) -> dict:
        if not self.state_path.exists():
            return {"version": STATE_VERSION, "source": self.source, "seq": 0, "pending": [], "streams": {}}
        try:
            state = orjson.loads(self.state_path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise RuntimeError(
                f"the extract state {self.state_path} is not valid JSON ({exc}); it is written atomically, "
                "so it was edited by hand or the disk is failing: restore it, or delete it to pull again "
                "from --since"
            ) from None
        if state.get("version") != STATE_VERSION or state.get("source") != self.source:
            raise RuntimeError(
                f"{self.state_path} is not a {self.source} extract state of version {STATE_VERSION}"
            )
        return state

    def _save_state(self) -> None:
        write_durably(
            self.state_path, orjson.dumps(self.state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        )

    def _complete_pending(self) -> int:
        """Rename the committed pages that are still ``.part`` (a commit cut short after its state)."""
        done = 0
        for rel in self.state.get("pending", []):
            part = self.root / (rel + ".part")
            if part.exists():
                os.replace(part, self.root / rel)
                _fsync_dir(part.parent)
                done += 1
        return done

    def _recover(self) -> dict[str, int]:
        """Finish the renames a killed run had committed; delete pages it had not."""
        done = self._complete_pending()
        pending = set(self.state.get("pending", []))
        dropped = 0
        folder = self.root / self.source
        if folder.exists():
            for part in folder.rglob("*.part"):
                rel = part.relative_to(self.root).as_posix()[: -len(".part")]
                if rel not in pending:
                    part.unlink()
                    dropped += 1
        if self.state.get("pending"):
            self.state["pending"] = []
            self._save_state()
        if done or dropped:
            log.warning(
                "%s: an earlier run stopped mid-commit: %d committed page(s) made visible, %d uncommitted "
                "page(s) deleted (pulled again from the saved cursor)",
                self.source,
                done,
                dropped,
            )
        return {"made_visible": done, "deleted": dropped}

    def stream(self, name: str) -> dict:
        """The saved state of one stream: ``cursor`` (where the next pull starts) and ``progress``
        (how far an unfinished pull got inside its window)."""
        return self.state["streams"].setdefault(name, {"cursor": None, "progress": None})

    def cursor(self, name: str) -> Any:
        return self.stream(name).get("cursor")

    def progress(self, name: str) -> Any:
        return self.stream(name).get("progress")

    def _stats(self, stream: str) -> StreamStats:
        return self.stats.setdefault(stream, StreamStats())

    # ---- commits ---------------------------------------------------------------------------
    def page_name(self, folder: str, ext: str) -> str:
        self.state["seq"] = int(self.state.get("seq", 0)) + 1
        return f"{self.source}/{folder}/extract-{self.stamp}-{self.state['seq']:06d}.{ext}"

    def commit(
        self,
        stream: str,
        pages: list[tuple[str, bytes, int]] = (),  # (landing-relative file, bytes, records)
        *,
        cursor: Any = ...,
        progress: Any = ...,
    ) -> None:
        """Land ``pages`` and save the stream's ``cursor``/``progress`` together (see the module)."""
        for rel, data, _n in pages:
            part = self.root / (rel + ".part")
            part.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _crash_point("pages_written")
        st = self.stream(stream)
        if cursor is not ...:
            st["cursor"] = cursor
        if progress is not ...:
            st["progress"] = progress
        self.state["pending"] = [rel for rel, _d, _n in pages]
        self._save_state()
        _crash_point("state_saved")
        for rel, _d, _n in pages:
            os.replace(self.root / (rel + ".part"), self.root / rel)
        for folder in {(self.root / rel).parent for rel, _d, _n in pages}:
            _fsync_dir(folder)
        _crash_point("pages_renamed")
        stats = self._stats(stream)
        for rel, _d, n in pages:
            stats.pages += 1
            stats.records += n
            stats.files.append(rel)

    def finish(self) -> None:
        """Make the last commit's pages visible (should it have been cut short by an exception) and
        clear the pending list; pages written but never committed stay for the next run to delete."""
        self._complete_pending()
        if self.state.get("pending"):
            self.state["pending"] = []
            self._save_state()

    def commit_document(self, stream: str, rel: str, data: bytes, records: int) -> bool:
        """Replace a whole-list file (``groups.json``, ``User.csv``) when its content changed.

        An unchanged list is not rewritten: the loader would read a new file and find every row
        already loaded. Returns whether the file was written."""
        path = self.root / rel
        if path.exists() and path.read_bytes() == data:
            self._stats(stream).unchanged += 1
            return False
        self.commit(stream, [(rel, data, records)], cursor={"pulled": True})
        return True
