"""Hypothesis over every form, import and list page of the product (issue 13): for any input the
answer is never 5xx, and an input that is refused changes no row, live or historical.

The URLs come from the URLconf: each one is fuzzed, with the form fields found on the product's
own pages (the form posting to it), or, for a page that only reads, with its query string. A URL
added without an entry in `KWARGS` fails `test_every_url_is_fuzzed`, so no form is forgotten.
The demo (module-scoped, rolled back) gives every kind of object; each example runs in a
savepoint rolled back after it, so the examples do not pile up."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from api.models import ApiToken
from consultations.models import AgendaItem, Attachment, Meeting, Protocol, Question
from milestones.models import Activity, Milestone
from notifications.models import OutgoingMail
from projects.forms import SECTIONS_BY_SLUG
from projects.models import (
    Benefit,
    GateCriterion,
    MandateVersion,
    Membership,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)
from reports.models import CalendarFeed, DecisionRequest, ProjectTemplate, StatusReport
from roles.imports import EMPLOYEE_HEADERS, UNIT_HEADERS
from roles.models import (
    Employee,
    MappingInterview,
    OrgUnit,
    PersonalDataAccess,
    Placement,
    Position,
)
from roles.views import STRUCTURE_SLUGS

pytestmark = pytest.mark.django_db

EXAMPLES_PER_URL = 4
PRODUCT_APPS = (
    "core",
    "accounts",
    "notifications",
    "projects",
    "milestones",
    "roles",
    "consultations",
    "reports",
    "api",
)
# Reading personal data writes an access-log row, refused or not: that is the log, not a change.
NOT_COUNTED = {
    PersonalDataAccess._meta.db_table,
    PersonalDataAccess.employees.through._meta.db_table,
}

# Not fuzzed here: Django's admin and language switch, the REST API (tests/test_api*.py, with
# its own serializers), the OpenID Connect redirects (no form), the API's schema and docs pages.
EXCLUDED_PREFIXES = ("admin/", "i18n/", "api/v1/", "api/schema/", "api/docs/", "accounts/oidc/")


def walk(resolver, prefix="", namespace=()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join((*namespace, pattern.name or ""))


def product_url_names() -> list[str]:
    return sorted(
        {name for route, name in walk(get_resolver()) if not route.startswith(EXCLUDED_PREFIXES)}
    )


# --- Where each URL points in the demo -------------------------------------------------------------


SEED_PROJECTS = ("AMOT-ADM", "OU-VELFERD", "HELSE-MESTRING")


def _objects() -> dict:
    """One of each kind of object in the demo's projects, for the URLs' ids, and the project of
    each (`o["in"][kind]`)."""
    projects = Project.objects.filter(code__in=SEED_PROJECTS)
    querysets = {
        "phase": Phase.objects.filter(project__in=projects),
        "criterion": GateCriterion.objects.filter(phase__project__in=projects),
        "workstream": Workstream.objects.filter(project__in=projects, options__isnull=False),
        "option": SolutionOption.objects.filter(workstream__project__in=projects),
        "risk": Risk.objects.filter(project__in=projects),
        "member": Membership.objects.filter(project__in=projects).exclude(
            role__in=[Membership.Role.OWNER, Membership.Role.LEADER]
        ),
        "union_rep": Membership.objects.filter(
            project__in=projects, role=Membership.Role.UNION_REP
        ),
        "milestone": Milestone.objects.filter(project__in=projects),
        "activity": Activity.objects.filter(project__in=projects),
        "unit": OrgUnit.objects.filter(project__in=projects),
        "position": Position.objects.filter(project__in=projects),
        "employee": Employee.objects.filter(project__in=projects),
        "interview": MappingInterview.objects.filter(employee__project__in=projects),
        "placement": Placement.objects.filter(employee__project__in=projects),
        "meeting": Meeting.objects.filter(project__in=projects, items__isnull=False),
        "item": AgendaItem.objects.filter(meeting__project__in=projects),
        "protocol": Protocol.objects.filter(meeting__project__in=projects),
        "question": Question.objects.filter(project__in=projects),
        "attachment": Attachment.objects.filter(project__in=projects),
        "report": StatusReport.objects.filter(project__in=projects),
        "decision": DecisionRequest.objects.filter(project__in=projects),
        "version": MandateVersion.objects.filter(project__in=projects),
        "benefit": Benefit.objects.filter(project__in=projects),
    }
    found = {"p": projects.get(code="AMOT-ADM").pk, "in": {}}
    for kind, queryset in querysets.items():
        item = queryset.order_by("pk").first()
        assert item is not None, f"the demo has no {kind}"
        found[kind] = item
        found["in"][kind] = (
            item.workstream.project_id
            if kind == "option"
            else item.meeting.project_id
            if kind in ("item", "protocol")
            else item.employee.project_id
            if kind in ("interview", "placement")
            else item.phase.project_id
            if kind == "criterion"
            else item.project_id
        )
    main = projects.get(code="AMOT-ADM")
    found["template"] = ProjectTemplate.objects.order_by("pk").first()
    found["feed"] = CalendarFeed.objects.create(project=main, user=main.owner, token="fuzz-feed")
    token = ApiToken.objects.order_by("pk").first()
    mail = OutgoingMail.objects.order_by("pk").first()
    found["token"] = token.pk if token else 1
    found["mail"] = mail.pk if mail else 1
    return found


def _p(o, kind=None, **kw):
    """The kwargs of a URL in the project of the object of `kind` (or the first seed project)."""
    return [{"project_pk": o["in"][kind] if kind else o["p"], **kw}]


# For each URL name: the keyword arguments of each of its URLs (several for a slug).
KWARGS = {
    "home": lambda o: [{}],
    "login": lambda o: [{}],
    "logout": lambda o: [{}],
    "profile": lambda o: [{}],
    "password_reset": lambda o: [{}],
    "password_reset_done": lambda o: [{}],
    "password_reset_complete": lambda o: [{}],
    "password_reset_confirm": lambda o: [{"uidb64": "MQ", "token": "set-password"}],
    "api:tokens": lambda o: [{}],
    "api:token-revoke": lambda o: [{"pk": o["token"]}],
    "notifications:resend": lambda o: [{"pk": o["mail"]}],
    "projects:list": lambda o: [{}],
    "projects:mandate_section": lambda o: [
        {"project_pk": o["p"], "slug": slug} for slug in SECTIONS_BY_SLUG
    ],
    "projects:benefits_overview": lambda o: [{}],
    "projects:benefit": lambda o: [{"pk": o["benefit"].pk}],
    "projects:benefit_measure": lambda o: [{"pk": o["benefit"].pk}],
    "projects:benefit_plan": lambda o: [{"pk": o["benefit"].pk}],
    "projects:project_benefits": lambda o: _p(o),
    "projects:lessons": lambda o: [{}],
    "projects:project_lessons": lambda o: _p(o),
    "projects:phases": lambda o: _p(o),
    "projects:phase_edit": lambda o: _p(o, "phase", pk=o["phase"].pk),
    "projects:phase_delete": lambda o: _p(o, "phase", pk=o["phase"].pk),
    "projects:phase_start": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "projects:criterion_add": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "projects:criterion_edit": lambda o: _p(
        o, "criterion", phase_pk=o["criterion"].phase_id, pk=o["criterion"].pk
    ),
    "projects:criterion_delete": lambda o: _p(
        o, "criterion", phase_pk=o["criterion"].phase_id, pk=o["criterion"].pk
    ),
    "projects:criterion_tick": lambda o: _p(
        o, "criterion", phase_pk=o["criterion"].phase_id, pk=o["criterion"].pk
    ),
    "projects:workstreams": lambda o: _p(o),
    "projects:workstream": lambda o: _p(o, "workstream", pk=o["workstream"].pk),
    "projects:option_add": lambda o: _p(o, "workstream", pk=o["workstream"].pk),
    "projects:option_edit": lambda o: _p(
        o, "workstream", pk=o["workstream"].pk, option_pk=o["option"].pk
    ),
    "projects:option_delete": lambda o: _p(
        o, "workstream", pk=o["workstream"].pk, option_pk=o["option"].pk
    ),
    "projects:risks": lambda o: _p(o),
    "projects:risk_edit": lambda o: _p(o, "risk", pk=o["risk"].pk),
    "projects:risk_delete": lambda o: _p(o, "risk", pk=o["risk"].pk),
    "projects:members": lambda o: _p(o),
    "projects:member_remove": lambda o: _p(o, "member", pk=o["member"].pk),
    "milestones:plan": lambda o: _p(o),
    "milestones:list": lambda o: _p(o),
    "milestones:create": lambda o: _p(o),
    "milestones:import": lambda o: _p(o),
    "milestones:edit": lambda o: _p(o, "milestone", pk=o["milestone"].pk),
    "milestones:status": lambda o: _p(o, "milestone", pk=o["milestone"].pk),
    "milestones:delete": lambda o: _p(o, "milestone", pk=o["milestone"].pk),
    "milestones:activities": lambda o: _p(o),
    "milestones:activity_edit": lambda o: _p(o, "activity", pk=o["activity"].pk),
    "milestones:activity_status": lambda o: _p(o, "activity", pk=o["activity"].pk),
    "milestones:activity_delete": lambda o: _p(o, "activity", pk=o["activity"].pk),
    "roles:organisation": lambda o: _p(o),
    "roles:unit_create": lambda o: [
        {"project_pk": o["p"], "structure": slug} for slug in STRUCTURE_SLUGS
    ],
    "roles:unit_edit": lambda o: _p(o, "unit", pk=o["unit"].pk),
    "roles:unit_delete": lambda o: _p(o, "unit", pk=o["unit"].pk),
    "roles:units_import": lambda o: _p(o),
    "roles:positions": lambda o: _p(o),
    "roles:position_edit": lambda o: _p(o, "position", pk=o["position"].pk),
    "roles:position_delete": lambda o: _p(o, "position", pk=o["position"].pk),
    "roles:role_description": lambda o: _p(o, "position", position_pk=o["position"].pk),
    "roles:role_description_edit": lambda o: _p(o, "position", position_pk=o["position"].pk),
    "roles:role_description_pdf": lambda o: _p(o, "position", position_pk=o["position"].pk),
    "roles:unit_role_descriptions_pdf": lambda o: _p(o, "unit", unit_pk=o["unit"].pk),
    "roles:staffing": lambda o: _p(o),
    "roles:staffing_export": lambda o: _p(o),
    "roles:employees": lambda o: _p(o),
    "roles:employees_import": lambda o: _p(o),
    "roles:employee": lambda o: _p(o, "employee", pk=o["employee"].pk),
    "roles:employee_edit": lambda o: _p(o, "employee", pk=o["employee"].pk),
    "roles:interview_create": lambda o: _p(o, "employee", employee_pk=o["employee"].pk),
    "roles:interview_edit": lambda o: _p(
        o, "interview", employee_pk=o["interview"].employee_id, pk=o["interview"].pk
    ),
    "roles:placement_create": lambda o: _p(o, "employee", employee_pk=o["employee"].pk),
    "roles:placements": lambda o: _p(o),
    "roles:access_log": lambda o: _p(o),
    "roles:processing": lambda o: _p(o),
    "roles:employee_erase": lambda o: _p(o, "employee", pk=o["employee"].pk),
    "roles:access_request": lambda o: [
        {"project_pk": o["in"]["employee"], "pk": o["employee"].pk, "kind": kind}
        for kind in ("pdf", "json")
    ],
    "roles:insight": lambda o: _p(o, "union_rep", pk=o["union_rep"].pk),
    "roles:placement_status": lambda o: _p(o, "placement", pk=o["placement"].pk),
    "consultations:meetings": lambda o: _p(o),
    "consultations:meeting_create": lambda o: _p(o),
    "consultations:meeting_afterwards": lambda o: _p(o),
    "consultations:meeting": lambda o: _p(o, "meeting", pk=o["meeting"].pk),
    "consultations:meeting_edit": lambda o: _p(o, "meeting", pk=o["meeting"].pk),
    "consultations:meeting_call": lambda o: _p(o, "meeting", pk=o["meeting"].pk),
    "consultations:meeting_cancel": lambda o: _p(o, "meeting", pk=o["meeting"].pk),
    "consultations:meeting_held": lambda o: _p(o, "meeting", pk=o["meeting"].pk),
    "consultations:item_create": lambda o: _p(o, "meeting", meeting_pk=o["meeting"].pk),
    "consultations:item_edit": lambda o: _p(
        o, "meeting", meeting_pk=o["meeting"].pk, pk=o["item"].pk
    ),
    "consultations:entry_add": lambda o: _p(
        o, "meeting", meeting_pk=o["meeting"].pk, pk=o["item"].pk
    ),
    "consultations:item_placements_consulted": lambda o: _p(
        o, "meeting", meeting_pk=o["meeting"].pk, pk=o["item"].pk
    ),
    "consultations:protocol": lambda o: _p(o, "protocol", meeting_pk=o["protocol"].meeting_id),
    "consultations:protocol_correction": lambda o: _p(
        o, "protocol", meeting_pk=o["protocol"].meeting_id
    ),
    "consultations:protocol_action": lambda o: [
        {
            "project_pk": o["in"]["protocol"],
            "meeting_pk": o["protocol"].meeting_id,
            "action": action,
        }
        for action in ("send", "reopen", "confirm")
    ],
    "consultations:protocol_pdf": lambda o: _p(
        o, "protocol", meeting_pk=o["protocol"].meeting_id, version=o["protocol"].version
    ),
    "consultations:placement_decide": lambda o: _p(o, "placement", pk=o["placement"].pk),
    "consultations:questions": lambda o: _p(o),
    "consultations:attachments": lambda o: _p(o),
    "consultations:attachment_add": lambda o: _p(o),
    "consultations:attachment_download": lambda o: _p(o, "attachment", pk=o["attachment"].pk),
    "consultations:attachment_remove": lambda o: _p(o, "attachment", pk=o["attachment"].pk),
    "consultations:meeting_attachment_add": lambda o: _p(o, "meeting", meeting_pk=o["meeting"].pk),
    "consultations:question_answer": lambda o: _p(o, "question", pk=o["question"].pk),
    "reports:dashboard": lambda o: [{}],
    "reports:project_create": lambda o: [{}],
    "reports:templates": lambda o: [{}],
    "reports:template_delete": lambda o: [{"pk": o["template"].pk}],
    "reports:template_save": lambda o: _p(o),
    "reports:dashboard-export": lambda o: [{}],
    "reports:dashboard-timeline": lambda o: [{}],
    "reports:dashboard-project": lambda o: _p(o),
    "reports:reports": lambda o: _p(o),
    "reports:report_create": lambda o: _p(o),
    "reports:report": lambda o: _p(o, "report", number=o["report"].number),
    "reports:report_refresh": lambda o: _p(o, "report", number=o["report"].number),
    "reports:report_publish": lambda o: _p(o, "report", number=o["report"].number),
    "reports:report_pdf": lambda o: _p(o, "report", number=o["report"].number),
    "reports:report_decision_request": lambda o: _p(o, "report", number=o["report"].number),
    "reports:report_benefit_measurement": lambda o: _p(o, "report", number=o["report"].number),
    "reports:decisions": lambda o: _p(o),
    "reports:decision_record": lambda o: _p(o, "decision", pk=o["decision"].pk),
    "reports:phase_gate": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "reports:phase_gate_submit": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "reports:phase_gate_approve": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "reports:phase_gate_return": lambda o: _p(o, "phase", phase_pk=o["phase"].pk),
    "reports:overview": lambda o: _p(o),
    "reports:final_report": lambda o: _p(o),
    "reports:final_report_publish": lambda o: _p(o),
    "reports:final_report_pdf": lambda o: _p(o),
    "reports:calendar": lambda o: _p(o),
    "reports:calendar_feed": lambda o: [{"token": o["feed"].token}],
    "reports:mandate": lambda o: _p(o),
    "reports:decide_mandate": lambda o: _p(o),
    "reports:mandate_submit": lambda o: _p(o),
    "reports:mandate_return": lambda o: _p(o),
    "reports:mandate_compare": lambda o: _p(o),
    "reports:changelog": lambda o: _p(o),
    "reports:archive": lambda o: _p(o),
    "reports:archive_download": lambda o: _p(o),
    "reports:mandate_pdf": lambda o: _p(o),
    "reports:mandate_version_pdf": lambda o: _p(o, "version", number=o["version"].number),
}
# Whose session posts: the owner may do everything in a project; some pages are for others.
ANONYMOUS = {"login", "password_reset", "password_reset_confirm", "password_reset_done",
             "password_reset_complete"}  # fmt: skip
# Binary answers whose content is not parsed for forms.
NOT_HTML = re.compile(r"\.(pdf|xlsx|ics|json|zip)$|/last-ned/$")


# --- Forms on the product's pages --------------------------------------------------------------------


class FormParser(HTMLParser):
    """The POST forms of a page: action -> field name -> values seen (values of inputs, options)."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.forms: dict[str, dict[str, set]] = {}
        self.current = None
        self.files: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urlsplit(urljoin(self.base, attrs.get("action") or self.base)).path
                self.current = self.forms.setdefault(action, {})
            else:
                self.current = None
        elif self.current is not None and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            values = self.current.setdefault(name, set())
            if attrs.get("value") is not None:
                values.add(attrs["value"])
            if attrs.get("type") == "file":
                self.files.add(name)
            self._select = values if tag == "select" else None
        elif (
            self.current is not None
            and tag == "option"
            and getattr(self, "_select", None) is not None
        ):
            self._select.add(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def targets_for(objects) -> list[tuple[str, str]]:
    """(URL name, URL) of every product URL, from the URLconf."""
    found = []
    for name in product_url_names():
        for kwargs in KWARGS[name](objects):
            found.append((name, reverse(name, kwargs=kwargs)))
    return found


@pytest.fixture(scope="module")
def fuzz_setup(demo_data, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        project = Project.objects.get(code="AMOT-ADM")
        objects = _objects()
        owner = project.owner
        client = Client(raise_request_exception=True)
        client.force_login(owner)
        forms: dict[str, dict[str, set]] = {}
        files: set[str] = set()
        post_only: set[str] = set()
        targets = targets_for(objects)
        pages = [url for name, url in targets if name not in ANONYMOUS | {"logout"}]
        pages += [url + "?rediger=1" for name, url in targets if name == "projects:mandate_section"]
        for url in pages:
            if NOT_HTML.search(url):
                continue
            response = client.get(url)
            if response.status_code == 405:
                post_only.add(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser(url)
            parser.feed(response.content.decode())
            for action, fields in parser.forms.items():
                for field, values in fields.items():
                    forms.setdefault(action, {}).setdefault(field, set()).update(values)
            files |= parser.files
        anonymous = Client(raise_request_exception=True)
        for name, url in targets:
            if name in ANONYMOUS:
                parser = FormParser(url)
                parser.feed(anonymous.get(url).content.decode())
                for action, fields in parser.forms.items():
                    forms.setdefault(action, {}).update(fields)
        transaction.set_rollback(True)
    return {"targets": dict(targets_by_id(targets)), "forms": forms, "files": files,
            "owner_pk": owner.pk, "post_only": post_only}  # fmt: skip


def targets_by_id(targets):
    for name, url in targets:
        yield f"{name} {url}", (name, url)


def test_every_url_is_fuzzed():
    """A new URL needs its ids here, so that its form is fuzzed too."""
    assert set(product_url_names()) == set(KWARGS)


# --- Counting every row ------------------------------------------------------------------------------


def _count_sql() -> str:
    tables = sorted(
        {
            model._meta.db_table
            for label in PRODUCT_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed
        }
        - NOT_COUNTED
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables), tables


def row_counts():
    sql, tables = _count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


REFUSED_MARKS = ("ds-validation-message", 'data-color="danger" role="alert"', "error-text")


def refused(response) -> bool:
    if response.status_code in (400, 403, 404, 405):
        return True
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        body = response.content.decode()
        return any(mark in body for mark in REFUSED_MARKS)
    return False


# --- What is sent --------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x1f",
    "Tittel\r\nBcc: alle@example.no",
    "\u202eevil\u202c",
    "\u200b\u200b",
    "Blåbærsyltetøy ÆØÅ",
    "x" * 5000,
    "١٢",
    "٣",
    "²",
    "۱۲",
    "12",
    "-1",
    "0",
    "9" * 30,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(2**31),
    "1e309",
    "NaN",
    "inf",
    "1,5",
    "31.12.9999",
    "01.01.0001",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "31.02.2026",
    "2026-13-01T25:61",
    "on",
    "true",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
]
nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
HEADER_WORDS = sorted({*UNIT_HEADERS, *EMPLOYEE_HEADERS, "kode", "navn", "dato", "frist", "tittel"})


@st.composite
def table(draw):
    """A pasted table or CSV file: a header of real column names, then nasty cells."""
    delimiter = draw(st.sampled_from([";", "\t", ","]))
    header = draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=1, max_size=8))
    rows = draw(
        st.lists(st.lists(nasty_text, min_size=len(header), max_size=len(header) + 1), max_size=4)
    )
    return "\n".join(delimiter.join(cells) for cells in [header, *rows])


