"""The product in a real browser: the project leader logs in, writes the mandate section by
section (htmx swaps each section in place), downloads it as PDF, and every page passes axe-core's
WCAG 2.1 A/AA rules. Runs the system's Chromium through Playwright against pytest-django's live
server; the marker lets a run leave these out (-m "not browser")."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from projects.models import Goal

from .browser import (
    assert_accessible,
    log_in,
    wait_for_htmx,
)
from .factories import PASSWORD

pytestmark = pytest.mark.browser

BACKGROUND = (
    "Åmot kommune har for mange ledernivåer, og innbyggerne møter ulike dører.\n"
    "\n"
    "Vi ønsker én felles tjenesteenhet for oppvekst og færre særløsninger."
)
RESULT_GOALS = [
    "Beskrive nåsituasjonen for økonomi og lønn",
    "Kartlegge kompetansebehov i tjenestene",
    "Foreslå ny organisering med færre ledernivåer",
]


def project_menu(page: Page):
    return page.get_by_role("navigation", name="Prosjektmeny")


def edit_section(page: Page, slug: str, title: str):
    """Click "Rediger" on a mandate section and wait for htmx to swap its form in."""
    section = page.locator(f"section#{slug}")
    section.get_by_role("link", name=f"Rediger {title.lower()}").click()
    expect(section.get_by_role("button", name="Lagre")).to_be_visible()
    wait_for_htmx(page)
    return section


def test_the_leader_writes_the_mandate_and_downloads_it(page: Page, live_server, project, leader):
    # Logging in through the real form.
    page.goto("/accounts/login/")
    expect(page).to_have_title("Logg inn – reorg")
    assert_accessible(page)
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()

    # The front page, and from it the project list.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Prosjekter").click()
    expect(page.get_by_role("heading", level=1, name="Prosjekter")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=project.name)
    expect(row).to_contain_text("Åmot kommune")
    assert_accessible(page)

    # The project's overview.
    row.get_by_role("link", name=project.name).click()
    expect(page).to_have_url(f"{live_server.url}/prosjekter/{project.pk}/")
    expect(page.get_by_role("heading", level=1, name="Oversikt")).to_be_visible()
    expect(project_menu(page).get_by_role("link", name="Oversikt")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    # The mandate.
    project_menu(page).get_by_role("link", name="Mandat").click()
    mandate_url = f"{live_server.url}/prosjekter/{project.pk}/mandat/"
    expect(page).to_have_url(mandate_url)
    expect(page.get_by_role("heading", level=1, name="Prosjektmandat")).to_be_visible()
    background = page.locator("section#bakgrunn")
    expect(background).to_contain_text("Ikke skrevet ennå.")
    assert_accessible(page)

    # Edit "Bakgrunn" in place: htmx swaps the form in, and the saved section back, with no
    # page load in between (the marker on window would not survive one).
    page.evaluate("window.__noReload = true")
    edit_section(page, "bakgrunn", "Bakgrunn")
    textarea = background.get_by_role("textbox", name="Bakgrunn")
    expect(textarea).to_be_visible()
    assert_accessible(page)
    textarea.fill(BACKGROUND)
    background.get_by_role("button", name="Lagre").click()

    expect(background.get_by_role("status")).to_have_text("Lagret.")
    expect(background.get_by_role("textbox")).to_have_count(0)
    expect(background.locator(".prose p")).to_have_text(
        [
            "Åmot kommune har for mange ledernivåer, og innbyggerne møter ulike dører.",
            "Vi ønsker én felles tjenesteenhet for oppvekst og færre særløsninger.",
        ]
    )
    assert page.evaluate("window.__noReload") is True, "saving the section reloaded the page"
    expect(page).to_have_url(mandate_url)
    assert_accessible(page)
    project.refresh_from_db()
    assert project.background == BACKGROUND

    # Still there after a reload, and the "saved" note is gone.
    page.reload()
    expect(background).to_contain_text("Vi ønsker én felles tjenesteenhet for oppvekst")
    expect(background.get_by_role("status")).to_have_count(0)
    assert_accessible(page)

    # The PDF of the draft.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Last ned som PDF")).click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_result_goals_are_written_one_per_line_and_shown_as_an_ordered_list(
    page: Page, live_server, project, leader
):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/mandat/")
    goals = page.locator("section#resultatmal")
    expect(goals).to_contain_text("Ingen mål er skrevet ennå.")

    edit_section(page, "resultatmal", "Resultatmål")
    textarea = goals.get_by_role("textbox", name="Mål")
    expect(textarea).to_have_accessible_description("Ett mål per linje, i prioritert rekkefølge.")
    assert_accessible(page)
    # A blank line and stray spaces are not goals.
    textarea.fill("\n".join([RESULT_GOALS[0], "", f"  {RESULT_GOALS[1]}  ", RESULT_GOALS[2], ""]))
    goals.get_by_role("button", name="Lagre").click()

    expect(goals.get_by_role("status")).to_have_text("Lagret.")
    expect(goals.locator("ol > li")).to_have_text(RESULT_GOALS)
    assert_accessible(page)
    assert (
        list(
            project.goals.filter(kind=Goal.Kind.RESULT)
            .order_by("order")
            .values_list("text", flat=True)
        )
        == RESULT_GOALS
    )

    # Editing again starts from the saved goals, one per line.
    edit_section(page, "resultatmal", "Resultatmål")
    expect(goals.get_by_role("textbox", name="Mål")).to_have_value("\n".join(RESULT_GOALS))
    goals.get_by_role("link", name="Avbryt").click()
    expect(goals.locator("ol > li")).to_have_count(3)
    expect(goals.get_by_role("status")).to_have_count(0)

    page.reload()
    expect(goals.locator("ol > li")).to_have_text(RESULT_GOALS)


def test_a_section_is_edited_in_place_with_the_keyboard(page: Page, live_server, project, leader):
    """After each htmx swap focus stays in the swapped section, never on <body>: in the form's
    field when it opens, on the section's heading when it is saved or cancelled."""
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/mandat/")
    section = page.locator("section#hensikt")
    heading = section.get_by_role("heading", level=2, name="Hensikt og kort beskrivelse")

    section.get_by_role("link", name="Rediger hensikt og kort beskrivelse").focus()
    page.keyboard.press("Enter")
    textarea = section.get_by_role("textbox", name="Hensikt og kort beskrivelse")
    expect(textarea).to_be_focused()
    wait_for_htmx(page)
    page.keyboard.type("Færre ledernivåer og én dør inn for innbyggerne.")
    page.keyboard.press("Tab")
    expect(section.get_by_role("button", name="Lagre")).to_be_focused()
    page.keyboard.press("Enter")

    expect(section.get_by_role("status")).to_have_text("Lagret.")
    expect(section).to_contain_text("Færre ledernivåer og én dør inn for innbyggerne.")
    expect(heading).to_be_focused()
    wait_for_htmx(page)
    page.keyboard.press("Tab")
    edit = section.get_by_role("link", name="Rediger hensikt og kort beskrivelse")
    expect(edit).to_be_focused()

    # Cancelling puts focus back on the heading too, and changes nothing.
    page.keyboard.press("Enter")
    expect(section.get_by_role("textbox")).to_be_focused()
    wait_for_htmx(page)
    section.get_by_role("link", name="Avbryt").focus()
    page.keyboard.press("Enter")
    expect(edit).to_be_visible()
    expect(heading).to_be_focused()
    wait_for_htmx(page)
    expect(section).to_contain_text("Færre ledernivåer og én dør inn for innbyggerne.")


