"""Benchmark the main pages against PostgreSQL, on a database of its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py --shape small

Builds one of the shapes of DESIGN.md ("Benchmarks") in a fresh database (test_reorg_bench),
then times the pages as the steering user, who is a member of every project (and the personal-
data pages as the focus project's leader): SQL queries, median and p95 over the requests after a
warm-up, and response size; for the PDF and the Excel export, seconds (and the PDF's pages).
The database is dropped at the end. See bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHAPES = {"small": (3, 5), "large": (10, 50)}  # organisations, projects per organisation
BATCH = 1000

# --- Norwegian test content ---------------------------------------------------------------------

MILESTONE_TITLES = [
    "Kartleggingssamtaler gjennomført", "Organisasjons- og bemanningsplan utarbeidet",
    "Drøftet med tillitsvalgte", "Ny organisering besluttet", "Innplassering av ansatte",
    "Rollebeskrivelser ferdige", "Ny organisasjon operativ", "Omstillingssamtaler",
]  # fmt: skip

MUNICIPALITIES = [
    "Åmot", "Ås", "Bø", "Hå", "Sør-Fron", "Ørland", "Værøy", "Lærdal", "Røros", "Målselv",
    "Sømna", "Nærøysund", "Tønsberg", "Kåfjord", "Bærum",
]  # fmt: skip
AREAS = [
    "helse og omsorg", "oppvekst og utdanning", "teknisk drift", "kultur og fritid",
    "økonomi og lønn", "plan, bygg og oppmåling", "NAV-kontoret", "barnevernet",
    "IKT og digitalisering", "sentraladministrasjonen",
]  # fmt: skip
WORKSTREAMS = [
    ("Organisasjonsstruktur og ledelse", "Alle enhetsledere og kommunalsjefene"),
    ("Bemanning, kompetanse og turnus", "Hjemmetjenesten, sykehjemmene og bo- og aktivitetstjenesten"),
    ("Økonomi, budsjett og styring", "Økonomiavdelingen og controllerne i sektorene"),
    ("Digitalisering og arbeidsprosesser", "IKT-avdelingen, arkivet og servicetorget"),
]  # fmt: skip

BACKGROUND = """\
Kommunestyret i {org} vedtok i juni å gjennomgå organiseringen av {area}. Bakgrunnen er en \
økende andel eldre innbyggere, færre i yrkesaktiv alder og et budsjett som ikke lenger går i \
balanse uten tiltak. Tjenestene er i dag spredt på mange små enheter med hver sin leder, og det \
er vanskelig å flytte ressurser dit behovet er størst.

Rådmannens økonomiplan for perioden viser et gap på om lag 14 millioner kroner i året innen \
sektoren. Samtidig melder ansatte om høyt arbeidspress, og sykefraværet har i flere år ligget \
over landsgjennomsnittet. Brukerundersøkelsen fra i fjor viser at innbyggerne er fornøyde med \
møtet med de ansatte, men ikke med ventetid, åpningstider og hvor lett det er å nå frem.

Tidligere forsøk på omstilling har stoppet opp fordi mandatet var uklart og fordi de tillitsvalgte \
og verneombudet kom for sent inn i arbeidet. Dette prosjektet skal derfor ha et tydelig mandat, \
en åpen prosess og faste møtepunkter med partene.

Det er særlig tre forhold som gjør endring nødvendig nå:
- demografien: antallet innbyggere over 80 år dobles innen 2040;
- økonomien: driften må tilpasses rammene i økonomiplanen;
- rekrutteringen: flere fagstillinger står ubesatt i lange perioder, særlig sykepleiere.

Prosjekt nummer {n} i {org}: denne teksten er laget av benchmark-verktøyet (bench/run.py)."""

PURPOSE = """\
Hensikten med prosjektet er å finne og innføre en organisering av {area} som gir bedre \
tjenester for innbyggerne innenfor de økonomiske rammene, og et godt arbeidsmiljø for de \
ansatte. Prosjektet skal utrede minst to løsninger i tillegg til å beholde dagens organisering \
(0-alternativet), og legge frem en anbefaling som kommunedirektøren kan fremme for politisk \
behandling.

Prosjektet omfatter alle enheter i sektoren, også de som i dag er organisert som egne \
resultatenheter. Fellestjenester som lønn, IKT og innkjøp er ikke en del av prosjektet, men \
skal involveres der endringene berører dem.

Arbeidet gjøres i to faser: en utredningsfase som ender med et beslutningsgrunnlag, og en \
gjennomføringsfase der den valgte løsningen innføres, med tett oppfølging av ansatte som får \
nye oppgaver, ny leder eller nytt arbeidssted."""

CONSTRAINTS = """\
Prosjektet skal følge hovedavtalen, arbeidsmiljøloven og kommunens retningslinjer for \
omstilling. Ingen ansatte skal sies opp som følge av omorganiseringen; overtallighet håndteres \
gjennom naturlig avgang, omplassering og kompetanseheving.

Følgende føringer gjelder:
- tillitsvalgte og hovedverneombudet deltar i prosjektgruppen fra første møte;
- risiko- og sårbarhetsanalyse (ROS) gjennomføres før hver beslutning om endret organisering;
- endringer som berører brukerne, skal drøftes med eldrerådet og rådet for personer med \
funksjonsnedsettelse;
- prosjektet skal holde seg innenfor en ramme på 1,2 millioner kroner, inkludert frikjøp;
- kommunikasjon til ansatte går alltid via linjeleder før den publiseres på intranettet.

