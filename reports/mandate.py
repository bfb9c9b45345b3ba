"""The mandate and the change log, composed from the apps that keep their parts: projects (the
sections, phases, workstreams), milestones (the decision points and the milestone table), roles
and reports (their history). Each app offers a plain function; this module calls them by name."""

from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from milestones.mandate import mandate_milestones
from milestones.models import history_sources as milestone_history
from projects.mandate import mandate_sections
from projects.models import Goal, Project
from projects.models import history_sources as project_history
from roles.models import history_sources as organisation_history

from .compare import word_diff
from .models import history_sources as steering_history


def mandate_snapshot(project: Project) -> dict:
    """What the mandate says now, as plain data, in Bokmål: frozen into a MandateVersion when
    decided, and the input of the mandate document (reports.documents)."""
    with translation.override(settings.LANGUAGE_CODE):
        return mandate_sections(project) | mandate_milestones(project)


# --- The change log ------------------------------------------------------------------------------

# One save writes a row per goal, benefit or object it touches, within a moment: rows of the same
# user and section less than this apart are shown as one change.
SAME_SAVE = timedelta(seconds=2)
ROWS_PER_SOURCE = 500
ENTRIES = 300


def history_sources(project: Project) -> list:
    """Every app's history that belongs in the project's change log. Employees, interviews and
    placements are personal data and have none here: every member reads the log."""
    return [
        *project_history(project),
        *milestone_history(project),
        *organisation_history(project),
        *steering_history(project),
    ]


# The mandate's own texts: an edit of one shows in the log what it said before and after.
TEXT_FIELDS = ("name", "owner_title", "background", "purpose", "constraints", "obligations",
               "quality_requirements")  # fmt: skip


def _text_changes(records: list) -> dict[int, list[dict]]:
    """For each history record (newest first, as read) that changed a text, by its position in
    `records`: the field and its words, what was removed and what was added. Records of several
    objects (goals) are compared with the one before of the same object."""
    changes: dict[int, list[dict]] = {}
    before: dict[object, object] = {}  # the next older record of each object
    for index in reversed(range(len(records))):
        record = records[index]
        previous = before.get(record.id)
        before[record.id] = record
        fields = [f for f in TEXT_FIELDS if hasattr(record, f)] or ["text"]
        found = []
        for field in fields:
            old = "" if previous is None else getattr(previous, field, "")
            new = "" if record.history_type == "-" else getattr(record, field, "")
            if previous is None and record.history_type == "+" and field != "text":
                continue  # a new project: its texts are in the mandate itself
            if old != new:
                label = record.instance_type._meta.get_field(field).verbose_name
                found.append({"field": label, "parts": word_diff(old or "", new or "")})
        if found:
            changes[index] = found
    return changes


def changelog(project: Project) -> list[dict]:
    """The newest changes to the project's mandate and plan: date, user, section, how many rows
    one save wrote, and for the mandate's texts and goals what they said before and after. One
    query per source."""
    rows = []
    texts = {
        Project.history.model,
        Goal.history.model,
    }
    for queryset, default_section in history_sources(project):
        records = list(
            queryset.select_related("history_user").order_by("-history_date")[:ROWS_PER_SOURCE]
        )
        changes = _text_changes(records) if queryset.model in texts else {}
        for index, record in enumerate(records):
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "section": _(record.history_change_reason)
                    if record.history_change_reason
                    else default_section,
                    "type": record.history_type,
                    "changes": changes.get(index, []),
                }
            )
    rows.sort(key=lambda r: r["date"], reverse=True)
    entries: list[dict] = []
    for row in rows:
        last = entries[-1] if entries else None
        if (
            last
            and (last["user"], last["section"]) == (row["user"], row["section"])
            and last["oldest"] - row["date"] < SAME_SAVE
        ):
            last["count"] += 1
            last["oldest"] = row["date"]
            last["changes"] = last["changes"] + row["changes"]
        else:
            entries.append({**row, "count": 1, "oldest": row["date"]})
    return entries[:ENTRIES]
