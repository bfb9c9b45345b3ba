"""Benefits realisation and lessons learned in the demo: Åmot's benefits get owners in the line,
a plan of when they are measured and a couple of measurements; the project has its first lessons
learned. Through the services, as the people who would do it."""

from datetime import date

from projects import services
from projects.models import BenefitMeasurement, Lesson

# Who owns which of Åmot's benefits (by the title the mandate gives the owner), and the plan:
# measured every six months from September 2013 to September 2015.
AMOT_OWNERS = {"Rådmann": "eier", "Personalsjef": "hr", "Økonomisjef": "styring"}
MEASURE_FROM, EVERY_MONTHS, MEASURE_UNTIL = date(2013, 9, 2), 6, date(2015, 9, 1)
# (benefit order, measured on, value, comment, by)
MEASUREMENTS = [
    (1, date(2013, 9, 2), "11", "Færre faste ledermøter etter sammenslåingen", "eier"),
    (1, date(2014, 3, 3), "9,5", "Ledermøtene har fast strategidel", "eier"),
    (4, date(2013, 9, 2), "35", "", "hr"),
    (4, date(2014, 3, 3), "60", "Rollebeskrivelser for enhetslederne ferdige", "hr"),
    (6, date(2013, 9, 2), "3,5", "Foreløpig regnskap per 2. tertial", "styring"),
]
LESSONS = [
    (Lesson.Category.CONSULTATION, "Ta med hovedtillitsvalgte og hovedverneombud fra første "
     "arbeidsmøte, ikke først når organisasjonskartet er tegnet. Det sparte oss for en runde.",
     "leder"),
    (Lesson.Category.SCHEDULE, "Seks uker fra mandat til ny organisasjonsplan var for kort. "
     "Sett av tid til drøfting mellom hvert trinn.", "leder"),
    (Lesson.Category.COMMUNICATION, "Ansatte ville vite om de ble berørt før detaljene var "
     "klare. Informer tidlig om prosessen, selv om svaret ennå ikke finnes.", "hr"),
]  # fmt: skip


def build_benefits(project, users, admin) -> bool:
    """Owners, plans and measurements for Åmot's benefits, and its lessons, if none are set."""
    if project.code != "AMOT-ADM" or project.benefits.filter(owner_user__isnull=False).exists():
        return False
    leader = users["leder"]
    for benefit in project.benefits.order_by("order"):
        username = AMOT_OWNERS.get(benefit.owner)
        if username:
            services.set_benefit_plan(
                benefit=benefit,
                owner_user=users[username],
                measure_from=MEASURE_FROM,
                measure_every_months=EVERY_MONTHS,
                measure_until=MEASURE_UNTIL,
                by=leader,
            )
    benefits = {b.order: b for b in project.benefits.all()}
    for order, measured_on, value, comment, by in MEASUREMENTS:
        services.record_benefit_measurement(
            measurement=BenefitMeasurement(
                benefit=benefits[order], measured_on=measured_on, value=value, comment=comment
            ),
            by=users[by],
        )
    for category, text, by in LESSONS:
        services.add_lesson(project=project, category=category, text=text, by=users[by])
    return True