Prosjektet rapporterer til styringsgruppen hver tredje uke, og avvik fra tid, kostnad eller \
kvalitet skal meldes uten opphold."""

OBLIGATIONS = """\
Organisasjonen stiller prosjektleder i 60 prosent stilling i hele prosjektperioden, og frikjøper \
deltakerne i arbeidsstrømmene med til sammen 150 timer i utredningsfasen. Økonomiavdelingen og \
HR-avdelingen stiller med hver sin kontaktperson som svarer på henvendelser innen fem \
virkedager. Ledere i sektoren sørger for at ansatte kan delta på informasjonsmøter i \
arbeidstiden."""

QUALITY = """\
Beslutningsgrunnlaget skal være etterprøvbart: tall og forutsetninger dokumenteres, og \
alternativene vurderes etter de samme kriteriene. Alle dokumenter skrives i klarspråk og \
kvalitetssikres av økonomisjefen og HR-sjefen før de går til styringsgruppen. Ansatte og \
brukere skal kunne kjenne seg igjen i beskrivelsen av dagens situasjon."""

RESULT_GOALS = [
    "Et beslutningsgrunnlag med minst to løsningsforslag og 0-alternativet er lagt frem for "
    "styringsgruppen innen utredningsfasen er ferdig.",
    "Ny organisasjonsstruktur for {area} er vedtatt og kunngjort for alle ansatte.",
    "Alle ledere i sektoren har fått sitt nye ansvarsområde beskrevet i en stillingsbeskrivelse.",
    "Ansatte som får endrede arbeidsoppgaver, har hatt en individuell samtale med sin leder.",
    "Rutiner, fullmakter og delegeringsreglement er oppdatert i kvalitetssystemet.",
]
EFFECT_GOALS = [
    "Ventetiden for innbyggerne er redusert med minst 20 prosent innen to år.",
    "Sykefraværet i sektoren er under 8 prosent innen utgangen av neste år.",
    "Driften av {area} går i balanse med rammene i økonomiplanen.",
    "Andelen ubesatte fagstillinger er halvert.",
    "Brukertilfredsheten er på nivå med eller bedre enn landsgjennomsnittet.",
    "Lederne har et kontrollspenn som gjør at de kan følge opp hver ansatt.",
    "Ansatte opplever økt medvirkning, målt i medarbeiderundersøkelsen.",
    "Tjenestene er organisert slik at ressurser kan flyttes mellom enhetene ved behov.",
]
BENEFITS = [
    ("Redusert ventetid", "Median ventetid fra søknad til vedtak", "21", "14", "dager", "Kommunalsjef"),
    ("Lavere sykefravær", "Legemeldt og egenmeldt fravær", "11,4", "8,0", "prosent", "HR-sjef"),
    ("Økonomi i balanse", "Avvik mot budsjett i sektoren", "−14", "0", "mill. kr", "Økonomisjef"),
    ("Færre ubesatte stillinger", "Ubesatte fagstillinger per 1. oktober", "12", "6", "stillinger", "HR-sjef"),
    ("Fornøyde brukere", "Skår i brukerundersøkelsen", "4,1", "4,6", "av 6", "Kommunalsjef"),
    ("Bedre ledelse", "Ansatte per leder", "38", "25", "ansatte", "Kommunedirektør"),
]  # fmt: skip
PHASE_GOALS = [
    "Kartlegge dagens organisering, utrede løsningsforslagene og anbefale én av dem.",
    "Innføre den valgte løsningen, følge opp de ansatte og evaluere etter seks måneder.",
]


def _person(n: int) -> tuple[str, str]:
    from tests.factories import FIRST_NAMES, LAST_NAMES  # (imported once Django is set up)

    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]


# --- Set-up -------------------------------------------------------------------------------------


def fail(message: str) -> None:
    print(f"bench/run.py: {message}", file=sys.stderr)
    sys.exit(2)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark reorg's pages on PostgreSQL, in a database of its own.",
    )
    parser.add_argument("--shape", choices=sorted(SHAPES), default="small")
    parser.add_argument("--orgs", type=int, help="organisations (overrides the shape)")
    parser.add_argument(
        "--projects", type=int, help="projects per organisation (overrides the shape)"
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page (3)")
    parser.add_argument(
        "--pdf-runs", type=int, default=5, help="timed PDF and Excel renderings (5)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    parser.add_argument("--sql", action="store_true", help="print each page's SQL queries")
    parser.add_argument(
        "--pages",
        type=lambda value: [name.strip() for name in value.split(",") if name.strip()],
        metavar="NAME,...",
        help="time only these pages, by URL name (e.g. reports:dashboard); no documents",
    )
    args = parser.parse_args(argv)
    orgs, projects = SHAPES[args.shape]
    args.orgs = orgs if args.orgs is None else args.orgs
    args.projects = projects if args.projects is None else args.projects
    if args.orgs < 1 or args.projects < 1:
        parser.error("--orgs and --projects must be at least 1")
    if args.requests < 1 or args.warmup < 0 or args.pdf_runs < 1:
        parser.error("--requests and --pdf-runs must be at least 1, --warmup at least 0")
    return args


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        fail(
            "DATABASE_URL is not set. The benchmark runs against PostgreSQL only, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py"
        )
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # WhiteNoise warns that STATIC_ROOT does not exist: collectstatic is not run for this.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django
    from django.conf import settings

    django.setup()
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine and "postgis" not in engine:
        fail(
            f"DATABASE_URL points to {engine.rsplit('.', 1)[-1]}, not PostgreSQL. Figures from "
            "SQLite say nothing about production; give a postgres:// URL."
        )
    if settings.DEBUG:
        fail("DEBUG is on; the benchmark runs with DEBUG off.")


# --- The data builder ---------------------------------------------------------------------------


@dataclass
class Dataset:
    steering: object
    focus: object  # the project whose pages are timed
    projects: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def _bulk(model, objs, *, user_of, reason):
    """bulk_create_with_history, with each history row's user and change reason as the services
    would have recorded them."""
    from simple_history.utils import bulk_create_with_history

    for obj in objs:
        obj._history_user = user_of(obj)
        obj._change_reason = reason
    return bulk_create_with_history(objs, model, batch_size=BATCH)


def build_users(n_orgs: int, n_projects: int):
    """The steering user, and per organisation 3 owners and up to 10 project leaders."""
    from accounts.models import User
    from tests.factories import UserFactory

    steering = UserFactory.build(
        username="styring",
        first_name="Sigrid",
        last_name="Styringsgruppe-Ødegård",
        job_title="Kommunedirektør",
        password="bench",
    )
    users, per_org = [steering], []

    def user(username, job_title):
        first, last = _person(len(users))
        users.append(
            UserFactory.build(
                username=username,
                first_name=first,
                last_name=last,
                job_title=job_title,
                password="bench",
            )
        )
        return users[-1]

    for o in range(n_orgs):
        owners = [user(f"eier-{o}-{k}", "Kommunalsjef") for k in range(3)]
        leaders = [user(f"leder-{o}-{k}", "Prosjektleder") for k in range(min(n_projects, 10))]
        per_org.append((owners, leaders))
    User.objects.bulk_create(users, batch_size=BATCH)  # User has no history
    return steering, per_org


def build_projects(org, owners, leaders, n_projects, steering):
    """Projects, memberships and permissions through the services, so that they are exactly what
    the product makes: the owner's and the leader's memberships (create_project) and the steering
    user's (add_member), each with its guardian permissions (sync_permissions)."""
    from projects.models import Membership, Project
    from tests.factories import MembershipFactory, ProjectFactory

    projects = []
    for j in range(n_projects):
        area = AREAS[j % len(AREAS)]
        round_ = j // len(AREAS)
        name = f"Omstilling av {area}" + (f" – trinn {round_ + 1}" if round_ else "")
        start = dt.date(2026, 1, 5) + dt.timedelta(weeks=j % 20)
        owner, leader = owners[j % len(owners)], leaders[j % len(leaders)]
        text = {"org": org.name, "area": area, "n": j + 1}
        project = ProjectFactory(
            organisation=org,
            name=name,
            code=f"OU-{j + 1:03d}",
            owner=owner,
            leader=leader,
            start_date=start,
            by=leader,
            last_delivery_date=start + dt.timedelta(days=365),
            owner_title="Kommunalsjef",
            status=Project.Status.ACTIVE,
            background=BACKGROUND.format(**text),
            purpose=PURPOSE.format(**text),
            constraints=CONSTRAINTS,
            obligations=OBLIGATIONS,
            quality_requirements=QUALITY,
        )
        MembershipFactory(project=project, user=steering, role=Membership.Role.STEERING, by=owner)
        project._area = area
        projects.append(project)
    return projects


