"""What a status report says from the data: compiled for a period when its draft is made, again
when the leader asks, and frozen when the report is published.

The result is plain JSON (dates as ISO strings, choices as their values) so that a published
report shows what was true when it was published, whatever changes later. `present()` turns it
back into what templates show. Placements are counted, never named: the report goes to the whole
steering group, union representatives included."""

import datetime as dt
from types import SimpleNamespace

from django.db.models import Count, OuterRef, Q, Subquery

from consultations.models import Meeting, Protocol
from milestones.models import Activity, Milestone
from projects.models import Benefit, BenefitMeasurement, Risk
from projects.risks import matrix
from roles.models import Employee, Placement

from .models import DecisionRequest
from .periods import Period

LIST_LIMIT = 25  # activities listed per heading; the counts are always complete


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _milestone(m: Milestone) -> dict:
    return {
        "code": m.code,
        "title": m.title,
        "kind": m.kind,
        "due_date": _iso(m.due_date),
        "date_text": m.date_text,
        "status": m.status,
        "reached_on": _iso(m.reached_on),
        "responsible": _name(m.responsible),
    }


def _activity(a: Activity) -> dict:
    return {
        "title": a.title,
        "due_date": _iso(a.due_date),
        "done_on": _iso(a.done_on),
        "workstream": a.workstream.name if a.workstream else "",
    }


def compile_report(project, period: Period, *, report=None) -> dict:
    """The report's figures for `period` of `project`. A fixed number of queries."""
    start, end = period.start, period.end
    next_end = end + dt.timedelta(days=project.report_interval_days)

    milestones = list(
        Milestone.objects.filter(project=project).select_related("responsible").in_plan_order()
    )
    reached = [m for m in milestones if m.reached_on and start <= m.reached_on <= end]
    missed = [m for m in milestones if m.status != Milestone.Status.REACHED and m.due_date <= end]
    upcoming = [
        m
        for m in milestones
        if m.status != Milestone.Status.REACHED and end < m.due_date <= next_end
    ]

    activities = Activity.objects.filter(project=project).select_related("workstream")
    done = activities.filter(done_on__gte=start, done_on__lte=end).order_by("done_on", "pk")
    following = (
        activities.exclude(status=Activity.Status.DONE)
        .filter(due_date__lte=next_end)
        .order_by("due_date", "pk")
    )
    activity_counts = activities.aggregate(
        done=Count("pk", filter=Q(done_on__gte=start, done_on__lte=end)),
        next=Count("pk", filter=~Q(status=Activity.Status.DONE) & Q(due_date__lte=next_end)),
    )

    # Counted by kind, not named: a meeting's title can name an employee, and meetings are
    # visible only to those invited (consultations.Meeting.visible_to), the report to everyone.
    held = dict(
        Meeting.objects.filter(
            project=project,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
            status__in=[Meeting.Status.HELD, Meeting.Status.PROTOCOL_APPROVED],
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    approved = Protocol.objects.filter(
        meeting__project=project,
        status=Protocol.Status.APPROVED,
        approved_at__date__gte=start,
        approved_at__date__lte=end,
    ).count()

    # Numbered as in the register (projects.views.risks), all risks by score; the open ones.
    numbered = enumerate(Risk.objects.filter(project=project).select_related("owner"), 1)
    risks = [(number, risk) for number, risk in numbered if risk.status == Risk.Status.OPEN]

    latest = BenefitMeasurement.objects.filter(
        benefit=OuterRef("pk"), measured_on__lte=end
    ).order_by("-measured_on", "-pk")
    benefits = Benefit.objects.filter(project=project).annotate(
        value=Subquery(latest.values("value")[:1]),
        measured_on=Subquery(latest.values("measured_on")[:1]),
        measurement_comment=Subquery(latest.values("comment")[:1]),
    )

    placements = Placement.objects.filter(employee__project=project).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Placement.Status.values}
    )
    employees = Employee.objects.filter(project=project).aggregate(
        total=Count("pk"),
        placed=Count("pk", filter=Q(placements__status__in=Placement.FILLING), distinct=True),
    )

    decisions = DecisionRequest.objects.filter(project=project).filter(
        Q(outcome__in=[DecisionRequest.Outcome.PENDING, DecisionRequest.Outcome.DEFERRED])
        | Q(decided_on__gte=start, decided_on__lte=end)
        | (Q(report=report) if report and report.pk else Q(pk__in=[]))
    )

    return {
        "period": {"number": period.number, "start": _iso(start), "end": _iso(end)},
        "milestones": {
            "total": len(milestones),
            "reached_total": sum(1 for m in milestones if m.status == Milestone.Status.REACHED),
            "reached": [_milestone(m) for m in reached],
            "missed": [_milestone(m) for m in missed],
            "next": [_milestone(m) for m in upcoming],
            # Every milestone's state, to show what changed by the next report.
            "all": [
                {"code": m.code, "title": m.title, "status": m.status, "due_date": _iso(m.due_date)}
                for m in milestones
            ],
        },
        "activities": {
            "done_count": activity_counts["done"],
            "next_count": activity_counts["next"],
            "done": [_activity(a) for a in done[:LIST_LIMIT]],
            "next": [_activity(a) for a in following[:LIST_LIMIT]],
        },
        "meetings": {kind: held.get(kind, 0) for kind in Meeting.Kind.values},
        "protocols_approved": approved,
        "risks": [
            {
                "number": number,
                "title": r.title,
                "probability": r.probability,
                "consequence": r.consequence,
                "score": r.score,
                "level": r.level,
                "owner": _name(r.owner),
                "mitigation": r.mitigation,
            }
            for number, r in risks
        ],
        "benefits": [
            {
                "title": b.title,
                "indicator": b.indicator,
                "baseline": b.baseline,
                "target": b.target,
                "unit": b.unit,
                "value": b.value or "",
                "measured_on": _iso(b.measured_on),
                "comment": b.measurement_comment or "",
            }
            for b in benefits
        ],
        "placements": {**placements, **employees},
        "decisions": [
            {
                "title": d.title,
                "question": d.question,
                "basis": d.basis,
                "deadline": _iso(d.deadline),
                "outcome": d.outcome,
                "decision": d.decision,
                "decided_on": _iso(d.decided_on),
                "new": bool(report and d.report_id == report.pk),
            }
            for d in decisions
        ],
    }


