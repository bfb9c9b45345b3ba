"""Demo meetings with the employees' representatives and the questions log (`manage.py
load_demo`), from the seeds:

- Helse og mestring (seed 004): the consultation with the unions ("Forslaget ble drøftet med
  fagforeningene i møte 6. juli"), with the employer's agenda "Arbeidsgiver ønsker å drøfte" and
  its four items, each with what has been done and what is to be done now. Items 1–3 end in
  agreement; on item 4 the parties disagree and each writes its own protocol entry. The meeting is
  held, the protocol sent for approval and confirmed by every side present, so it is approved and
  kept as a PDF. A second meeting, about recruiting the unit heads, is planned for a time to come
  and not yet called. Place, times, conclusions and protocol entries are made up for the demo.
- Åmot (seed 001, section 5.3): "Alle relevante spørsmål som kommer enkeltvis fra prosjektets
  arbeidsstrømmer samles, og besvares til alle arbeidsstrømmer": questions from the workstreams,
  most answered by the project leader (and so published to every workstream), one still open.
  The questions and answers are made up, in line with the mandate and the milestone table.

Every write goes through consultations.services, so history records who did it: the leader, who
runs the meetings and answers the questions, except for protocol entries and confirmations, made
by their authors. A project's part is built only when it has no meetings or questions yet: a
rerun leaves edits made in the app alone.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from consultations import services
from consultations.models import AgendaItem, Meeting, Question, Side
from roles.models import OrgUnit, Placement, RoleDescription

from .documents import pdf_upload, xlsx_upload

OSLO = ZoneInfo("Europe/Oslo")
Outcome = AgendaItem.Outcome

# --- Seed 004: Helse og mestring, Vestvågøy ------------------------------------------------------

# (username, side): the invited. The union representative's union is their membership's.
HELSE_PARTICIPANTS = [
    ("leder", Side.EMPLOYER),
    ("eier", Side.EMPLOYER),
    ("hr", Side.EMPLOYER),
    ("tillitsvalgt", Side.UNION),
    ("verneombud", Side.SAFETY),
]

HELSE_MEETING = {
    "kind": Meeting.Kind.CONSULTATION,
    "title": "Drøftingsmøte om overordnet organisering av sektor Helse og mestring",
    "starts_at": datetime(2022, 7, 6, 10, 0, tzinfo=OSLO),
    "ends_at": datetime(2022, 7, 6, 12, 0, tzinfo=OSLO),
    "place": "Rådhuset, formannskapssalen",
}

ITEM_1_DONE = """\
- Prosess med ansatte og ledere fra januar 2021 til juni 2022, med involvering gjennom \
workshops, spørreundersøkelse, egen nettside mv.
- Sak om framtidens omsorgstjeneste, med rapport fra WSP og forslag om samling av \
langtidsplasser i institusjon, vedtatt i kommunestyret 21. juni 2022.
- Konkludert om overordnet organisasjonskart i samling med enhetslederne (styringsgruppa) på \
Ballstad 28. juni 2022.
- Drøftet med hovedtillitsvalgte i drøftingsmøte 6. juli 2022.
- Besluttet i kommunedirektørens ledergruppe i juli 2022."""

ITEM_1_NEXT = """\
- Utarbeide informasjonsmateriell til bruk på enhetene/avdelingene. Fokus på hvorfor vi gjør \
dette, hva vi skal gjøre, hvordan vi gjør det.
- Oppdatere nettsidene løpende, både egen side om organiseringsprosessen og informasjon for \
øvrig om sektoren. Oppdatere med nye navn på enhetene."""

ITEM_2_DONE = "- Overordnet organisasjonskart er vedtatt."

ITEM_2_NEXT = """\
- Utarbeide overordnet organisasjonsplan for sektoren, med utfordringer, mål og strategier for \
sektoren, oppgaver, enheter med funksjoner og formål, og stillingsbeskrivelser for enhetsledere \
samt rådgivere i stab.
- Ut fra dette skal det utarbeides egne organisasjonsplaner for hver av de 8 enhetene, som \
utdyper funksjoner og formål for enheten (med et klart brukerfokus), og har \
stillingsbeskrivelser for ansatte på enheten."""

ITEM_3_DONE = (
    "Overordnet organisasjonskart er vedtatt. Arbeidsgrupper har utdypet mulig organisering for "
    "noen av enhetene."
)

# One paragraph per unit, in the seed's order.
ITEM_3_NEXT = "\n\n".join(
    [
        "Enhet Forskning, utvikling og innovasjon: avklare intern organisering, tilsette "
        "enhetsleder.",
        "Enhet Institusjon: etablere prosjektgruppe for flytting, avklare intern organisering, "
        "tilsette enhetsleder.",
        "Enhet NAV: har gjennomført ny organisering i forbindelse med vertskommunesamarbeid.",
        "Enhet Hverdagsmestring: etablere arbeidsgruppe for implementering av teambasert "
        "tjeneste, utarbeide bestilling for lokaler til samlokalisert enhet, starte opp team "
        "(kreft/palliasjon, demens, innsatsteam/forsterket helsehjelp).",
        "Enhet Miljøtjenester: iverksette intern organisering, avklaringer enhetsleder.",
        "Enhet Bo- og aktivitetssenter: intern organisering er avklart, tilsette enhetsleder.",
        "Enhet Allmennlegetjenester: avklare intern organisering, avklaringer enhetsleder, "
        "politisk sak med oppfølging av strategiplanen.",
        "Enhet Rehabilitering: etablere arbeidsgruppe for utredning av felles enhet, avklaringer "
        "personell.",
    ]
)

ITEM_4_DONE = "- Konstituert kommunalsjef er i gang med samtaler med alle berørte enhetsledere."

ITEM_4_NEXT = """\
- Sette opp kompetansekrav for hver enkelt av enhetslederstillingene. Gjøre vurdering av hvem \
som kan ha rettskrav på stillingen.
- Skal både ivareta hensyn til berørte ledere, hensyn til tjenesten (innbygger- og \
brukerperspektiv) og behov akkurat nå på den aktuelle enheten (fokus på drift, fokus på endring, \
fokus på utvikling osv.).
- Følge opp med samtaler med hver enkelt, og drøftinger med fagforeningene."""

# The links each item gets: "sector" is the future sector unit, "units" its eight units,
# "heads" the unit heads' role descriptions; milestones by code.
HELSE_ITEMS: list[dict[str, Any]] = [
    {
        "title": "Videre forankring av beslutning om overordnet organisasjonskart for sektoren",
        "done": ITEM_1_DONE,
        "next_steps": ITEM_1_NEXT,
        "outcome": Outcome.AGREED,
        "conclusion": "Partene er enige om at den overordnede organiseringen av sektoren er "
        "forankret. Arbeidsgiver utarbeider informasjonsmateriell til enhetene og oppdaterer "
        "nettsidene med de nye navnene på enhetene.",
        "links": {"units": "sector", "milestones": ["M3", "B1"]},
    },
    {
        "title": "Utarbeidelse av overordnet organisasjonsplan for sektoren",
        "done": ITEM_2_DONE,
        "next_steps": ITEM_2_NEXT,
        "outcome": Outcome.AGREED,
        "conclusion": "Partene er enige om at arbeidsgiver utarbeider en overordnet "
        "organisasjonsplan for sektoren og deretter organisasjonsplaner for hver av de åtte "
        "enhetene. Tillitsvalgte og verneombud involveres i arbeidet.",
        "links": {"units": "sector"},
    },
    {
        "title": "Videre prosess med intern organisering på den enkelte enhet",
        "done": ITEM_3_DONE,
        "next_steps": ITEM_3_NEXT,
        "outcome": Outcome.AGREED,
        "conclusion": "Partene er enige om den videre prosessen på den enkelte enhet slik den er "
        "beskrevet. Tillitsvalgte og verneombud deltar i prosjekt- og arbeidsgruppene på "
        "enhetene.",
        "links": {"units": "units"},
    },
    {
        "title": "Videre prosesser med personellmessige avklaringer",
        "done": ITEM_4_DONE,
        "next_steps": ITEM_4_NEXT,
        "outcome": Outcome.DISAGREED,
        "conclusion": "Partene er uenige om hvordan kompetansekravene for "
        "enhetslederstillingene skal behandles før utlysning. Se protokolltilførslene.",
        "links": {"units": "units", "role_descriptions": "heads"},
    },
]

# (item number, author, text): each party's own statement on the item they disagree on.
HELSE_ENTRIES = [
    (
        4,
        "tillitsvalgt",
        "Fagforbundet ber om at kompetansekravene for hver enkelt enhetslederstilling, og "
        "vurderingen av hvem som kan ha rettskrav på stillingen, drøftes med fagforeningene før "
        "stillingene lyses ut. Fagforbundet er uenig i at stillingene lyses ut før dette er "
        "drøftet.",
    ),
    (
        4,
        "leder",
        "Arbeidsgiver setter opp kompetansekravene for enhetslederstillingene og vurderer hvem "
        "som kan ha rettskrav på stillingene, ut fra hensynet til berørte ledere, til tjenesten "
        "og til behovet på den enkelte enhet. Kompetansekravene sendes fagforeningene til "
        "orientering før utlysning. Berørte ledere følges opp i samtaler med hver enkelt, og "
        "tilsettingene drøftes med fagforeningene på vanlig måte.",
    ),
]

# Who confirms the protocol for each side present.
HELSE_CONFIRMERS = ["leder", "tillitsvalgt", "verneombud"]

# The consultation on the unit heads' placements, held before the project used reorg and recorded
# afterwards: its protocol is out for approval, confirmed by the employer's side, waiting for the
# union and safety representatives.
HELSE_PLACEMENT_MEETING = {
    "kind": Meeting.Kind.CONSULTATION,
    "title": "Drøftingsmøte om innplassering av enhetsledere",
    "starts_at": datetime(2022, 10, 4, 9, 0, tzinfo=OSLO),
    "ends_at": datetime(2022, 10, 4, 10, 30, tzinfo=OSLO),
    "place": "Rådhuset, møterom 2",
}
HELSE_PLACEMENT_ITEM = {
    "title": "Innplassering av enhetsledere i ny organisering",
    "done": "HR har holdt kartleggingssamtaler med alle berørte ledere, og forslag til "
    "innplassering i enhetslederstillingene er sendt til de tillitsvalgte.",
    "next_steps": "Kommunedirektøren beslutter innplasseringene etter drøftingen. Ledere som ikke "
    "innplasseres direkte, får tilbud om omstillingssamtale.",
    "outcome": AgendaItem.Outcome.AGREED,
    "conclusion": "Partene er enige om forslagene til innplassering.",
}

HELSE_PLANNED_MEETING = {
    "kind": Meeting.Kind.INFORMATION,
    "title": "Informasjonsmøte om tilsetting av enhetsledere i Helse og mestring",
    "starts_at": datetime(2027, 1, 14, 13, 0, tzinfo=OSLO),
    "ends_at": datetime(2027, 1, 14, 14, 30, tzinfo=OSLO),
    "place": "Rådhuset, møterom 2",
}

HELSE_PLANNED_ITEMS: list[dict[str, Any]] = [
    {
        "title": "Kompetansekrav for enhetslederstillingene",
        "done": "- Kompetansekrav er satt opp i rollebeskrivelsen for hver av de åtte "
        "enhetslederstillingene.",
        "next_steps": "- Arbeidsgiver orienterer om kompetansekravene og om vurderingen av hvem "
        "som kan ha rettskrav på stillingene.",
        "links": {"units": "units", "role_descriptions": "heads"},
    },
    {
        "title": "Tidsplan for utlysning og tilsetting",
        "done": "",
        "next_steps": "- Arbeidsgiver orienterer om tidsplanen for utlysning, intervjuer og "
        "tilsetting av enhetslederne, og om hvordan berørte ledere følges opp.",
        "links": {"units": "units"},
    },
]

# --- Seed 001: Åmot kommune, the questions log of section 5.3 -----------------------------------

# (workstream number, asked by, asked on, question, answer or "" for one still open)
AMOT_QUESTIONS = [
    (
        1,
        "medlem",
        date(2013, 5, 15),
        "Beholder rektorene personalansvaret i alternativ 2, der skolene og barnehagene samles "
        "under en kommunalsjef for oppvekst?",
        "Ja. I alternativ 2 beholder rektorer og styrere personal-, budsjett- og fagansvaret for "
        "sin skole eller barnehage. Kommunalsjefen for oppvekst får personalansvaret for "
        "rektorene og styrerne, ikke for de ansatte på den enkelte skole eller barnehage.",
    ),
    (
        2,
        "medlem",
        date(2013, 5, 22),
        "Når får de ansatte vite hvilken enhet de hører til?",
        "Organisasjons- og bemanningsplanen drøftes med de tillitsvalgte 17. juni og besluttes "
        "av rådmannen 19. juni (M11 og M12). Innplasseringen i ny organisasjon starter 24. juni "
        "(M13), og alle ansatte får skriftlig beskjed om hvilken enhet de hører til, før den nye "
        "organisasjonen er operativ 19. august (M14). Ansatte som ikke blir direkte innplassert, "
        "får omstillingssamtale innen samme dato (M15).",
    ),
    (
        3,
        "medlem",
        date(2013, 5, 29),
        "Blir brann- og redningstjenesten berørt allerede i fase 1 hvis alternativet med "
        "interkommunalt brannsamarbeid velges?",
        "Nei. I fase 1 blir brann en egen avdeling i enheten for samfunnsutvikling. Et "
        "interkommunalt brannsamarbeid skal først utredes, og en eventuell beslutning tas i "
        "fase 2. Ingen i brann- og redningstjenesten får nytt arbeidssted eller ny arbeidsgiver "
        "i fase 1.",
    ),
    (
        4,
        "medlem",
        date(2013, 6, 5),
        "Skal ansatte i økonomi, personal og IKT ha kartleggingssamtale selv om oppgavene deres "
        "ikke endres?",
        "Ja. Alle berørte ansatte får kartleggingssamtale innen 17. juni (M8). Samtalen er også "
        "stedet å fortelle om ønsker og kompetanse som arbeidsgiver ikke kjenner til. "
        "Kompetansekartleggingen brukes i innplasseringen.",
    ),
    (
        4,
        "leder",
        date(2013, 6, 12),
        "Skal planavdelingen og kontrollsekretariatet inngå i en samlet stab for "
        "virksomhetsstøtte, eller beholde dagens plassering også i fase 2?",
        "",
    ),
]


# --- Builders ------------------------------------------------------------------------------------


def _helse_links(project) -> dict:
    """What the items may be linked to, as far as the project has it (demo.staffing builds it)."""
    future = project.org_units.filter(structure=OrgUnit.Structure.FUTURE)
    return {
        "sector": list(future.filter(kind=OrgUnit.Kind.SECTOR, parent=None)),
        "units": list(future.filter(kind=OrgUnit.Kind.UNIT).order_by("order", "pk")),
        "heads": list(
            RoleDescription.objects.filter(
                position__project=project, position__title__startswith="Enhetsleder"
            ).order_by("position__code")
        ),
    }


def _item_links(spec, available, milestones) -> dict:
    links = {name: available[key] for name, key in spec["links"].items() if name != "milestones"}
    codes = spec["links"].get("milestones", [])
    links["milestones"] = [milestones[code] for code in codes if code in milestones]
    return {name: objects for name, objects in links.items() if objects}


def _meeting(project, spec, users, leader, *, held_before) -> Meeting:
    return services.save_meeting(
        meeting=Meeting(project=project, **spec),
        participants=[
            _participant(project, users[name], side) for name, side in HELSE_PARTICIPANTS
        ],
        by=leader,
        held_before=held_before,
    )


def _participant(project, user, side) -> dict:
    membership = project.memberships.filter(user=user).exclude(union_name="").first()
    union_name = membership.union_name if side == Side.UNION and membership else ""
    return {"user": user, "side": side, "union_name": union_name}


def _build_helse(project, users) -> None:
    leader = users["leder"]
    available = _helse_links(project)
    milestones = {m.code: m for m in project.milestones.all()}

    meeting = _meeting(project, HELSE_MEETING, users, leader, held_before=True)
    items = []
    for order, spec in enumerate(HELSE_ITEMS, start=1):
        item = AgendaItem(
            meeting=meeting,
            order=order,
            title=spec["title"],
            done=spec["done"],
            next_steps=spec["next_steps"],
        )
        items.append(
            services.save_item(item=item, links=_item_links(spec, available, milestones), by=leader)
        )
    # The meeting: everyone came. The milestones on the agenda were recorded by the plan.
    services.mark_held(
        meeting=meeting,
        present_user_ids=[users[name].pk for name, _side in HELSE_PARTICIPANTS],
        by=leader,
    )
    for item, spec in zip(items, HELSE_ITEMS, strict=True):
        item.outcome, item.conclusion = spec["outcome"], spec["conclusion"]
        services.save_item(item=item, by=leader)
    for number, author, text in HELSE_ENTRIES:
        services.add_entry(item=items[number - 1], text=text, by=users[author])
    services.send_for_approval(meeting=meeting, by=leader)
    for name in HELSE_CONFIRMERS:
        services.confirm(meeting=meeting, by=users[name])

    _placement_meeting(project, users, leader)

    planned = _meeting(project, HELSE_PLANNED_MEETING, users, leader, held_before=False)
    for order, spec in enumerate(HELSE_PLANNED_ITEMS, start=1):
        item = AgendaItem(
            meeting=planned,
            order=order,
            title=spec["title"],
            done=spec["done"],
            next_steps=spec["next_steps"],
        )
        planned_item = services.save_item(
            item=item, links=_item_links(spec, available, milestones), by=leader
        )
        if order == 1:
            # The draft the representatives are to read before the meeting.
            services.add_attachment(
                project=project,
                item=planned_item,
                title="Utkast: kompetansekrav for enhetslederne",
                file=pdf_upload(
                    "utkast-kompetansekrav-enhetsledere.pdf",
                    "Utkast: kompetansekrav for enhetslederne",
                    [
                        "Felles for alle åtte enhetslederstillingene:",
                        "- Relevant høyere utdanning innen helse- eller sosialfag",
                        "- Ledererfaring, gjerne fra helse- og omsorgstjenester",
                        "- Gode kommunikasjons- og samarbeidsevner",
                    ],
                ),
                by=leader,
            )
    services.add_attachment(
        project=project,
        meeting=planned,
        title="Tidsplan for utlysning og tilsetting",
        file=xlsx_upload(
            "tidsplan-tilsetting.xlsx",
            [
                ("Trinn", "Fra", "Til"),
                ("Utlysning", "uke 10", "uke 12"),
                ("Intervjuer", "uke 14", "uke 15"),
                ("Tilsetting", "uke 16", "uke 16"),
            ],
        ),
        by=leader,
    )


def _placement_meeting(project, users, leader) -> None:
    meeting = _meeting(project, HELSE_PLACEMENT_MEETING, users, leader, held_before=True)
    spec = HELSE_PLACEMENT_ITEM
    heads = Placement.objects.filter(
        employee__project=project, position__title__startswith="Enhetsleder"
    )
    item = services.save_item(
        item=AgendaItem(
            meeting=meeting, order=1, title=spec["title"], done=spec["done"],
            next_steps=spec["next_steps"],
        ),
        links={"placements": list(heads)},
        by=leader,
    )  # fmt: skip
    services.mark_held(
        meeting=meeting,
        present_user_ids=[users[name].pk for name, _side in HELSE_PARTICIPANTS],
        by=leader,
    )
    item.outcome, item.conclusion = spec["outcome"], spec["conclusion"]
    services.save_item(item=item, by=leader)
    services.send_for_approval(meeting=meeting, by=leader)
    services.confirm(meeting=meeting, by=leader)


def _build_amot(project, users) -> None:
    services.add_attachment(
        project=project,
        title="Kommunal planstrategi 2013–2015, utdrag",
        file=pdf_upload(
            "planstrategi-2013-2015-utdrag.pdf",
            "Kommunal planstrategi 2013–2015, utdrag",
            [
                "Pkt. 4.3: Organisasjonsutvikling i administrasjonen.",
                "Kommunen skal gjennomgå ressursbruk, kvalitet og effektivitet",
                "i administrasjonen, i samarbeid med de tillitsvalgte.",
            ],
        ),
        by=users["leder"],
    )
    workstreams = list(project.workstreams.order_by("order", "pk"))
    for number, asker, asked_on, text, answer in AMOT_QUESTIONS:
        question = services.ask(
            question=Question(
                project=project,
                workstream=workstreams[number - 1] if number <= len(workstreams) else None,
                asked_on=asked_on,
                text=text,
            ),
            by=users[asker],
        )
        if answer:
            # Answered within a week of the question, in 2013.
            answered_at = datetime.combine(asked_on + timedelta(days=5), time(14, 0), tzinfo=OSLO)
            services.answer(
                question=question, text=answer, by=users["leder"], answered_at=answered_at
            )


def build_consultations(project, users, admin) -> bool:
    """Add the project's demo meetings and questions if it has none yet. Returns whether
    anything was added. The leader does the work, so `admin` is not used."""
    if project.meetings.exists() or project.questions.exists():
        return False
    if project.code == "HELSE-MESTRING":
        _build_helse(project, users)
    elif project.code == "AMOT-ADM":
        _build_amot(project, users)
    else:
        return False
    return True