def build_mandates(projects) -> dict:
    """The mandate's lists, phases, workstreams and options, bulk-created with history. History
    users and change reasons are those the services record (the leader; the section's title)."""
    from projects.models import Benefit, Goal, Phase, SolutionOption, Workstream
    from tests.factories import (
        BenefitFactory,
        GoalFactory,
        PhaseFactory,
        SolutionOptionFactory,
        WorkstreamFactory,
    )

    by_pk = {p.pk: p for p in projects}

    def leader_of(obj):
        return by_pk[obj.project_id].leader

    goals_result, goals_effect, benefits, phases, workstreams = [], [], [], [], []
    for p in projects:
        for order, text in enumerate(RESULT_GOALS, start=1):
            goals_result.append(
                GoalFactory.build(
                    project=p, kind=Goal.Kind.RESULT, order=order, text=text.format(area=p._area)
                )
            )
        for order, text in enumerate(EFFECT_GOALS, start=1):
            goals_effect.append(
                GoalFactory.build(
                    project=p, kind=Goal.Kind.EFFECT, order=order, text=text.format(area=p._area)
                )
            )
        for order, (title, indicator, baseline, target, unit, owner) in enumerate(BENEFITS, 1):
            benefits.append(
                BenefitFactory.build(
                    project=p,
                    order=order,
                    title=title,
                    indicator=indicator,
                    baseline=baseline,
                    target=target,
                    unit=unit,
                    owner=owner,
                )
            )
        middle = p.start_date + dt.timedelta(days=120)
        phases.append(
            PhaseFactory.build(
                project=p,
                order=1,
                name="Utredning",
                goal=PHASE_GOALS[0],
                start_date=p.start_date,
                end_date=middle,
            )
        )
        phases.append(
            PhaseFactory.build(
                project=p,
                order=2,
                name="Gjennomføring",
                goal=PHASE_GOALS[1],
                start_date=middle + dt.timedelta(days=1),
                end_date=p.last_delivery_date,
            )
        )
        for order, (name, units) in enumerate(WORKSTREAMS, start=1):
            # The first two are ready for decision: valid, as they have 3 options, one the 0-alt.
            status = Workstream.Status.READY if order <= 2 else Workstream.Status.DRAFT
            workstreams.append(
                WorkstreamFactory.build(
                    project=p, order=order, name=name, units=units, lead=p.leader, status=status
                )
            )

    _bulk(Goal, goals_result, user_of=leader_of, reason="Resultatmål")
    _bulk(Goal, goals_effect, user_of=leader_of, reason="Effektmål")
    _bulk(Benefit, benefits, user_of=leader_of, reason="Gevinster")
    _bulk(Phase, phases, user_of=leader_of, reason="Faser")
    workstreams = _bulk(Workstream, workstreams, user_of=leader_of, reason="Arbeidsstrømmer")

    options = []
    for ws in workstreams:
        options += [
            SolutionOptionFactory.build(
                workstream=ws,
                order=1,
                title="0-alternativet: dagens organisering",
                description="Enhetene beholdes som i dag, med dagens ledere og "
                "budsjettansvar. Ingen omstillingskostnader, men gapet består.",
                is_zero_alternative=True,
            ),
            SolutionOptionFactory.build(
                workstream=ws,
                order=2,
                title="Samlet enhet med felles ledelse",
                description="Enhetene slås sammen til én enhet med én leder og "
                "avdelingsledere for hvert fagområde. Gir fleksibel bemanning.",
            ),
            SolutionOptionFactory.build(
                workstream=ws,
                order=3,
                title="To soner, nord og sør",
                description="Tjenestene deles i to geografiske soner med hver sin "
                "leder. Kortere reisevei, men to fagmiljøer å bygge.",
            ),
        ]
    ws_leader = {ws.pk: ws.lead for ws in workstreams}
    _bulk(
        SolutionOption,
        options,
        user_of=lambda o: ws_leader[o.workstream_id],
        reason="Løsningsforslag",
    )
    return {
        "goals": len(goals_result) + len(goals_effect),
        "benefits": len(benefits),
        "phases": len(phases),
        "workstreams": len(workstreams),
        "options": len(options),
    }


MILESTONES_PER_PROJECT = 20
ACTIVITIES_PER_MILESTONE = 5
FOCUS_MILESTONES = 500  # the issue: time the progress plan with 500 milestones