# --- Back to what templates show -----------------------------------------------------------------


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _dated(item: dict) -> dict:
    return {
        k: _date(v) if k in ("due_date", "reached_on", "done_on", "date", "deadline",
                             "decided_on", "measured_on", "start", "end") else v
        for k, v in item.items()
    }  # fmt: skip


def present(data: dict) -> dict:
    """The compiled data with dates as dates, labels for choices and the risk matrix."""
    if not data:
        return {}
    ms = data["milestones"]
    milestone_status = dict(Milestone.Status.choices)
    milestone_kind = dict(Milestone.Kind.choices)

    def milestone(item):
        return {
            **_dated(item),
            "status_label": milestone_status.get(item["status"], item["status"]),
            "kind_label": milestone_kind.get(item["kind"], item["kind"]),
        }

    levels, outcomes = dict(Risk.Level.choices), dict(DecisionRequest.Outcome.choices)
    risks = [{**r, "level_label": levels.get(r["level"], r["level"])} for r in data["risks"]]
    risk_objects = [(r["number"], SimpleNamespace(**r)) for r in risks]
    placement_labels = [
        (label, data["placements"].get(value, 0)) for value, label in Placement.Status.choices
    ]
    return {
        "period": _dated(data["period"]),
        "milestones": {
            **ms,
            "reached": [milestone(m) for m in ms["reached"]],
            "missed": [milestone(m) for m in ms["missed"]],
            "next": [milestone(m) for m in ms["next"]],
        },
        "activities": {
            **data["activities"],
            "done": [_dated(a) for a in data["activities"]["done"]],
            "next": [_dated(a) for a in data["activities"]["next"]],
        },
        "meetings": [
            (label, data["meetings"].get(kind, 0)) for kind, label in Meeting.Kind.choices
        ],
        "meetings_held": sum(data["meetings"].values()),
        "protocols_approved": data["protocols_approved"],
        "risks": risks,
        "risk_matrix": matrix(risk_objects),
        "benefits": [_dated(b) for b in data["benefits"]],
        "placements": {
            "total": data["placements"].get("total", 0),
            "placed": data["placements"].get("placed", 0),
            "by_status": placement_labels,
        },
        "decisions": [
            {**_dated(d), "outcome_label": outcomes.get(d["outcome"], d["outcome"])}
            for d in data["decisions"]
        ],
    }


def changes(previous, report) -> dict | None:
    """What changed since the previous published report: the lights of each section and the
    milestones (new, removed, status or date changed). None when there is no previous report."""
    if previous is None:
        return None
    lights = [
        {"label": now["label"], "before": before["light_label"], "after": now["light_label"],
         "before_light": before["light"], "after_light": now["light"]}
        for before, now in zip(previous.statuses(), report.statuses(), strict=True)
        # A draft's section without a light yet has not changed: it is not assessed yet.
        if now["light"] and before["light"] != now["light"]
    ]  # fmt: skip
    status_label = dict(Milestone.Status.choices)
    old = {m["code"]: m for m in previous.data.get("milestones", {}).get("all", [])}
    new = {m["code"]: m for m in report.data.get("milestones", {}).get("all", [])}
    milestones = []
    for code, m in new.items():
        before = old.get(code)
        if before is None:
            milestones.append({"code": code, "title": m["title"], "change": "new"})
            continue
        if before["status"] != m["status"]:
            milestones.append({
                "code": code, "title": m["title"], "change": "status",
                "before": status_label.get(before["status"]), "after": status_label.get(m["status"]),
            })  # fmt: skip
        if before["due_date"] != m["due_date"]:
            milestones.append({
                "code": code, "title": m["title"], "change": "date",
                "before": _date(before["due_date"]), "after": _date(m["due_date"]),
            })  # fmt: skip
    milestones += [
        {"code": code, "title": m["title"], "change": "removed"}
        for code, m in old.items()
        if code not in new
    ]
    return {"previous": previous, "lights": lights, "milestones": milestones}
