"""Jira search results (expand=changelog): remediation plans as Epics, their action items as
Tasks (fields.parent), with the account's custom fields and status-change histories. A delivery
with a cut holds the issues created before it as they stood then; a delta holds the issues that
are new or changed since its start."""

from __future__ import annotations

from pathlib import Path

from escalations.generator.calendars import iso_jira
from escalations.generator.delivery import FULL, Window
from escalations.generator.world import RemediationPlan
from escalations.generator.writers import JsonPages, PageInfo, dumps

PER_PAGE = 50
STATUS = {  # name -> (id, statusCategory key)
    "To Do": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "Done": ("10001", "done"),
}
ASSIGNEES = (
    ("5b10a2844c20165700ede21g", "Rae PM"),
    ("5b10a2844c20165700ede22h", "Ola Eng"),
    ("5b10a2844c20165700ede23i", "Ken Policy"),
)


def _status(name: str) -> dict:
    return {"name": name, "statusCategory": {"key": STATUS[name][1]}}


def _transitions(started: int | None, done: int | None, now: int) -> list[tuple[int, str, str]]:
    out = []
    if started is not None and started < now:
        out.append((started, "To Do", "In Progress"))
    if done is not None and done < now:
        if not out:
            out.append((done - 3600, "To Do", "In Progress"))
        out.append((done, "In Progress", "Done"))
    return out


class _Ids:
    def __init__(self) -> None:
        self.issue = 10000
        self.history = 500


def _issue(
    ids: _Ids,
    key: str,
    summary: str,
    issuetype: str,
    created: int,
    started: int | None,
    done: int | None,
    due,
    plan: RemediationPlan,
    now: int,
    parent: str | None,
    labels: list[str],
    partners: list[str],
    linked: list[str],
    assignee,
) -> dict:
    ids.issue += 1
    moves = _transitions(started, done, now)
    status = moves[-1][2] if moves else "To Do"
    histories = []
    for t, frm, to in moves:
        ids.history += 1
        histories.append(
            {
                "id": str(ids.history),
                "created": iso_jira(t),
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": STATUS[frm][0],
                        "fromString": frm,
                        "to": STATUS[to][0],
                        "toString": to,
                    }
                ],
            }
        )
    updated = moves[-1][0] if moves else created
    fields = {
        "summary": summary,
        "issuetype": {"name": issuetype},
        "status": _status(status),
    }
    if parent:
        fields["parent"] = {"key": parent}
    fields.update(
        {
            "created": iso_jira(created),
            "updated": iso_jira(updated),
            "duedate": due.isoformat(),
            "resolutiondate": iso_jira(done) if status == "Done" else None,
            "labels": labels,
            "assignee": {"accountId": assignee[0], "displayName": assignee[1]} if assignee else None,
            "customfield_10100": plan.root_cause,
            "customfield_10101": plan.owning_team,
            "customfield_10102": [{"value": p} for p in partners],
            "customfield_10103": linked,
            "issuelinks": [],
        }
    )
    return {"id": str(ids.issue), "key": key, "fields": fields, "changelog": {"histories": histories}}


def write_jira(
    root: Path, plans: list[RemediationPlan], end: int, window: Window = FULL
) -> dict[str, JsonPages]:
    issues = _issues(plans, window.now(end))
    if window.cut is not None:
        issues = [i for i in issues if i[0] < window.cut]
    if window.is_delta:
        before = {
            issue["id"]: issue for created, issue in _issues(plans, window.since) if created < window.since
        }
        issues = [i for i in issues if before.get(i[1]["id"]) != i[1]]
    total = len(issues)

    def head(info: PageInfo) -> dict:
        return {"startAt": (info.number - 1) * PER_PAGE, "maxResults": PER_PAGE, "total": total}

    pages = JsonPages(
        root,
        "jira/issues",
        "issues",
        "jira_issues",
        PER_PAGE,
        lambda info: {},
        head=head,
        prefix=window.prefix,
    )
    for _created, issue in issues:
        pages.write(dumps(issue))
    pages.close()
    return {"jira_issues": pages}


def _linked(plan: RemediationPlan, now: int) -> list[str]:
    return [key for key, t in zip(plan.linked, plan.linked_at, strict=True) if t < now]


def _issues(plans: list[RemediationPlan], now: int) -> list[tuple[int, dict]]:
    """Every issue as it stood at ``now``, with when it was created."""
    ids = _Ids()
    issues = []
    for i, plan in enumerate(plans):
        prefix, number = plan.key.split("-")
        done = plan.shipped if plan.outcome in ("effective", "ineffective") else None
        issue = _issue(
            ids,
            plan.key,
            plan.title,
            "Epic",
            plan.opened,
            plan.started,
            done,
            plan.due,
            plan,
            now,
            None,
            ["remediation", "xfn"],
            list(plan.partner_teams),
            _linked(plan, now),
            ASSIGNEES[i % len(ASSIGNEES)],
        )
        issues.append((plan.opened, issue))
        for k, task in enumerate(plan.tasks):
            issue = _issue(
                ids,
                f"{prefix}-{int(number) + k + 1}",
                task.summary,
                "Task",
                task.created,
                task.started,
                task.done,
                task.due,
                plan,
                now,
                plan.key,
                ["remediation"],
                [],
                [],
                ASSIGNEES[(i + k + 1) % len(ASSIGNEES)] if k % 2 == 0 else None,
            )
            issues.append((task.created, issue))
    return issues
