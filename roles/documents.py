"""Role descriptions as PDF, laid out like Appendix 1 of seed 001 ("Eksempel stillingsbeskrivelse").

A role description describes a position, never the person in it: nothing here reads employees or
placements, so a role description PDF carries no personal data.

Rendering to PDF is core.pdf.render_pdf, shared by every document."""

import re
from collections.abc import Iterable

from django.utils import timezone

from core.pdf import norwegian_slug, render_pdf

from .models import Competence, OrgUnit, RoleDescription

TEMPLATE = "roles/pdf/role_description.html"

# The mark in the Påkrevd/Nyttig columns. The embedded Inter subsets cover Latin only (no U+2713
# CHECK MARK), so a plain X it is.
MARK = "X"

# The categories in the order of Appendix 1 (the model's ordering is alphabetical by key).
CATEGORY_ORDER = [
    Competence.Category.PERSONAL,
    Competence.Category.EXPERIENCE,
    Competence.Category.PROFESSIONAL,
]

_BULLET = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+")


def _lines(text: str) -> list[str]:
    """The non-empty lines of a text field, without any bullet or number the user typed."""
    return [_BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def _competence_groups(description: RoleDescription) -> list[dict]:
    """The competence profile grouped under the categories of Appendix 1, every category present
    (empty or not). Uses prefetched competences when there are some."""
    by_category: dict[str, list[dict]] = {category: [] for category in CATEGORY_ORDER}
    for competence in description.competences.all():
        by_category.setdefault(competence.category, []).append(
            {
                "text": competence.text,
                "required": competence.level == Competence.Level.REQUIRED,
                "useful": competence.level == Competence.Level.USEFUL,
            }
        )
    return [
        {"label": str(Competence.Category(category).label), "rows": rows}
        for category, rows in by_category.items()
    ]


def _unit_line(unit: OrgUnit | None) -> str:
    if unit is None:
        return ""
    parent = unit.parent
    return f"{unit.name}, {parent.name}" if parent is not None else unit.name


def describe(description: RoleDescription) -> dict:
    """What one role description shows, in the order of Appendix 1."""
    position = description.position
    reports_to = position.reports_to
    updated_at = timezone.localtime(description.updated_at) if description.updated_at else None
    return {
        "description": description,
        "unit": _unit_line(position.unit),
        "position_title": position.title,
        "position_name": description.position_name or position.title,
        "main_goal": description.main_goal.strip(),
        "code_and_title": " ".join(part for part in (position.code, position.title) if part),
        "reports_to": reports_to.title if reports_to is not None else "",
        "main_tasks": _lines(description.main_tasks),
        "competence_groups": _competence_groups(description),
        "formal_qualifications": [
            ("Utdanningskrav", description.education),
            ("Utdanningsnivå", description.education_level),
            ("Sertifisering/kurs", description.certifications),
        ],
        "general_requirements": description.general_requirements,
        "responsibilities": [
            ("Personalansvar", description.personnel_responsibility),
            ("Budsjettansvar", description.budget_responsibility),
            ("Fagansvar", description.professional_responsibility),
            ("Særskilte oppgaver", description.special_tasks),
        ],
        "change_clause": description.change_clause,
        "version": description.version,
        "updated_at": updated_at,
        "version_line": f"Versjon {description.version}"
        + (f", sist endret {updated_at:%d.%m.%Y}" if updated_at else ""),
    }


def role_description_context(descriptions: Iterable[RoleDescription], project=None) -> dict:
    """The context of the role description PDF: one entry per description, each on its own page.
    `project` defaults to the project of the first description. Callers select_related
    position__unit__parent and position__reports_to and prefetch competences."""
    roles = [describe(d) for d in descriptions]
    if project is None and roles:
        project = roles[0]["description"].position.project
    return {
        "project": project,
        "organisation": project.organisation.name if project is not None else "",
        "roles": roles,
        "mark": MARK,
        "draft": False,
        "printed_at": timezone.localtime(),
    }


def render_role_descriptions_pdf(project, descriptions: Iterable[RoleDescription]) -> bytes:
    """One PDF with one or many role descriptions, each starting on a new page. Always PDF/A-2b:
    a role description is never a draft (it has a version), and the archive takes it as it is."""
    return render_pdf(
        TEMPLATE, role_description_context(descriptions, project=project), archival=True
    )


def role_descriptions_filename(project, unit: OrgUnit | None = None, description=None) -> str:
    """rollebeskrivelse-<unit>-<position>.pdf for one description, rollebeskrivelser-<project
    code>-<unit>.pdf for a unit's, rollebeskrivelser-<project code>.pdf for the project's."""
    if description is not None:
        position = description.position
        name = description.position_name or position.title
        parts = [norwegian_slug(position.unit.name), norwegian_slug(name)]
        return "-".join(["rollebeskrivelse", *[p for p in parts if p]]) + ".pdf"
    parts = [norwegian_slug(project.code, 30)]
    if unit is not None:
        parts.append(norwegian_slug(unit.name))
    return "-".join(["rollebeskrivelser", *[p for p in parts if p]]) + ".pdf"
