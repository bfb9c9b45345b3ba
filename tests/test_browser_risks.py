"""The risk register and the decision requests in a real browser, with axe-core on each state."""

import pytest
from playwright.sync_api import Page, expect

from .browser import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_the_leader_keeps_the_risk_register_and_the_decision_requests(page: Page, project, leader):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role("link", name="Risiko").click()
    expect(page.get_by_role("heading", level=1, name="Risikoregister")).to_be_visible()
    assert_accessible(page)

    new = page.get_by_role("region", name="Ny risiko")
    new.get_by_role("button", name="Legg til risiko").click()  # nothing filled in
    expect(page.get_by_text("Feltet er påkrevet.").first).to_be_visible()
    assert_accessible(page)
    new = page.get_by_role("region", name="Ny risiko")
    new.get_by_role("textbox", name="Risiko").fill("Nøkkelpersoner slutter underveis")
    new.get_by_label("Sannsynlighet").select_option("4")
    new.get_by_label("Konsekvens").select_option("5")
    new.get_by_role("button", name="Legg til risiko").click()
    expect(
        page.get_by_text("Risikoen «Nøkkelpersoner slutter underveis» er lagt til.")
    ).to_be_visible()
    matrix = page.get_by_role(
        "table", name="Risikomatrise: konsekvens nedover, sannsynlighet bortover"
    )
    expect(matrix.get_by_role("row", name="5").get_by_text("R1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Prosjektmeny").get_by_role(
        "link", name="Beslutninger"
    ).click()
    assert_accessible(page)
    new = page.get_by_role("region", name="Ny beslutningssak")
    new.get_by_role("textbox", name="Sak").fill("Ny organisering av oppvekst")
    new.get_by_role("textbox", name="Styringsgruppen bes om å").fill("vedta alternativ 2")
    new.get_by_role("button", name="Legg fram for styringsgruppen").click()
    expect(page.get_by_text("Saken er lagt fram for styringsgruppen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Utfall").select_option(label="Vedtatt")
    page.get_by_role("button", name="Registrer vedtaket").click()
    expect(page.get_by_text("Vedtaket er registrert.")).to_be_visible()
    expect(page.get_by_role("region", name="Avgjort")).to_contain_text(
        "Ny organisering av oppvekst"
    )
    assert_accessible(page)