def build_milestones(projects) -> dict:
    """DESIGN.md's large shape: 20 milestones per project with 5 activities each, in bulk and with
    history (the leader recorded, as the services would). The focus project, whose pages are
    timed, has 500 milestones, spread over its phases and workstreams, a few overdue, each
    depending on the one before."""
    from milestones.models import Activity, Milestone
    from projects.models import Phase, Workstream
    from tests.factories import ActivityFactory, MilestoneFactory

    phases, streams = defaultdict(list), defaultdict(list)
    for phase in Phase.objects.filter(project__in=projects).order_by("order"):
        phases[phase.project_id].append(phase)
    for stream in Workstream.objects.filter(project__in=projects).order_by("order"):
        streams[stream.project_id].append(stream)
    today = dt.date.today()
    milestones = []
    for p in projects:
        n = FOCUS_MILESTONES if p is projects[0] else MILESTONES_PER_PROJECT
        for i in range(n):
            due = today + dt.timedelta(days=(i * 365) // n - 120)
            reached = due < today and i % 4 != 0  # every fourth past one is overdue
            milestones.append(
                MilestoneFactory.build(
                    project=p,
                    code=f"M{i + 1}",
                    title=MILESTONE_TITLES[i % len(MILESTONE_TITLES)],
                    criterion="Dokumentert, drøftet med tillitsvalgte og godkjent i styringsgruppen",
                    kind=Milestone.Kind.DECISION_POINT if i % 10 == 9 else Milestone.Kind.MILESTONE,
                    due_date=due,
                    phase=phases[p.pk][i % len(phases[p.pk])] if phases[p.pk] else None,
                    workstream=streams[p.pk][i % len(streams[p.pk])] if streams[p.pk] else None,
                    responsible=p.leader,
                    status=Milestone.Status.REACHED if reached else Milestone.Status.PLANNED,
                    reached_on=due if reached else None,
                )
            )
    by_pk = {p.pk: p for p in projects}
    milestones = _bulk(
        Milestone, milestones, user_of=lambda m: by_pk[m.project_id].leader, reason="Milepæler"
    )
    focus = [m for m in milestones if m.project_id == projects[0].pk]
    Through = Milestone.depends_on.through
    Through.objects.bulk_create(
        [
            Through(from_milestone=m, to_milestone=prev)
            for prev, m in zip(focus, focus[1:], strict=False)
        ],
        batch_size=BATCH,
    )
    activities = [
        ActivityFactory.build(
            project=by_pk[m.project_id],
            title=f"Forberede {m.title.lower()} ({a + 1})",
            owner=by_pk[m.project_id].leader,
            due_date=m.due_date,
            status=Activity.Status.DONE if m.reached_on else Activity.Status.TODO,
            done_on=m.reached_on,
            milestone=m,
            workstream_id=m.workstream_id,
        )
        for m in milestones
        for a in range(ACTIVITIES_PER_MILESTONE)
    ]
    _bulk(Activity, activities, user_of=lambda a: by_pk[a.project_id].leader, reason="Aktiviteter")
    return {
        "milestones": len(milestones),
        "activities": len(activities),
        "dependencies": len(focus) - 1,
    }


# The focus project's organization and staffing plan (DESIGN.md's large shape: one project with
# 2,000 employees). Names and codes are made up.
CURRENT_UNITS = [
    ("HJN", "Hjemmetjenesten nord"), ("HJS", "Hjemmetjenesten sør"), ("SYH", "Sykehjemmet"),
    ("BOF", "Bofellesskapene"), ("PHR", "Psykisk helse og rus"), ("TIL", "Tildelingskontoret"),
    ("LEG", "Legetjenesten"), ("FYS", "Fysio- og ergoterapi"), ("AKT", "Aktivitetssenteret"),
    ("KJK", "Institusjonskjøkkenet"),
]  # fmt: skip
FUTURE_UNITS = [
    ("HVM", "Hverdagsmestring"), ("INST", "Institusjon"), ("REH", "Rehabilitering"),
    ("MILJ", "Miljøtjenester"), ("BOA", "Bo- og aktivitetssenter"), ("PHR", "Psykisk helse og rus"),
    ("TIK", "Tildeling og koordinering"), ("ALM", "Allmennlegetjenester"),
    ("FUI", "Forskning, utvikling og innovasjon"), ("MAT", "Mat og ernæring"),
]  # fmt: skip
DEPARTMENTS = ["avdeling 1", "avdeling 2"]
# Per future unit: title, code, FTE (%), required competences. 20,000 % a unit, 200,000 % in all:
# jobs for the 2,000 employees (75 % on average), with room to spare.
UNIT_POSITIONS = [
    ("Enhetsleder", "7001", 100, ["Ledererfaring", "Helsefaglig utdanning på bachelornivå"]),
    ("Sykepleier", "7174", 6000, ["Autorisasjon som sykepleier"]),
    ("Helsefagarbeider", "7576", 8000, ["Fagbrev som helsefagarbeider"]),
    ("Assistent", "7597", 4000, []),
    ("Spesialsykepleier", "7176", 1200, ["Autorisasjon som sykepleier", "Videreutdanning"]),
    ("Fagkonsulent", "6502", 700, ["Helsefaglig utdanning på bachelornivå"]),
]  # fmt: skip
# The competences an employee of each title has; every seventh lacks the last (a warning).
HAS = {
    "Enhetsleder": ["Ledererfaring", "Helsefaglig utdanning på bachelornivå", "Sykepleier"],
    "Sykepleier": ["Sykepleier", "Autorisasjon som sykepleier"],
    "Helsefagarbeider": ["Helsefagarbeider", "Fagbrev som helsefagarbeider"],
    "Assistent": ["Førerkort klasse B"],
    "Spesialsykepleier": ["Autorisasjon som sykepleier", "Videreutdanning"],
    "Fagkonsulent": ["Kvalitetsarbeid", "Helsefaglig utdanning på bachelornivå"],
}
EXTRA_COMPETENCES = ["Demensomsorgens ABC", "Førerkort klasse B", "Velferdsteknologi", ""]
EMPLOYEES = 2000
INTERVIEWS = 1500
PLACED = 1700  # employees with a placement; 100 of those who declined get a second offer
FTES = [100, 100, 80, 75, 60, 50, 100, 40]
# A placement's status by employee number modulo 20: 35 % accepted, 20 % decided, 15 %
# consulted, 20 % proposed, 10 % declined.
STATUS_BY_REMAINDER = (
    ["accepted"] * 7 + ["decided"] * 4 + ["consulted"] * 3 + ["proposed"] * 4 + ["declined"] * 2
)


REPORTS_PER_PROJECT = 6  # the latest ended periods' status reports, for the dashboard
# The lights of the reports cycle through these, offset per project and section.
LIGHT_CYCLE = ["green", "green", "yellow", "green", "red", "yellow", "green"]


def build_status_reports(projects) -> dict:
    """For the steering group's dashboard: the status reports of each project's latest ended
    periods (up to REPORTS_PER_PROJECT), published with mixed lights, except that every fifth
    project's latest is still a draft (late once its three working days have passed); and one
    pending decision request per project, due within four weeks. Bulk-created with history (the
    leader recorded)."""
    from django.utils import timezone

    from reports import periods
    from reports.models import DIMENSIONS, DecisionRequest, StatusReport
    from tests.factories import DecisionRequestFactory, StatusReportFactory

    today = timezone.localdate()
    reports, requests = [], []
    for j, p in enumerate(projects):
        requests.append(
            DecisionRequestFactory.build(
                project=p,
                title="Valg av ny organisasjonsmodell for " + p._area,
                question="Vedta alternativ 2 som grunnlag for drøftinger med tillitsvalgte.",
                basis="Utredningen fra arbeidsstrømmene, med 0-alternativet.",
                deadline=today + dt.timedelta(days=j % 28),
                created_by=p.leader,
            )
        )
        ended = periods.latest_ended(p, today)
        if ended is None:
            continue
        for number in range(max(1, ended.number - REPORTS_PER_PROJECT + 1), ended.number + 1):
            period = periods.period(p, number)
            draft = number == ended.number and j % 5 == 0
            published_at = timezone.make_aware(
                dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(10))
            )
            reports.append(
                StatusReportFactory.build(
                    project=p,
                    number=number,
                    state=StatusReport.State.DRAFT if draft else StatusReport.State.PUBLISHED,
                    published_at=None if draft else published_at,
                    published_by=None if draft else p.leader,
                    achieved="Kartleggingssamtalene er gjennomført i alle enhetene.",
                    planned="Drøfte organisasjonskartet med tillitsvalgte og verneombud.",
                    challenges="Høyt sykefravær i hjemmetjenesten forsinker arbeidet.",
                    **{
                        key: LIGHT_CYCLE[(j + number + k) % len(LIGHT_CYCLE)]
                        for k, (key, _label) in enumerate(DIMENSIONS)
                    },
                )
            )
    by_pk = {p.pk: p for p in projects}
    _bulk(
        StatusReport,
        reports,
        user_of=lambda r: by_pk[r.project_id].leader,
        reason="Statusrapporter",
    )
    _bulk(
        DecisionRequest,
        requests,
        user_of=lambda r: by_pk[r.project_id].leader,
        reason="Beslutningssaker",
    )
    return {"status reports": len(reports), "decision requests": len(requests)}


