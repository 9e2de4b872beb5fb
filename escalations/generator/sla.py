"""SLA clocks on the generator's own exact timeline.

A metric runs over a list of UTC intervals (the stretches in which its clock counts: e.g. new,
open and on-hold for requester wait time). Elapsed time is calendar or business seconds over those
intervals; a target is crossed at the first instant the elapsed time exceeds it, pauses excluded.
A priority change re-applies the policy: the clock keeps its start and takes the new target from
the change on (crossed already -> breached at the change).
"""

from __future__ import annotations

INF = 1 << 62


def status_spans(timeline: list[tuple[int, str]], stop: int) -> list[tuple[int, int, str]]:
    """[(t, status)] ordered -> [(from, to, status)] up to ``stop`` (world end or deletion)."""
    spans = []
    n = len(timeline)
    for i in range(n):
        a, s = timeline[i]
        if a >= stop:
            break
        b = timeline[i + 1][0] if i + 1 < n else stop
        if b > stop:
            b = stop
        if b > a:
            spans.append((a, b, s))
    return spans


def running(
    spans: list[tuple[int, int, str]], states: frozenset[str], start: int, stop: int
) -> list[list[int]]:
    """Merged intervals within [start, stop] where the status is one of ``states``."""
    out: list[list[int]] = []
    for a, b, s in spans:
        if s not in states or b <= start or a >= stop:
            continue
        if a < start:
            a = start
        if b > stop:
            b = stop
        if out and out[-1][1] == a:
            out[-1][1] = b
        else:
            out.append([a, b])
    return out


def elapsed(clock, intervals) -> int:
    between = clock.between
    return sum(between(a, b) for a, b in intervals)


def crossing(clock, intervals, target: int) -> int | None:
    """First instant at which the elapsed time over ``intervals`` exceeds ``target`` seconds."""
    acc = 0
    for a, b in intervals:
        oa = clock.open_at(a)
        seg = clock.open_at(b) - oa
        if acc + seg > target:
            return clock.at_open(oa + target - acc)
        acc += seg
    return None


def breach_at(intervals, segments: list[tuple[int, object, int | None]]) -> int | None:
    """segments: [(applied_at, clock, target seconds or None)] ordered by applied_at."""
    n = len(segments)
    for k in range(n):
        applied, clock, target = segments[k]
        if target is None:
            continue
        until = segments[k + 1][0] if k + 1 < n else INF
        c = crossing(clock, intervals, target)
        if c is None:
            continue
        if c < applied:
            c = applied
        if c < until:
            return c
    return None


def runs_with_exit(
    spans: list[tuple[int, int, str]], states: frozenset[str], start: int, stop: int
) -> list[list]:
    """Like ``running`` but each interval also says the status that ended it (None at ``stop``)."""
    out: list[list] = []
    prev_in = False
    for a, b, s in spans:
        if b <= start or a >= stop:
            continue
        inside = s in states
        if inside:
            a = max(a, start)
            b = min(b, stop)
            if out and prev_in and out[-1][1] == a:
                out[-1][1] = b
            else:
                out.append([a, b, None])
        elif prev_in and out:
            out[-1][2] = s
        prev_in = inside
    return out
