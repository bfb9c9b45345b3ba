"""Test data: one factory per model, used by the tests and by the benchmark (bench/run.py).

Three ways to make an object:

- `MilestoneFactory(..., by=leader)`: through the product's service, as that user, the way a
  person makes it in the product: its rules are checked and history records the user.
- `MilestoneFactory(...)`, without `by`: the row as it is (history without a user), for a test
  that only needs the data, or data a service would refuse (a meeting held last year).
- `MilestoneFactory.build(...)`: an unsaved instance, for code that reads objects without the
  database, and for the benchmark's bulk_create.

Projects and memberships are always made through projects.services (create_project,
add_member), so that memberships and guardian permissions are what the product makes.

The defaults are Norwegian and demo-like; a test states the values its assertions read."""

import datetime as dt
from decimal import Decimal

import factory
from django.core import mail
from django.utils import timezone

from accounts.models import User
from consultations import services as consultation_services
from consultations.models import (
    AgendaItem,
    Confirmation,
    Meeting,
    Participant,
    Protocol,
    ProtocolEntry,
    Question,
    Side,
)
from milestones import services as milestone_services
from milestones.models import Activity, Milestone
from notifications.models import OutgoingMail
from projects import services as project_services
from projects.models import (
    Benefit,
    BenefitMeasurement,
    Goal,
    Membership,
    Organisation,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)
from reports import periods
from reports import services as report_services
from reports.models import DecisionRequest, StatusReport
from roles import services as role_services
from roles.models import (
    Competence,
    Employee,
    MappingInterview,
    OrgUnit,
    Placement,
    Position,
    RoleDescription,
    Wish,
)

PASSWORD = "reorg-test"

# The reason a test gives for deciding without an approved protocol (consultations.gate): the
# tests of the consultation itself are in test_consultation_gate.py.
UNCONSULTED = "Drøftet med hovedtillitsvalgte før prosjektet tok i bruk reorg."
# Where a test's placement was consulted on (the meetings' own path: test_consultation_gate.py).
CONSULTED_IN = "Drøftingsmøte 10.03.2027, sak 1"

FIRST_NAMES = [
    "Åse", "Øystein", "Bjørn", "Solveig", "Håkon", "Ingrid", "Jørgen", "Kåre", "Mette", "Sigrid",
    "Tor", "Ragnhild", "Pål", "Gro", "Ånund", "Tøril",
]  # fmt: skip
LAST_NAMES = [
    "Ødegård", "Åsheim", "Bråten", "Sæther", "Løvås", "Hæreid", "Strøm", "Kvåle", "Nærø",
    "Fjær", "Bøe", "Grønnå", "Sørli",
]  # fmt: skip


class ServiceFactory(factory.django.DjangoModelFactory):
    """A factory for a model the product writes through a service: `_service` is the function
    and the keyword it takes the object by. With `by=user` the object is made by that service, as
    that user, with the arguments named in `_service_args` (a meeting's participants, a unit's
    successors); without `by` the row is saved as it is, and `_add_related` writes what those
    arguments name."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    by = None
    _service: tuple = ()
    _service_args: tuple[str, ...] = ()

    @classmethod
    def _split(cls, kwargs):
        extra = {name: kwargs.pop(name) for name in ("by", *cls._service_args) if name in kwargs}
        return kwargs, extra

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        fields, _extra = cls._split(kwargs)
        return super()._build(model_class, *args, **fields)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        fields, extra = cls._split(kwargs)
        by = extra.pop("by", None)
        if by is not None:
            return cls._save(model_class(*args, **fields), by=by, **extra)
        obj = super()._create(model_class, *args, **fields)
        cls._add_related(obj, **extra)
        return obj

    @classmethod
    def _save(cls, obj, *, by, **extra):
        if not cls._service:
            raise NotImplementedError(f"{cls.__name__} has no service: make it without `by`")
        service, keyword = cls._service
        return service(**{keyword: obj}, by=by, **extra)

    @classmethod
    def _add_related(cls, obj, **extra):
        pass


def _member_of(path):
    """A user's `organisations`: the one at `path` in the factory the user is made for, e.g.
    "....organisation" for a project's owner (the dots climb out of the list and the user)."""
    return factory.List([factory.SelfAttribute(path)])


