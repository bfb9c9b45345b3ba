"""The API's pages in a real browser: the leader makes a token on the profile page, copies it
once, and revokes it; the documentation is readable without logging in. Both pass axe-core and
reflow at 320 px; the documentation runs under the site's Content Security Policy."""

import pytest
from playwright.sync_api import Page, expect

from api import tokens
from api.models import ApiToken

from .browser import assert_accessible, assert_reflows, log_in

pytestmark = pytest.mark.browser


def test_the_leader_makes_a_token_and_revokes_it(page: Page, project, leader):
    log_in(page, leader.username)
    page.get_by_role("link", name="min profil").click()
    page.get_by_role("link", name="Mine API-nøkler").click()
    expect(page.get_by_role("heading", level=1, name="Mine API-nøkler")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_label("Navn").fill("Power BI")
    page.get_by_label("Lese").check()
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.get_by_text("Kopier den nå: den vises bare denne ene gangen.")).to_be_visible()
    plain = page.get_by_label("Ny nøkkel").input_value()
    assert tokens.authenticate(plain).user == leader
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_role("button", name="Trekk tilbake Power BI").click()
    expect(page.get_by_text("Nøkkelen «Power BI» er trukket tilbake.")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert tokens.authenticate(plain) is None


def test_the_documentation_is_readable_without_logging_in(page: Page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", level=1, name="API-dokumentasjon")).to_be_visible()
    expect(
        page.get_by_role("heading", name="PATCH /api/v1/projects/{project_pk}/milestones/{id}/")
    ).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    assert violations == []
