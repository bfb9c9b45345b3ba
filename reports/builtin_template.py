"""The template every organisation has: "OU-prosjekt etter Hovedavtalen".

A snapshot in the shape of reports.reuse.project_snapshot (dates as days from the start), written
by hand: the five phases of a reorganisation, the standard sequence inform → consult → decide →
place → follow up, and the milestone table of the Åmot mandate (seed 001, section 5.2) made
general, each step naming the consultation it needs: information and consultation with the union
representatives (Hovedavtalen § 1-3 and § 1-4, del B) and the safety representatives
(arbeidsmiljøloven kapittel 8 and § 7-2). The offsets follow Åmot's: a mandate after six weeks,
the decision on the new organisation after about eleven, the new organisation operative after
twenty."""

from typing import Any

BUILTIN_KEY = "standard"
BUILTIN_NAME = "OU-prosjekt etter Hovedavtalen"
BUILTIN_DESCRIPTION = (
    "Faser, milepæler og beslutningspunkter for en omorganisering: informere, drøfte, "
    "beslutte, innplassere og følge opp, med drøftingspunktene Hovedavtalen og "
    "arbeidsmiljøloven krever. Følger med reorg."
)

INFORM = (
    "Informasjon: tillitsvalgte og verneombud informeres så tidlig som mulig "
    "(Hovedavtalen § 1-4 nr. 1, arbeidsmiljøloven § 8-1)."
)
CONSULT = (
    "Drøfting: drøftes med tillitsvalgte og verneombud før beslutning, med protokoll "
    "(Hovedavtalen § 1-4 nr. 2, del B; arbeidsmiljøloven § 8-1)."
)