# --- Organisations, users, projects and members ------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testkommune {n}")
    org_number = factory.Sequence(lambda n: f"{900000000 + n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.no")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        """UserFactory(organisations=[...]): a member of each."""
        if create and extracted:
            for organisation in extracted:
                organisation.members.add(self)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project, made through projects.services.create_project (by its leader unless `by` is
    given): owner and leader are members with their guardian permissions."""

    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    owner = factory.SubFactory(UserFactory, organisations=_member_of("....organisation"))
    leader = factory.SubFactory(UserFactory, organisations=_member_of("....organisation"))
    name = "Omstilling av administrasjonen"
    code = factory.Sequence(lambda n: f"P{n}")
    start_date = dt.date(2026, 1, 5)
    last_delivery_date = dt.date(2026, 12, 1)
    by = None

    @classmethod
    def _build(cls, model_class, *args, by=None, **fields):
        return super()._build(model_class, *args, **fields)

    @classmethod
    def _create(cls, model_class, *args, by=None, **fields):
        return project_services.create_project(by=by or fields["leader"], **fields)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member of a project in a role, added through projects.services.add_member (by the
    project's leader unless `by` is given), with the guardian permissions of the role."""

    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory, organisations=_member_of("....project.organisation"))
    role = Membership.Role.PROJECT_GROUP
    union_name = ""
    by = None

    @classmethod
    def _build(cls, model_class, *args, by=None, **fields):
        return super()._build(model_class, *args, **fields)

    @classmethod
    def _create(cls, model_class, *args, by=None, **fields):
        return project_services.add_member(by=by or fields["project"].leader, **fields)


# --- The mandate: goals, benefits, phases, workstreams and options ------------------------------


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    project = factory.SubFactory(ProjectFactory)
    kind = Goal.Kind.RESULT
    order = factory.Sequence(lambda n: n + 1)
    text = "Beskrive nåsituasjonen for tjenestene"


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Kortere ventetid"


class BenefitMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitMeasurement

    benefit = factory.SubFactory(BenefitFactory)
    measured_on = dt.date(2026, 3, 1)
    value = "21"


class PhaseFactory(ServiceFactory):
    class Meta:
        model = Phase

    _service = project_services.save_phase, "phase"

    project = factory.SubFactory(ProjectFactory)
    order = 1
    name = factory.LazyAttribute(lambda p: f"Fase {p.order}")


class WorkstreamFactory(ServiceFactory):
    """A workstream; `members=[...]` are its members."""

    class Meta:
        model = Workstream

    _service = project_services.save_workstream, "workstream"
    _service_args = ("members",)

    project = factory.SubFactory(ProjectFactory)
    order = 1
    name = "Skoler og barnehager"
    members = None

    @classmethod
    def _add_related(cls, obj, *, members=None):
        if members:
            obj.members.add(*members)


class SolutionOptionFactory(ServiceFactory):
    class Meta:
        model = SolutionOption

    _service = project_services.save_option, "option"

    workstream = factory.SubFactory(WorkstreamFactory)
    order = 1
    title = "Felles ledelse"


# --- Progress: milestones, decision points and activities ----------------------------------------


class MilestoneFactory(ServiceFactory):
    """A milestone, or a decision point with kind=Milestone.Kind.DECISION_POINT."""

    class Meta:
        model = Milestone

    _service = milestone_services.save_milestone, "milestone"

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"M{n + 1}")
    title = factory.LazyAttribute(lambda m: f"Milepæl {m.code}")
    due_date = dt.date(2026, 3, 1)


class ActivityFactory(ServiceFactory):
    class Meta:
        model = Activity

    _service = milestone_services.save_activity, "activity"

    project = factory.SubFactory(ProjectFactory)
    title = "Skrive notat om nåsituasjonen"


# --- Risks, decision requests and status reports -------------------------------------------------


