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
from projects.models import Project
from projects.models import history_sources as project_history
from roles.models import history_sources as organisation_history

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


def changelog(project: Project) -> list[dict]:
    """The newest changes to the project's mandate and plan: date, user, section, and how many
    rows one save wrote. One query per source."""
    rows = []
    for queryset, default_section in history_sources(project):
        records = queryset.select_related("history_user").order_by("-history_date")
        for record in records[:ROWS_PER_SOURCE]:
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "section": _(record.history_change_reason)
                    if record.history_change_reason
                    else default_section,
                    "type": record.history_type,
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
        else:
            entries.append({**row, "count": 1, "oldest": row["date"]})
    return entries[:ENTRIES]