def test_the_project_pages_are_accessible(page: Page, live_server, project, leader, steering):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/mandat/")
    edit_section(page, "bakgrunn", "Bakgrunn")
    page.locator("section#bakgrunn").get_by_role("textbox").fill("Færre ledernivåer.")
    page.locator("section#bakgrunn").get_by_role("button", name="Lagre").click()
    expect(page.locator("section#bakgrunn").get_by_role("status")).to_have_text("Lagret.")

    pages = [
        ("Faser", "Faser"),
        ("Arbeidsstrømmer", "Arbeidsstrømmer"),
        ("Medlemmer", "Medlemmer og roller"),
        ("Endringslogg", "Endringslogg"),
    ]
    for link, heading in pages:
        project_menu(page).get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        expect(project_menu(page).get_by_role("link", name=link, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)

    # The change log names who changed the background.
    entry = page.get_by_role("row").filter(has_text="Bakgrunn")
    expect(entry).to_contain_text(str(leader))

    # The form for starting a new project, reached from the project list.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Prosjekter").click()
    page.get_by_role("link", name="Nytt prosjekt").click()
    expect(page.get_by_role("heading", level=1, name="Nytt prosjekt")).to_be_visible()
    assert_accessible(page)


def test_the_login_form_works_with_the_keyboard(page: Page, live_server, leader):
    page.goto("/accounts/login/")
    username = page.get_by_label("Brukernavn")
    password = page.get_by_label("Passord", exact=True)
    expect(username).to_be_focused()  # autofocus

    # From the top of the document, the first Tab stop is the skip link, shown while focused.
    page.evaluate(
        "() => { document.documentElement.tabIndex = -1; document.documentElement.focus(); }"
    )
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    box = skip_link.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, "the focused skip link is not visible"

    # Following it moves focus to the main content; the next Tab stop is the user name field.
    page.keyboard.press("Enter")
    expect(page.locator("main#innhold")).to_be_focused()
    page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("leder")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Logg inn")).to_be_focused()

    # Back to the password field, and Enter submits the form.
    page.keyboard.press("Shift+Tab")
    expect(password).to_be_focused()
    page.keyboard.press("Enter")
    # (The browser keeps the #innhold fragment across the redirect.)
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/(#innhold)?$"))
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()


def test_a_phase_ending_before_it_starts_is_refused_in_norwegian(
    page: Page, live_server, project, leader
):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/faser/")
    expect(page.get_by_role("heading", level=1, name="Faser")).to_be_visible()
    assert_accessible(page)

    form = page.locator("form").filter(has=page.get_by_role("button", name="Legg til fase"))
    form.get_by_label("Navn").fill("Kartlegging")
    form.get_by_label("Start").fill("2026-03-01")
    form.get_by_label("Slutt").fill("2026-02-01")
    form.get_by_role("button", name="Legg til fase").click()

    end = page.get_by_label("Slutt")
    expect(page.get_by_text("Slutt kan ikke være før start.")).to_be_visible()
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_have_accessible_description("Slutt kan ikke være før start.")
    expect(page.get_by_label("Navn")).to_have_value("Kartlegging")
    expect(page.get_by_text("Ingen faser ennå.")).to_be_visible()
    assert_accessible(page)
    assert not project.phases.exists()