def _title_of(n: int) -> str:
    """The title of employee n: the first ten lead a unit; then 30 % nurses, 40 % health
    workers, 20 % assistants, 6 % specialist nurses, 4 % consultants."""
    if n < len(CURRENT_UNITS):
        return "Enhetsleder"
    k = n % 100
    for title, upto in [
        ("Sykepleier", 30),
        ("Helsefagarbeider", 70),
        ("Assistent", 90),
        ("Spesialsykepleier", 96),
    ]:
        if k < upto:
            return title
    return "Fagkonsulent"


def build_employees(focus) -> dict:
    """DESIGN.md's large shape: the focus project with 2,000 employees. The organization (a
    sector with 10 units of 2 departments each, as it is and as it will be, each current unit
    mapped to its successors), the 60 positions and their role descriptions go through
    roles.services, as few as they are; employees, 1,500 mapping interviews with 1–3 wishes, and
    1,800 placements in every status are bulk-created with history (the leader recorded, as the
    services would). Decided and accepted placements never fill a position beyond its FTE and
    are at most one per employee, as the services require."""
    from decimal import Decimal

    from django.db.models import F, Q, Sum

    from roles.models import Employee, MappingInterview, OrgUnit, Placement, Position, Wish
    from tests.factories import (
        EmployeeFactory,
        MappingInterviewFactory,
        OrgUnitFactory,
        PlacementFactory,
        PositionFactory,
        RoleDescriptionFactory,
        WishFactory,
    )

    by = focus.leader
    Kind, Structure = OrgUnit.Kind, OrgUnit.Structure

    def unit(structure, kind, name, code, parent=None, order=1, successors=None):
        return OrgUnitFactory(
            project=focus,
            structure=structure,
            kind=kind,
            name=name,
            code=code,
            parent=parent,
            order=order,
            leader_title={Kind.SECTOR: "Kommunalsjef", Kind.UNIT: "Enhetsleder"}.get(
                kind, "Avdelingsleder"
            ),
            successors=successors,
            by=by,
        )

    sector = unit(Structure.FUTURE, Kind.SECTOR, "Helse og omsorg", "HO")
    future = []
    for order, (code, name) in enumerate(FUTURE_UNITS, start=1):
        future.append(unit(Structure.FUTURE, Kind.UNIT, name, code, sector, order))
        for d, department in enumerate(DEPARTMENTS, start=1):
            unit(
                Structure.FUTURE,
                Kind.DEPARTMENT,
                f"{name}, {department}",
                f"{code}-{d}",
                future[-1],
                d,
            )
    old_sector = unit(Structure.CURRENT, Kind.SECTOR, "Helse og omsorg", "HO", successors=[sector])
    current = []  # per current unit: itself and its departments, where the employees work
    for i, (code, name) in enumerate(CURRENT_UNITS):
        # Unit i goes to future unit i; every third shares its work with the next future unit
        # too, so the comparison has renamed and restructured units.
        goes_to = [future[i]] + ([future[(i + 1) % len(future)]] if i % 3 == 0 else [])
        parent = unit(Structure.CURRENT, Kind.UNIT, name, code, old_sector, i + 1, goes_to)
        current.append(
            [parent]
            + [
                unit(Structure.CURRENT, Kind.DEPARTMENT, f"{name}, {dep}", f"{code}-{d}", parent, d, goes_to[:1])
                for d, dep in enumerate(DEPARTMENTS, start=1)
            ]
        )  # fmt: skip

    positions = {}  # (future unit index, title) -> Position
    for u, future_unit in enumerate(future):
        head = None
        for order, (title, code, fte, required) in enumerate(UNIT_POSITIONS, start=1):
            position = PositionFactory(
                unit=future_unit,
                title=title,
                code=code,
                fte=Decimal(fte),
                reports_to=head,
                order=order,
                by=by,
            )
            head = head or position
            positions[u, title] = position
            RoleDescriptionFactory(
                position=position,
                position_name=f"{title}, {future_unit.name}",
                main_goal=f"gi innbyggerne gode tjenester i {future_unit.name.lower()}",
                main_tasks="- Yte tjenester etter vedtak\n- Dokumentere i journal\n"
                "- Delta i fagutvikling og internopplæring",
                education="Relevant utdanning for stillingen",
                competences=[
                    {"category": "professional", "text": text, "level": "required"}
                    for text in required
                ]
                + [
                    {"category": "personal", "text": "Samarbeidsevne", "level": "useful"},
                    {"category": "experience", "text": "Erfaring fra helse og omsorg", "level": "useful"},
                ],
                by=by,
            )  # fmt: skip

    employees = []
    for n in range(EMPLOYEES):
        first, last = _person(n)
        title = _title_of(n)
        has = list(HAS[title])
        if n % 7 == 3 and has:
            has.pop()  # lacks a required competence: the placement shows a warning
        extra = EXTRA_COMPETENCES[n % len(EXTRA_COMPETENCES)]
        employees.append(
            EmployeeFactory.build(
                project=focus,
                first_name=first,
                last_name=last,
                employee_number=f"{100000 + n}",
                current_unit=current[n % len(current)][n // len(current) % 3],
                current_position=title,
                fte=Decimal(FTES[n % len(FTES)]),
                start_date=dt.date(1995, 1, 1) + dt.timedelta(days=(n * 97) % 10000),
                competences="\n".join(has + ([extra] if extra else [])),
                restructuring_conversation_on=dt.date(2026, 10, 1) if PLACED <= n < 1900 else None,
                redundant=1850 <= n < 1880,
            )
        )
    employees = _bulk(Employee, employees, user_of=lambda e: by, reason=None)

    def target(n, shift=0):
        """The future unit index of employee n's placement (or wish), and their title."""
        return (n % len(current) + shift) % len(future), _title_of(n)

    interviews = _bulk(
        MappingInterview,
        [
            MappingInterviewFactory.build(
                employee=employees[n],
                held_on=dt.date(2026, 8, 17) + dt.timedelta(days=n % 42),
                held_by=by,
                notes="Ønsker å fortsette med samme type arbeid i ny enhet. Har spurt om "
                "turnus, arbeidssted og mulighet for høyere stillingsprosent.",
            )
            for n in range(INTERVIEWS)
        ],
        user_of=lambda i: by,
        reason=None,
    )
    wishes = []
    for n, interview in enumerate(interviews):
        wanted = []
        for shift in range(1 + n % 3):  # 1–3 wishes, the first where the work goes
            position = positions[target(n, shift)]
            if position not in wanted:
                wanted.append(position)
        wishes += [
            WishFactory.build(interview=interview, position=position, priority=priority)
            for priority, position in enumerate(wanted, start=1)
        ]
    _bulk(Wish, wishes, user_of=lambda w: by, reason=None)

    left = {key: position.fte for key, position in positions.items()}
    decided_on, declined_on = dt.date(2026, 9, 28), dt.date(2026, 10, 5)
    placements = []
    for n in range(PLACED):
        employee = employees[n]
        key = target(n)
        status = STATUS_BY_REMAINDER[n % len(STATUS_BY_REMAINDER)]
        if status in Placement.FILLING:
            if left[key] < employee.fte:
                status = "consulted"  # the position is full: not decided, as the services say
            else:
                left[key] -= employee.fte
        placements.append(
            PlacementFactory.build(
                employee=employee,
                position=positions[key],
                basis=Placement.Basis.SAME_WORK if n % 4 else Placement.Basis.AFTER_CONVERSATION,
                status=status,
                fte=employee.fte,
                decided_on=decided_on if status in ("decided", "accepted", "declined") else None,
                declined_on=declined_on if status == "declined" else None,
                note="Takket nei: ønsker annet arbeidssted." if status == "declined" else "",
            )
        )
        if status == "declined" and n < 1000:
            placements.append(  # a new offer is a new placement
                PlacementFactory.build(
                    employee=employee,
                    position=positions[target(n, 1)],
                    basis=Placement.Basis.AFTER_CONVERSATION,
                    fte=employee.fte,
                )
            )
    _bulk(Placement, placements, user_of=lambda p: by, reason=None)
    overfilled = (
        Position.objects.filter(project=focus)
        .annotate(filled=Sum("placements__fte", filter=Q(placements__status__in=Placement.FILLING)))
        .filter(filled__gt=F("fte"))
    )
    if overfilled.exists():
        fail(f"placements overfill {overfilled.count()} positions")
    return {
        "org units": OrgUnit.objects.filter(project=focus).count(),
        "positions": len(positions),
        "employees": len(employees),
        "interviews": len(interviews),
        "wishes": len(wishes),
        "placements": len(placements),
    }


def verify_memberships(projects, steering) -> None:
    """Memberships and guardian permissions must be exactly what the services produce."""
    from projects.models import Membership, ProjectUserObjectPermission
    from projects.permissions import permissions_for_roles

    Role = Membership.Role
    expected_members = set()
    for p in projects:
        expected_members |= {
            (p.pk, p.owner_id, Role.OWNER.value),
            (p.pk, p.leader_id, Role.LEADER.value),
            (p.pk, steering.pk, Role.STEERING.value),
        }
    actual_members = set(Membership.objects.values_list("project_id", "user_id", "role"))
    if actual_members != expected_members:
        fail(
            f"memberships differ from the services': {len(actual_members ^ expected_members)} rows"
        )
    roles = defaultdict(set)
    for project_id, user_id, role in expected_members:
        roles[project_id, user_id].add(role)
    expected_perms = {
        (project_id, user_id, codename)
        for (project_id, user_id), rs in roles.items()
        for codename in permissions_for_roles(rs)
    }
    rows = list(
        ProjectUserObjectPermission.objects.values_list(
            "content_object_id", "user_id", "permission__codename"
        )
    )
    if len(rows) != len(set(rows)) or set(rows) != expected_perms:
        fail("guardian permissions differ from what sync_permissions gives for the roles")


def build(n_orgs: int, n_projects: int, *, progress=print) -> Dataset:
    from django.db import connection, transaction

    from core.history import acting_as
    from tests.factories import OrganisationFactory

    with connection.cursor() as cursor:
        # A throw-away database: no need to wait for each commit to reach the disk.
        cursor.execute("SET synchronous_commit TO off")

    steering, per_org = build_users(n_orgs, n_projects)
    projects = []
    for o, (owners, leaders) in enumerate(per_org):
        name = MUNICIPALITIES[o % len(MUNICIPALITIES)] + " kommune"
        if o >= len(MUNICIPALITIES):
            name += f" {o // len(MUNICIPALITIES) + 1}"
        with transaction.atomic(), acting_as(steering):
            org = OrganisationFactory(name=name, org_number=f"{940000000 + o}")
            org.members.add(steering, *owners, *leaders)  # through the m2m: history records it
        with transaction.atomic():
            projects += build_projects(org, owners, leaders, n_projects, steering)
        progress(f"  {org.name}: {n_projects} projects ({len(projects)} in all)")

    counts = {"organisations": n_orgs, "projects": len(projects)}
    with transaction.atomic():
        counts |= build_mandates(projects)
        counts |= build_milestones(projects)
        counts |= build_status_reports(projects)
        counts |= build_employees(projects[0])
    verify_memberships(projects, steering)

    from projects.models import Membership, ProjectUserObjectPermission

    counts["memberships"] = Membership.objects.count()
    counts["object permissions"] = ProjectUserObjectPermission.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO on")
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would have made
    return Dataset(steering=steering, focus=projects[0], projects=projects, counts=counts)


# --- Measuring ----------------------------------------------------------------------------------


def _p95(samples):
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _get(client, url, content_type):
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith(content_type):
        fail(f"GET {url} answered {response.status_code} {response.get('Content-Type')}")
    return response


def _count_queries(client, url, content_type, show_sql):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        _get(client, url, content_type)
    if show_sql:
        print(f"\n-- {url}: {len(ctx.captured_queries)} queries")
        for q in ctx.captured_queries:
            print(f"[{float(q['time']) * 1000:6.1f} ms] {q['sql']}")
    return len(ctx.captured_queries)


LEADER_MARK = "(leader)"  # pages requested as the focus project's leader


def _selected(name: str, pages: list[str] | None) -> bool:
    """Whether --pages asks for this page (by its URL name, e.g. reports:dashboard)."""
    return not pages or name.split(" ")[0] in pages


def measure_page(client, name, url, *, warmup, runs, show_sql):
    for _ in range(warmup):
        _get(client, url, "text/html")
    # Counted apart from the timed requests, so that capturing does not slow those down.
    queries = _count_queries(client, url, "text/html", show_sql)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = _get(client, url, "text/html")
        times.append(time.perf_counter() - start)
    return {
        "page": name,
        "url": url,
        "queries": queries,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": _p95(times) * 1000,
        "bytes": len(response.content),
        "requests": runs,
    }


def measure_pdf(client, name, url, *, runs, show_sql):
    from pypdf import PdfReader

    _get(client, url, "application/pdf")  # warm-up: WeasyPrint's import and fonts
    queries = _count_queries(client, url, "application/pdf", show_sql)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = _get(client, url, "application/pdf")
        times.append(time.perf_counter() - start)
    return {
        "page": name,
        "url": url,
        "queries": queries,
        "median_s": statistics.median(times),
        "pages": len(PdfReader(io.BytesIO(response.content)).pages),
        "bytes": len(response.content),
        "runs": runs,
    }


def measure_export(client, name, url, *, runs, show_sql):
    """A spreadsheet download, timed like the PDF: seconds and bytes (it has no pages)."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _get(client, url, xlsx)  # warm-up
    queries = _count_queries(client, url, xlsx, show_sql)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = _get(client, url, xlsx)
        times.append(time.perf_counter() - start)
    return {
        "page": name,
        "url": url,
        "queries": queries,
        "median_s": statistics.median(times),
        "pages": None,
        "bytes": len(response.content),
        "runs": runs,
    }


IMPORT_UNITS = (
    "Kode;Navn;Type;Overordnet;Leder\n"
    "100;Helse og omsorg;Sektor;;Kommunalsjef\n"
    "200;Hjemmetjenester;Enhet;100;Enhetsleder\n"
    "300;Økonomi og lønn;;;\n"
)


def measure_import(project, leader, *, runs, show_sql):
    """The CSV import of 2,000 employees (Windows-1252, as the HR systems export), into the
    project's current organization: seconds and queries, each run rolled back (it was a timed
    assertion in tests/test_roles_import.py; speed is measured here)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from roles.imports import import_current_units, import_employees

    codes = ["100", "200", "300"]
    lines = ["Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent;Startdato;Kompetanse"]
    lines += [
        f"{90000 + n};Fornavn{n};Ætternavn{n};{codes[n % 3]};Konsulent;{50 + n % 51};"
        f'01.0{1 + n % 9}.2010;"Norsk;Engelsk"'
        for n in range(2000)
    ]
    text = ("\n".join(lines) + "\n").encode("cp1252")

    def run():
        with transaction.atomic():
            units = SimpleUploadedFile("enheter.csv", IMPORT_UNITS.encode("utf-8"))
            import_current_units(project=project, file=units, by=leader)
            upload = SimpleUploadedFile("ansatte.csv", text)
            start = time.perf_counter()
            created = import_employees(project=project, file=upload, by=leader)
            elapsed = time.perf_counter() - start
            assert len(created) == 2000
            transaction.set_rollback(True)
        return elapsed

    run()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        run()
    if show_sql:
        for query in captured.captured_queries:
            print(query["sql"])
    times = [run() for _ in range(runs)]
    return {
        "page": "roles: import of 2,000 employees (CSV)",
        "url": "roles.imports.import_employees",
        "queries": len(captured.captured_queries),
        "median_s": statistics.median(times),
        "pages": None,
        "bytes": len(text),
        "runs": runs,
    }


