"""Deliveries: which slice of the simulated world one export holds.

The world is simulated once, to its end, and always the same way: every random draw, every id
and every lifecycle is the same whatever is exported. A delivery is a view of it, as the tools'
incremental exports would have returned it:

- the default export (no cut) holds everything up to the world's end, in ``page-0001.json`` files;
- a *full export at a cut* holds the world as it stood just before the cut: records created after
  it are absent, audits, events, history rows and comments after it are absent, and tickets,
  cases and milestones carry their state (status, owner, updated time, clocks) as of the cut;
- a *delta* from the previous cut to a new cut holds only what was created or changed in between:
  new and updated tickets, cases, HubSpot tickets, milestones, incidents and Jira issues (their
  whole new version, which supersedes the old one by the vendor's own updated field), and the
  immutable rows (audits, metric events, history, log entries, ratings, users) of that stretch.

Windows are half-open, ``[since, cut)``, so consecutive deliveries neither overlap nor leave a
gap, and loading a full export at cut 1 then the delta from cut 1 to cut 2 resolves to the same
raw records as a full export at cut 2. Files of a delivery with a cut carry its stamp
(``delivery-20261101T000000Z-page-0001.json``), so deliveries never collide and sort in the
order they were cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from escalations.config import parse_instant


@dataclass(frozen=True)
class Window:
    since: int | None = None  # inclusive, epoch seconds; None: a full export
    cut: int | None = None  # exclusive, epoch seconds; None: the world's end (the default export)

    def __post_init__(self) -> None:
        if self.since is not None and self.cut is None:
            raise ValueError("a delta needs a cut (the end of what it delivers)")
        if self.since is not None and self.cut is not None and self.since >= self.cut:
            raise ValueError(
                f"the delta's start {stamp(self.since)} must be before its cut {stamp(self.cut)}"
            )

    @property
    def is_default(self) -> bool:
        return self.since is None and self.cut is None

    @property
    def is_delta(self) -> bool:
        return self.since is not None

    @property
    def prefix(self) -> str:
        """What the delivery's page and part file names start with."""
        return "" if self.cut is None else f"delivery-{stamp(self.cut)}-"

    def before_cut(self, t: int) -> bool:
        """Whether something that happened at ``t`` had happened by the cut."""
        return self.cut is None or t < self.cut

    def has(self, t: int) -> bool:
        """Whether something that happened at ``t`` belongs to this delivery."""
        return (self.since is None or t >= self.since) and (self.cut is None or t < self.cut)

    def as_of(self, e) -> tuple[int, bool, int]:
        """An escalation as it stood at the cut: the index of its last lifecycle step before it (-1:
        none yet), whether it was deleted by then, and when it last changed by then."""
        upto = last_before(e.steps, self.cut)
        deleted = e.deleted_at is not None and self.before_cut(e.deleted_at)
        updated = e.deleted_at if deleted else e.steps[upto][0] if upto >= 0 else 0
        return upto, deleted, updated

    def now(self, end: int) -> int:
        """The instant the export was taken."""
        return end if self.cut is None else self.cut


FULL = Window()


def stamp(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_epoch(text: str) -> int:
    """An ISO-8601 instant with a zone (``2026-11-01T00:00:00Z``) as epoch seconds."""
    return int(parse_instant(text).timestamp())


def last_before(steps: list, cut: int | None) -> int:
    """Index of the last lifecycle step before ``cut`` (-1: none; the last one when no cut)."""
    if cut is None:
        return len(steps) - 1
    k = len(steps) - 1
    while k >= 0 and steps[k][0] >= cut:
        k -= 1
    return k