SNAPSHOT: dict[str, Any] = {
    "project": {
        "owner_title": "Kommunedirektør",
        "background": (
            "[Hvorfor omorganiseringen trengs: hva planstrategien, økonomien eller "
            "tjenestene krever, og hva som er prøvd før.]\n\n"
            "En endring av organisasjonen berører ledere, ansatte og til sist innbyggerne. "
            "Prosessen skal derfor involvere de berørte og sikre medvirkning på alle nivå, "
            "med tillitsvalgte og verneombud fra start (Hovedavtalen del B)."
        ),
        "purpose": (
            "[Hensikten med prosjektet, i to–tre setninger.]\n\n"
            "Hovedaktivitetene:\n"
            "- Beskrive nåsituasjonen innenfor hver arbeidsstrøm\n"
            "- Beskrive fremtidig situasjon innenfor hver arbeidsstrøm\n"
            "- Tiltak for overgangen mellom nåsituasjon og fremtidig situasjon\n"
            "- Definere kompetansebehov og gjennomføre kompetansekartlegging\n"
            "- Lage forslag til organisasjons- og bemanningsplan med rollebeskrivelser\n"
            "- Drøftes med de tillitsvalgte\n"
            "- Organisasjons- og bemanningsplanen med rollebeskrivelser besluttes\n"
            "- Ansatte innplasseres i ny organisasjon"
        ),
        "constraints": (
            "Hovedavtalen del B og arbeidsmiljøloven kapittel 8 gjelder: tillitsvalgte og "
            "verneombud informeres og drøfter før beslutninger som berører de ansatte.\n"
            "Ansatte innplasseres etter prosedyren for innplassering, som drøftes før den "
            "tas i bruk. Ved eventuell overtallighet gjelder kommunens vedtatte retningslinjer "
            "for nedbemanning.\n"
            "[Økonomiske rammer, frister og politiske vedtak prosjektet må forholde seg til.]"
        ),
        "obligations": (
            "[Hva linjen stiller med: ledere og ansatte i arbeidsstrømmene, HR til "
            "kartleggingssamtaler og innplassering, tid til tillitsvalgte og verneombud.]"
        ),
        "quality_requirements": (
            "Beslutningsgrunnlag drøftes før de besluttes, og protokollene godkjennes. "
            "[Andre krav til kvalitet.]"
        ),
        "report_interval_days": 21,
        "last_delivery": 147,
    },
    "goals": [
        {
            "kind": "result",
            "order": 1,
            "text": "Ny organisasjons- og bemanningsplan med rollebeskrivelser er drøftet og "
            "besluttet",
        },
        {
            "kind": "result",
            "order": 2,
            "text": "Alle berørte ansatte er innplassert i ny organisasjon etter prosedyren "
            "for innplassering",
        },
        {
            "kind": "effect",
            "order": 1,
            "text": "[Hva organisasjonen skal oppnå: for eksempel tydeligere skille mellom "
            "strategi og drift]",
        },
    ],
    "benefits": [],
    "phases": [
        {
            "key": 1,
            "order": 1,
            "name": "Forberedelse og mandat",
            "goal": "Prosjektet er etablert, tillitsvalgte og verneombud er informert, og "
            "mandatet er drøftet og besluttet.",
            "start": 0,
            "end": 42,
            "criteria": [
                "Tillitsvalgte og verneombud er informert om prosjektet og tatt med i prosjektgruppen",
                "Mandatet er drøftet med tillitsvalgte (Hovedavtalen § 1-4), og protokollen er godkjent",
                "Mandatet er besluttet av prosjekteier",
            ],
        },
        {
            "key": 2,
            "order": 2,
            "name": "Utredning",
            "goal": "Nåsituasjon og fremtidig situasjon er beskrevet, og forslag til "
            "organisasjons- og bemanningsplan med rollebeskrivelser og prosedyre for "
            "innplassering er drøftet.",
            "start": 43,
            "end": 77,
            "criteria": [
                "Nåsituasjonen og den fremtidige organiseringen er beskrevet",
                "Forslag til organisasjons- og bemanningsplan er drøftet med tillitsvalgte",
                "Rollebeskrivelsene og prosedyren for innplassering er drøftet",
            ],
        },
        {
            "key": 3,
            "order": 3,
            "name": "Beslutning",
            "goal": "Ny organisering er besluttet på grunnlag av en godkjent protokoll fra "
            "drøftingen.",
            "start": 78,
            "end": 79,
            "criteria": [
                "Ny organisering er besluttet på grunnlag av en godkjent drøftingsprotokoll",
                "Beslutningen er kunngjort for de ansatte",
            ],
        },
        {
            "key": 4,
            "order": 4,
            "name": "Innplassering og gjennomføring",
            "goal": "Ansatte er innplassert, omstillingssamtaler er holdt, og den nye "
            "organisasjonen er i drift.",
            "start": 80,
            "end": 147,
            "criteria": [
                "Alle ansatte har fått tilbud om stilling eller har hatt omstillingssamtale",
                "Innplasseringene er drøftet og besluttet",
                "Den nye organisasjonen er i drift",
            ],
        },
        {
            "key": 5,
            "order": 5,
            "name": "Oppfølging og evaluering",
            "goal": "Den nye organiseringen er evaluert sammen med tillitsvalgte og "
            "verneombud, og gevinstene følges opp i linjen.",
            "start": 148,
            "end": 330,
            "criteria": [
                "Den nye organiseringen er evaluert sammen med tillitsvalgte og verneombud",
                "Sluttrapporten er publisert, og gevinstene har eier i linjen",
            ],
        },
    ],
    "workstreams": [],
    "risks": [
        {
            "title": "Beslutning før drøftingen har godkjent protokoll",
            "description": "Et beslutningspunkt kommer før drøftingsmøtet er holdt og "
            "protokollen godkjent.",
            "probability": 3,
            "consequence": 4,
            "mitigation": "Sett drøftingsmøtene inn i fremdriftsplanen før hvert "
            "beslutningspunkt, og send sakspapirene i god tid.",
        },
        {
            "title": "Usikkerhet blant ansatte",
            "description": "Ansatte vet ikke hva endringen betyr for dem.",
            "probability": 4,
            "consequence": 3,
            "mitigation": "Informer jevnlig, også når det ikke er noe nytt; svar på "
            "spørsmål i spørsmålsloggen.",
        },
    ],
    "milestones": [
        {
            "code": "M1",
            "title": "Prosjektet etablert",
            "criterion": "Prosjekteier, prosjektleder, styringsgruppe og arbeidsstrømmer er "
            "satt, med tillitsvalgte og verneombud i styringsgruppen.",
            "kind": "milestone",
            "due": 11,
            "phase": 1,
            "depends_on": [],
        },
        {
            "code": "M2",
            "title": "Tillitsvalgte og verneombud orientert",
            "criterion": "Tillitsvalgte og verneombud er orientert om prosjektet og utkastet "
            "til mandat. " + INFORM,
            "kind": "milestone",
            "due": 32,
            "phase": 1,
            "depends_on": ["M1"],
        },
        {
            "code": "M3",
            "title": "Mandatet drøftet",
            "criterion": "Utkastet til mandat er drøftet i drøftingsmøte, og protokollen er "
            "godkjent. " + CONSULT,
            "kind": "milestone",
            "due": 40,
            "phase": 1,
            "depends_on": ["M2"],
        },
        {
            "code": "B1",
            "title": "Mandat besluttet",
            "criterion": "Prosjekteieren beslutter mandatet. Krever drøftingen i M3.",
            "kind": "decision_point",
            "due": 42,
            "phase": 1,
            "depends_on": ["M3"],
        },
        {
            "code": "M4",
            "title": "Nåsituasjon og fremtidig situasjon beskrevet",
            "criterion": "Arbeidsstrømmene har beskrevet nåværende og fremtidige "
            "arbeidsprosesser og løsningsforslag med 0-alternativ. Medvirkning: ansatte i "
            "enhetene og verneombud er involvert.",
            "kind": "milestone",
            "due": 63,
            "phase": 2,
            "depends_on": ["B1"],
        },
        {
            "code": "M5",
            "title": "Rollebeskrivelser",
            "criterion": "Utarbeidet mal for organisasjons- og bemanningsplan, samt "
            "rollebeskrivelser for den enkelte stilling. Drøftes med organisasjons- og "
            "bemanningsplanen i M8.",
            "kind": "milestone",
            "due": 70,
            "phase": 2,
            "depends_on": ["M4"],
        },
        {
            "code": "M6",
            "title": "Kartleggingssamtaler",
            "criterion": "Gjennomført kartleggingssamtaler med alle berørte ansatte. "
            "Tillitsvalgte er informert om opplegget for samtalene på forhånd.",
            "kind": "milestone",
            "due": 77,
            "phase": 2,
            "depends_on": ["M5"],
        },
        {
            "code": "M7",
            "title": "Organisasjons- og bemanningsplan og prosedyre for innplassering",
            "criterion": "Utarbeidet forslag til organisasjons- og bemanningsplan og "
            "prosedyre for innplassering av ansatte. Drøftes i M8.",
            "kind": "milestone",
            "due": 77,
            "phase": 2,
            "depends_on": ["M5"],
        },
        {
            "code": "M8",
            "title": "Drøftet",
            "criterion": "Drøftet ny organisasjons- og bemanningsplan og prosedyre for "
            "innplassering, protokollen godkjent. " + CONSULT,
            "kind": "milestone",
            "due": 77,
            "phase": 2,
            "depends_on": ["M6", "M7"],
        },
        {
            "code": "B2",
            "title": "Ny organisering besluttet",
            "criterion": "Prosjekteieren beslutter ny organisasjons- og bemanningsplan og "
            "prosedyre for innplassering. Krever godkjent protokoll fra drøftingen i M8.",
            "kind": "decision_point",
            "due": 79,
            "phase": 3,
            "depends_on": ["M8"],
        },
        {
            "code": "M9",
            "title": "Innplassering",
            "criterion": "Ansatte er innplassert i ny organisasjon etter prosedyren for "
            "innplassering. Innplasseringene drøftes med tillitsvalgte før de besluttes "
            "(Hovedavtalen § 1-4 nr. 2).",
            "kind": "milestone",
            "due": 84,
            "phase": 4,
            "depends_on": ["B2"],
        },
        {
            "code": "M10",
            "title": "Omstillingssamtaler",
            "criterion": "Omstillingssamtale med ansatte som ikke er direkte innplassert; "
            "tillitsvalgt kan delta om den ansatte ønsker det.",
            "kind": "milestone",
            "due": 140,
            "phase": 4,
            "depends_on": ["M9"],
        },
        {
            "code": "M11",
            "title": "Operativ",
            "criterion": "Ny organisasjon operativ. Ansatte og verneombud er informert om "
            "endringene i arbeidsmiljøet (arbeidsmiljøloven § 4-2).",
            "kind": "milestone",
            "due": 140,
            "phase": 4,
            "depends_on": ["M9"],
        },
        {
            "code": "B3",
            "title": "Ny organisering iverksatt",
            "criterion": "Prosjekteieren bekrefter at ny organisering er iverksatt, etter "
            "drøfting av status med tillitsvalgte og verneombud i styringsgruppen.",
            "kind": "decision_point",
            "due": 140,
            "phase": 4,
            "depends_on": ["M11"],
        },
        {
            "code": "M12",
            "title": "Ved eventuell overtallighet",
            "criterion": "Kommunens vedtatte retningslinjer for nedbemanning benyttes ved "
            "eventuell overtallighet; drøftes med tillitsvalgte før beslutning. " + CONSULT,
            "kind": "milestone",
            "due": 147,
            "phase": 4,
            "depends_on": ["M10"],
        },
        {
            "code": "M13",
            "title": "Evaluering",
            "criterion": "Den nye organiseringen er evaluert; evalueringen er drøftet med "
            "tillitsvalgte og verneombud, og gevinstene er målt første gang.",
            "kind": "milestone",
            "due": 330,
            "phase": 5,
            "depends_on": ["B3"],
        },
    ],
    "activities": [
        {
            "title": "Kalle inn tillitsvalgte og verneombud til informasjonsmøte",
            "due": 25,
            "milestone": "M2",
        },
        {
            "title": "Sende utkast til mandat til tillitsvalgte og verneombud før drøftingsmøtet",
            "due": 33,
            "milestone": "M3",
        },
        {
            "title": "Sende forslag til organisasjons- og bemanningsplan og prosedyre for "
            "innplassering før drøftingsmøtet",
            "due": 70,
            "milestone": "M8",
        },
        {
            "title": "Få protokollen fra drøftingsmøtet godkjent",
            "due": 78,
            "milestone": "M8",
        },
        {
            "title": "Informere alle ansatte om beslutningen",
            "due": 80,
            "milestone": "B2",
        },
    ],
    "units": [],
    "positions": [],
}