def measure(dataset: Dataset, args) -> tuple[list, list]:
    """The pages as the steering user, who sees no personal data (the staffing plan shows counts
    only); the personal-data pages as the project's leader, who has VIEW_PERSONAL_DATA."""
    from django.test import Client
    from django.urls import reverse

    client = Client(raise_request_exception=True)
    client.force_login(dataset.steering)
    leader = Client(raise_request_exception=True)
    leader.force_login(dataset.focus.leader)
    pk = dataset.focus.pk
    html_pages = [
        (client, "projects:list", reverse("projects:list")),
        (client, "reports:dashboard", reverse("reports:dashboard")),
        (client, "reports:mandate", reverse("reports:mandate", args=[pk])),
        (client, "reports:overview", reverse("reports:overview", args=[pk])),
        (client, "milestones:plan", reverse("milestones:plan", args=[pk])),
        (client, "milestones:list", reverse("milestones:list", args=[pk])),
        (client, "milestones:activities", reverse("milestones:activities", args=[pk])),
        (client, "roles:organisation", reverse("roles:organisation", args=[pk])),
        (client, "roles:positions", reverse("roles:positions", args=[pk])),
        (client, "roles:staffing", reverse("roles:staffing", args=[pk])),
        (leader, f"roles:staffing {LEADER_MARK}", reverse("roles:staffing", args=[pk])),
        (leader, f"roles:employees {LEADER_MARK}", reverse("roles:employees", args=[pk])),
        (leader, f"roles:placements {LEADER_MARK}", reverse("roles:placements", args=[pk])),
    ]
    opts = {"warmup": args.warmup, "runs": args.requests, "show_sql": args.sql}
    html = [
        measure_page(c, name, url, **opts)
        for c, name, url in html_pages
        if _selected(name, args.pages)
    ]
    runs = {"runs": args.pdf_runs, "show_sql": args.sql}
    if args.pages:
        # Only the pages asked for: the documents are timed in full runs.
        return html, []
    documents = [
        measure_pdf(
            client, "reports:mandate_pdf", reverse("reports:mandate_pdf", args=[pk]), **runs
        ),
        measure_export(
            leader,
            f"roles:staffing_export {LEADER_MARK}",
            reverse("roles:staffing_export", args=[pk]),
            **runs,
        ),
        measure_import(dataset.projects[-1], dataset.projects[-1].leader, **runs),
    ]
    return html, documents