def field_value(values):
    known = sorted(v for v in values if v)
    base = st.one_of(st.sampled_from(known), nasty_text) if known else nasty_text
    return st.one_of(base, st.lists(base, min_size=2, max_size=3), table())


@st.composite
def form_data(draw, fields: dict[str, set], files: set[str]):
    data = {}
    for name, values in sorted(fields.items()):
        if draw(st.integers(0, 9)) == 0:
            continue  # a field left out
        if name in files:
            content = draw(st.one_of(table(), nasty_text))
            encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
            raw = content.encode(encoding, errors="replace")
            data[name] = SimpleUploadedFile("fil.csv", raw, content_type="text/csv")
        else:
            data[name] = draw(field_value(values))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["pk", "id", "q", "side", "confirm"]))] = draw(nasty_text)
    return data


# A form only shown after a click (its action answers GET with 405): the names such forms use.
GENERIC_FIELDS = {name: set() for name in ("status", "reason", "comment", "message", "answer",
                  "text", "decided_on", "decision", "note", "action", "confirm", "title")}  # fmt: skip
QUERY_KEYS = ["q", "sok", "side", "ansatt", "bruker", "status", "organisation", "light", "fra",
              "til", "fase", "arbeidsstrom", "rediger", "ansvarlig", "frist", "maneder", "owner",
              "leader", "attention"]  # fmt: skip