class RiskFactory(ServiceFactory):
    class Meta:
        model = Risk

    _service = project_services.save_risk, "risk"

    project = factory.SubFactory(ProjectFactory)
    title = "Nøkkelpersoner slutter"
    probability = 4
    consequence = 4


class DecisionRequestFactory(ServiceFactory):
    """A request to the steering group, pending; through the service, `by` lays it out."""

    class Meta:
        model = DecisionRequest

    _service = report_services.save_decision_request, "request"

    project = factory.SubFactory(ProjectFactory)
    title = "Ny organisering av oppvekst"
    question = "vedta alternativ 2"
    created_by = factory.LazyAttribute(lambda r: r.project.leader)


class StatusReportFactory(factory.django.DjangoModelFactory):
    """The status report of the project's period `number`, a draft unless state=PUBLISHED (then
    published at noon the day after the period). Lights by section: overall="green", …"""

    class Meta:
        model = StatusReport

    class Params:
        overall = progress = economy = quality = risk = benefits = ""

    project = factory.SubFactory(ProjectFactory)
    number = 1
    period_start = factory.LazyAttribute(lambda r: periods.period(r.project, r.number).start)
    period_end = factory.LazyAttribute(lambda r: periods.period(r.project, r.number).end)
    state = StatusReport.State.DRAFT
    published_at = factory.LazyAttribute(
        lambda r: (
            timezone.make_aware(
                dt.datetime.combine(r.period_end + dt.timedelta(days=1), dt.time(12))
            )
            if r.state == StatusReport.State.PUBLISHED
            else None
        )
    )
    overall_status = factory.SelfAttribute("overall")
    progress_status = factory.SelfAttribute("progress")
    economy_status = factory.SelfAttribute("economy")
    quality_status = factory.SelfAttribute("quality")
    risk_status = factory.SelfAttribute("risk")
    benefits_status = factory.SelfAttribute("benefits")


# --- Meetings, agendas, protocols and questions ---------------------------------------------------


class MeetingFactory(ServiceFactory):
    """A consultation `days` from now (a week), two hours long. `participants` are dicts of user,
    side (and union_name, and without `by` present), as consultations.services.save_meeting
    takes them."""

    class Meta:
        model = Meeting

    _service = consultation_services.save_meeting, "meeting"
    _service_args = ("participants",)

    class Params:
        days = 7

    project = factory.SubFactory(ProjectFactory)
    kind = Meeting.Kind.CONSULTATION
    title = "Drøftingsmøte om organisasjonskartet"
    starts_at = factory.LazyAttribute(
        lambda m: timezone.now().replace(microsecond=0) + dt.timedelta(days=m.days)
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=2))
    place = "Rådhuset, møterom Æsir"
    participants = None

    @classmethod
    def _add_related(cls, obj, *, participants=None):
        for participant in participants or ():
            ParticipantFactory(meeting=obj, **participant)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    side = Side.EMPLOYER


class AgendaItemFactory(ServiceFactory):
    """An item on a meeting's agenda; `links` maps milestones, units, role_descriptions and
    placements to the objects it concerns."""

    class Meta:
        model = AgendaItem

    _service = consultation_services.save_item, "item"
    _service_args = ("links",)

    meeting = factory.SubFactory(MeetingFactory)
    order = 1
    title = "Videre forankring av overordnet organisasjonskart"
    links = None

    @classmethod
    def _add_related(cls, obj, *, links=None):
        for name, objects in (links or {}).items():
            getattr(obj, name).set(objects)


class ProtocolEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolEntry

    item = factory.SubFactory(AgendaItemFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.EMPLOYER
    text = "Arbeidsgiver viser til vedtaket i kommunestyret."


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol

    meeting = factory.SubFactory(MeetingFactory)
    version = 1


class ConfirmationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Confirmation

    protocol = factory.SubFactory(ProtocolFactory)
    user = factory.SubFactory(UserFactory)
    side = Side.EMPLOYER


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question from a workstream, asked by the project's leader unless `asked_by` is given."""

    class Meta:
        model = Question

    project = factory.SubFactory(ProjectFactory)
    asked_by = factory.LazyAttribute(lambda q: q.project.leader)
    asked_on = dt.date(2026, 3, 1)
    text = "Hvem avgjør innplasseringen av styrerne?"


# --- The organization and staffing plan -----------------------------------------------------------


class OrgUnitFactory(ServiceFactory):
    """A unit of the future organization unless structure=CURRENT; `successors` (future units)
    are where a current unit's work goes."""

    class Meta:
        model = OrgUnit

    _service = role_services.save_unit, "unit"
    _service_args = ("successors",)

    project = factory.SubFactory(ProjectFactory)
    structure = OrgUnit.Structure.FUTURE
    kind = OrgUnit.Kind.UNIT
    name = factory.Sequence(lambda n: f"Enhet {n + 1}")
    successors = None

    @classmethod
    def _add_related(cls, obj, *, successors=None):
        if successors:
            obj.successors.set(successors)


class PositionFactory(ServiceFactory):
    """A position in a unit of the future organization, in the unit's project."""

    class Meta:
        model = Position

    _service = role_services.save_position, "position"

    unit = factory.SubFactory(OrgUnitFactory)
    project = factory.SelfAttribute("unit.project")
    title = "Sykepleier"


# The competence profile of a unit head, as Appendix 1 of seed 001 lists one.
COMPETENCE_PROFILE = [
    {"category": "personal", "text": "Tydelig og løsningsorientert", "level": "required"},
    {"category": "experience", "text": "Ledererfaring", "level": "required"},
    {"category": "professional", "text": "Økonomistyring", "level": "useful"},
]


class RoleDescriptionFactory(ServiceFactory):
    """A unit head's role description, as Appendix 1 of seed 001 has it. `competences` (dicts of
    category, text and level) is its competence profile."""

    class Meta:
        model = RoleDescription

    _service = role_services.save_role_description, "description"
    _service_args = ("competences",)

    position = factory.SubFactory(PositionFactory)
    position_name = factory.SelfAttribute("position.title")
    main_goal = "lede enheten slik at brukerne får trygge og gode tjenester."
    main_tasks = "- Faglig ledelse\n- Økonomistyring og rapportering\n- Personalledelse"
    education = "Høyskoleutdanning innen helse- og sosialfag"
    education_level = "Bachelor"
    certifications = "Lederutdanning på masternivå er en fordel"
    general_requirements = "Gode samarbeidsevner og god skriftlig fremstilling på norsk."
    personnel_responsibility = "Alle ansatte ved enheten"
    budget_responsibility = "Enhetens driftsbudsjett"
    professional_responsibility = "Kvalitet i tjenestene"
    special_tasks = "Beredskapsansvar for sykehjemmet"
    competences = factory.LazyFunction(lambda: [dict(c) for c in COMPETENCE_PROFILE])

    @classmethod
    def _add_related(cls, obj, *, competences=None):
        for order, item in enumerate(competences or (), start=1):
            CompetenceFactory(role_description=obj, order=order, **item)


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    role_description = factory.SubFactory(RoleDescriptionFactory, competences=[])
    category = Competence.Category.EXPERIENCE
    text = "Ledererfaring"


class EmployeeFactory(ServiceFactory):
    class Meta:
        model = Employee

    _service = role_services.save_employee, "employee"

    project = factory.SubFactory(ProjectFactory)
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)])
    employee_number = factory.Sequence(lambda n: f"{10000 + n}")


class MappingInterviewFactory(ServiceFactory):
    """A mapping interview held by the project's leader; `wishes` are the positions the employee
    wishes for, in order of priority."""

    class Meta:
        model = MappingInterview

    _service = role_services.save_interview, "interview"
    _service_args = ("wishes",)

    employee = factory.SubFactory(EmployeeFactory)
    held_on = dt.date(2026, 3, 2)
    held_by = factory.LazyAttribute(lambda i: i.employee.project.leader)
    wishes = ()

    @classmethod
    def _add_related(cls, obj, *, wishes=()):
        for priority, position in enumerate(wishes, start=1):
            WishFactory(interview=obj, position=position, priority=priority)


class WishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wish

    interview = factory.SubFactory(MappingInterviewFactory)
    position = factory.SubFactory(PositionFactory)
    priority = 1


# Through the services a placement is proposed, then moves on one status at a time.
PLACEMENT_STEPS = {
    Placement.Status.PROPOSED: [],
    Placement.Status.CONSULTED: [Placement.Status.CONSULTED],
    Placement.Status.DECIDED: [Placement.Status.DECIDED],
    Placement.Status.ACCEPTED: [Placement.Status.DECIDED, Placement.Status.ACCEPTED],
    Placement.Status.DECLINED: [Placement.Status.DECIDED, Placement.Status.DECLINED],
}


class PlacementFactory(ServiceFactory):
    """An employee proposed for a position, with the employee's FTE. With `by`, a placement of
    another status is proposed and then moved there by set_placement_status, as the product
    does; on `decided_on` and `declined_on` (today when not given)."""

    class Meta:
        model = Placement

    employee = factory.SubFactory(EmployeeFactory)
    position = factory.SubFactory(PositionFactory)
    basis = Placement.Basis.SAME_WORK
    status = Placement.Status.PROPOSED
    fte = factory.SelfAttribute("employee.fte")

    @classmethod
    def _save(cls, obj, *, by):
        steps = PLACEMENT_STEPS[obj.status]
        days = {
            Placement.Status.DECIDED: obj.decided_on,
            Placement.Status.DECLINED: obj.declined_on,
        }
        obj.status, obj.decided_on, obj.declined_on = Placement.Status.PROPOSED, None, None
        placement = role_services.save_placement(placement=obj, by=by)
        for step in steps:
            placement = role_services.set_placement_status(
                placement=placement,
                status=step,
                by=by,
                on=days.get(step),
                consulted_in=CONSULTED_IN if step == Placement.Status.CONSULTED else "",
            )
        return placement


# --- Scenarios ------------------------------------------------------------------------------------

STAFF_NAMES = ["Fiktiv Fiktivsen", "Prøve Prøvesen", "Eksempel Eksempelsen"]


def build_staff(project, by) -> dict:
    """A current and a future unit, a unit-head position with a role description requiring
    "Ledererfaring", a care position of 150 %, and three (fictitious) employees, STAFF_NAMES:
    all through the services, as `by`."""
    current = OrgUnitFactory(
        project=project, structure="current", name="Hjemmetjenesten", code="HJT", by=by
    )
    future = OrgUnitFactory(project=project, name="Hverdagsmestring", by=by)
    role_services.save_unit(unit=current, successors=[future], by=by)
    head = PositionFactory(unit=future, title="Enhetsleder", code="7001", by=by)
    nurses = PositionFactory(
        unit=future, title="Sykepleier", fte=Decimal("150"), reports_to=head, by=by
    )
    RoleDescriptionFactory(
        position=head,
        main_goal="lede enheten",
        competences=[
            {"category": "experience", "text": "Ledererfaring", "level": "required"},
            {"category": "personal", "text": "Samarbeidsevne", "level": "useful"},
        ],
        by=by,
    )
    employees = []
    for n, name in enumerate(STAFF_NAMES, start=1):
        first, last = name.split()
        employees.append(
            EmployeeFactory(
                project=project,
                first_name=first,
                last_name=last,
                employee_number=f"10{n}",
                current_unit=current,
                fte=Decimal("100"),
                competences="Sykepleier" if n > 1 else "Ledererfaring\nSykepleier",
                by=by,
            )
        )
    return {
        "current": current,
        "future": future,
        "head": head,
        "nurses": nurses,
        "employees": employees,
    }


def forget_notices() -> None:
    """The set-up's own notices (members told of their roles as they are added) out of the way
    of a test that counts mail: the outbox's rows, and what Django's test outbox got of them
    (sent at once where nothing holds a transaction open)."""
    OutgoingMail.objects.all().delete()
    if hasattr(mail, "outbox"):
        mail.outbox.clear()