# --- Report -------------------------------------------------------------------------------------


def _table(headers, rows, aligns):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if a == "<" else str(c).rjust(w)
            for c, w, a in zip(cells, widths, aligns, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+changes" if dirty else "")


def report(args, dataset, timings, html, pdf) -> dict:
    import django
    from django.db import connection

    shape = args.shape if SHAPES[args.shape] == (args.orgs, args.projects) else "custom"
    print()
    print(
        f"Shape:    {shape}: {args.orgs} organisations × {args.projects} projects "
        f"= {args.orgs * args.projects} projects"
    )
    print("Rows:     " + ", ".join(f"{v} {k}" for k, v in dataset.counts.items()))
    print(
        f"Build:    {timings['build_s']:.1f} s data, after {timings['migrate_s']:.1f} s "
        "creating and migrating the database"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0].split()[0]
    print(
        f"Database: PostgreSQL {pg_version}, "
        f"{connection.settings_dict['NAME']}; DEBUG off; Django {django.get_version()}, "
        f"Python {platform.python_version()}; revision {_git_revision()}"
    )
    print(
        f"Pages as the steering user (member of all projects), those marked {LEADER_MARK} as "
        f"the project's leader (sees personal data), project {dataset.focus.pk} "
        f"«{dataset.focus.name}»; {args.warmup} warm-up + {args.requests} timed requests\n"
    )
    print(
        _table(
            ["page", "queries", "median ms", "p95 ms", "bytes"],
            [
                [r["page"], r["queries"], f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}", r["bytes"]]
                for r in html
            ],
            "<>>>>",
        )
    )
    if pdf:
        print()
        print(
            _table(
                ["document", "queries", "median s", "pages", "bytes"],
                [
                    [r["page"], r["queries"], f"{r['median_s']:.2f}", r["pages"] or "–", r["bytes"]]
                    for r in pdf
                ],
                "<>>>>",
            )
        )
        print(f"(PDF and Excel: 1 warm-up + {args.pdf_runs} timed renderings each)")
    return {
        "shape": shape,
        "organisations": args.orgs,
        "projects_per_organisation": args.projects,
        "rows": dataset.counts,
        "build_seconds": round(timings["build_s"], 2),
        "migrate_seconds": round(timings["migrate_s"], 2),
        "postgresql": pg_version,
        "django": django.get_version(),
        "python": platform.python_version(),
        "revision": _git_revision(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": html,
        "documents": pdf,
    }


def main(argv=None) -> None:
    args = parse_args(argv)
    setup_django()
    from django.db import connection

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    print(f"Creating database {connection.settings_dict['TEST']['NAME']} (migrations)…")
    start = time.perf_counter()
    # autoclobber: a database of this name is a leftover from an interrupted run; replace it.
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    timings = {"migrate_s": time.perf_counter() - start}
    try:
        print(f"Building {args.orgs} × {args.projects} projects…")
        start = time.perf_counter()
        dataset = build(args.orgs, args.projects)
        timings["build_s"] = time.perf_counter() - start
        html, pdf = measure(dataset, args)
        figures = report(args, dataset, timings, html, pdf)
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Figures written to {path}")


if __name__ == "__main__":
    main()
