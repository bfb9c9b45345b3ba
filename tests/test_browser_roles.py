"""The organization and staffing plan in a real browser: HR reads the org charts (SVG with a
nested list behind each), writes a role description, imports employees from CSV (a bad row
first), proposes and decides a placement; a union representative sees counts, not names. Every
page state passes axe-core's WCAG 2.1 A/AA rules."""

import pytest
from playwright.sync_api import Page, expect

from projects.models import Membership

from .browser import assert_accessible, log_in
from .factories import MembershipFactory

pytestmark = pytest.mark.browser

CSV_BAD = "Ansattnummer;Fornavn;Etternavn;Enhet;Stillingsprosent\n301;Åse;Prøvesen;HJT;80\n302;Øystein;Fiktivsen;HJT;120\n"
CSV_GOOD = CSV_BAD.replace(";120", ";100")


def test_hr_works_through_the_staffing_plan(page: Page, project, leader, staff, tmp_path):
    MembershipFactory(project=project, user__username="hr", role=Membership.Role.HR, by=leader)
    log_in(page, "hr")
    page.goto(f"/prosjekter/{project.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role(
        "link", name="Organisasjon"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="Organisasjonen, slik den er og slik den blir")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Fremtidig organisasjon")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Hverdagsmestring").first).to_be_visible()
    assert_accessible(page)

    # The role description, then its PDF.
    sub = page.get_by_role("navigation", name="Organisasjon og bemanning")
    sub.get_by_role("link", name="Stillinger og rollebeskrivelser").click()
    assert_accessible(page)
    page.get_by_role("link", name="Versjon 1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enhetsleder")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # Import employees: a bad row first (nothing imported, the line named), then the good file.
    sub.get_by_role("link", name="Ansatte").click()
    assert_accessible(page)
    page.get_by_role("link", name="Importer fra HR-systemet (CSV)").click()
    bad = tmp_path / "ansatte.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    page.get_by_label("CSV-fil").set_input_files(bad)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("alert")).to_contain_text("Linje 3")
    assert_accessible(page)
    good = tmp_path / "ansatte-rettet.csv"
    good.write_text(CSV_GOOD, encoding="utf-8")
    page.get_by_label("CSV-fil").set_input_files(good)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("2 ansatte er importert.")).to_be_visible()

    # Propose Åse for the unit-head position: she lacks leadership experience, and is warned of.
    page.get_by_role("link", name="Åse Prøvesen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Foreslå innplassering").click()
    page.get_by_label("Stilling", exact=True).select_option(label="Enhetsleder (Hverdagsmestring)")
    page.get_by_label("Grunnlag").select_option(label="Etter søknad")
    page.get_by_role("button", name="Foreslå").click()
    expect(
        page.get_by_text("mangler påkrevd kompetanse for stillingen: Ledererfaring")
    ).to_be_visible()
    assert_accessible(page)

    # Decide it from the placement list, through the consultation gate: not consulted yet, so
    # the decision gives its reason.
    sub.get_by_role("link", name="Innplasseringer").click()
    page.get_by_role("link", name="Beslutt Åse Prøvesen").click()
    expect(
        page.get_by_text("Ingen sak på noen saksliste gjelder innplasseringen ennå.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Begrunnelse for å beslutte uten godkjent protokoll").fill(
        "Drøftet med Fagforbundet i møte 3. mars, før prosjektet tok i bruk reorg."
    )
    page.get_by_role("button", name="Beslutt innplasseringen").click()
    expect(page.get_by_text("Innplasseringen av Åse Prøvesen er besluttet.")).to_be_visible()
    assert_accessible(page)

    sub.get_by_role("link", name="Bemanningsplan").click()
    expect(page.get_by_role("table", name="Status for hver ansatt")).to_contain_text("Åse Prøvesen")
    assert_accessible(page)
    assert staff["head"].placements.get().status == "decided"


@pytest.mark.usefixtures("staff")
def test_a_union_rep_sees_the_plan_in_counts(page: Page, project, leader):
    MembershipFactory(
        project=project,
        user__username="tillitsvalgt",
        role=Membership.Role.UNION_REP,
        union_name="Fagforbundet",
        by=leader,
    )
    log_in(page, "tillitsvalgt")
    page.goto(f"/prosjekter/{project.pk}/bemanning/")
    expect(page.get_by_text("Du ser antall, ikke navn")).to_be_visible()
    expect(page.get_by_role("link", name="Ansatte")).to_have_count(0)
    assert "Fiktiv" not in page.content()
    assert_accessible(page)
    # (Through the context's request API, with the same login: a 404 page load would be logged
    # as a console error.)
    response = page.request.get(f"/prosjekter/{project.pk}/bemanning/ansatte/")
    assert response.status == 404