@st.composite
def query(draw):
    keys = [key for key in QUERY_KEYS if draw(st.booleans())]
    return {key: draw(st.one_of(nasty_text, st.lists(nasty_text, max_size=2))) for key in keys}


# --- The property ---------------------------------------------------------------------------------------


def _client(fuzz_setup, name):
    from django.test import Client

    client = Client(raise_request_exception=True)
    if name not in ANONYMOUS:
        client.force_login(User.objects.get(pk=fuzz_setup["owner_pk"]))
    return client


def fuzz(client, url, fields, files):
    """Send EXAMPLES_PER_URL examples to `url`: its form's fields if it has a form, else a query
    string. Each in a savepoint rolled back after it."""

    @settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        if fields is not None:
            payload = data.draw(form_data(fields, files), label="post")
            method = "post"
        else:
            payload = data.draw(query(), label="query")
            method = "get"
        with transaction.atomic():
            before = row_counts()
            response = getattr(client, method)(url, payload)
            assert response.status_code < 500, (url, payload)
            if method == "post" and refused(response):
                after = row_counts()
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                assert not changed, (url, response.status_code, changed)
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("name", sorted(KWARGS))
def test_any_input_is_answered_below_500_and_a_refusal_changes_nothing(name, fuzz_setup, db):
    client = _client(fuzz_setup, name)
    for target, url in fuzz_setup["targets"].values():
        if target != name:
            continue
        fields = fuzz_setup["forms"].get(url)
        if fields is None and url in fuzz_setup["post_only"]:
            fields = GENERIC_FIELDS
        fuzz(client, url, fields, fuzz_setup["files"])


def test_each_form_url_was_found_on_a_page(fuzz_setup):
    """Most URLs that take a POST have their form on a page scanned (so their fields are fuzzed);
    the others (buttons on pages loaded later) get GENERIC_FIELDS."""
    posted = {url for _, url in fuzz_setup["targets"].values() if url in fuzz_setup["forms"]}
    assert len(posted) >= 55
    assert len(posted | fuzz_setup["post_only"]) >= 83
