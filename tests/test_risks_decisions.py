"""The risk register with its 5×5 matrix, and the decision requests to the steering group."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import Membership, Risk
from reports import services as report_services
from reports.models import DecisionRequest

from .factories import DecisionRequestFactory, RiskFactory, UserFactory
from .test_queries import REQUEST  # what every page costs

Role = Membership.Role


def test_the_register_places_each_open_risk_in_the_matrix(client, project, leader, steering):
    # 20: high
    RiskFactory(
        project=project, title="Nøkkelpersoner slutter", probability=4, consequence=5, by=leader
    )
    # 6: medium
    RiskFactory(project=project, title="Forsinket vedtak", probability=2, consequence=3, by=leader)
    RiskFactory(
        project=project,
        title="Lokalene blir ikke klare",
        probability=1,
        consequence=2,
        status="closed",
        by=leader,
    )
    client.force_login(steering)
    response = client.get(reverse("projects:risks", args=[project.pk]))
    body = response.content.decode()
    # Sorted by score: R1 is the high one; the closed risk is in the register, not the matrix.
    assert body.index("Nøkkelpersoner slutter") < body.index("Forsinket vedtak")
    assert '<abbr title="Nøkkelpersoner slutter">R1</abbr>' in body
    assert '<abbr title="Forsinket vedtak">R2</abbr>' in body
    assert '<abbr title="Lokalene blir ikke klare">' not in body
    assert "20 – " in body and "Høy" in body
    assert "Ny risiko" not in body  # steering reads


def test_bad_risks_are_refused_in_norwegian_and_change_nothing(
    client, project, leader, other_organisation
):
    client.force_login(leader)
    stranger = UserFactory(organisations=[other_organisation])
    before = Risk.objects.count(), Risk.history.count()
    response = client.post(
        reverse("projects:risks", args=[project.pk]),
        {
            "ny-title": "Uten skala",
            "ny-probability": "6",
            "ny-consequence": "0",
            "ny-status": "open",
        },
    )
    assert response.content.decode().count("Velg et gyldig valg") >= 2
    response = client.post(
        reverse("projects:risks", args=[project.pk]),
        {
            "ny-title": "Feil eier",
            "ny-probability": "2",
            "ny-consequence": "2",
            "ny-status": "open",
            "ny-owner": stranger.pk,
        },
    )
    assert "Velg et gyldig valg" in response.content.decode()
    assert (Risk.objects.count(), Risk.history.count()) == before


def test_only_owner_and_leader_keep_the_register(client, project, leader, steering, outsider):
    risk = RiskFactory(project=project, by=leader)
    client.force_login(steering)
    assert (
        client.post(reverse("projects:risks", args=[project.pk]), {"ny-title": "X"}).status_code
        == 403
    )
    assert client.get(reverse("projects:risk_edit", args=[project.pk, risk.pk])).status_code == 403
    assert (
        client.post(reverse("projects:risk_delete", args=[project.pk, risk.pk])).status_code == 403
    )
    client.force_login(outsider)
    assert client.get(reverse("projects:risks", args=[project.pk])).status_code == 404
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert risk.history.first().history_user == leader


def test_a_decision_request_is_decided_once(client, project, leader, owner, steering):
    client.force_login(leader)
    client.post(
        reverse("reports:decisions", args=[project.pk]),
        {
            "ny-title": "Ny organisering av oppvekst",
            "ny-question": "vedta alternativ 2: kommunalsjef for oppvekst",
            "ny-basis": "Arbeidsstrøm 1 anbefaler alternativ 2.",
            "ny-deadline": "2026-06-18",
        },
    )
    item = DecisionRequest.objects.get()
    assert item.created_by == leader and item.outcome == "pending"

    client.force_login(steering)  # the steering group reads, the leader records
    url = reverse("reports:decision_record", args=[project.pk, item.pk])
    assert client.post(url, {f"d{item.pk}-outcome": "decided"}).status_code == 403
    assert (
        "Ny organisering av oppvekst"
        in client.get(reverse("reports:decisions", args=[project.pk])).content.decode()
    )

    client.force_login(owner)
    client.post(url, {f"d{item.pk}-outcome": "deferred", f"d{item.pk}-decided_on": "2026-06-18"})
    item.refresh_from_db()
    assert (item.outcome, item.decided_on) == ("deferred", dt.date(2026, 6, 18))
    client.post(
        url, {f"d{item.pk}-outcome": "decided", f"d{item.pk}-decision": "Alternativ 2 vedtatt."}
    )
    item.refresh_from_db()
    assert item.outcome == "decided" and item.decision == "Alternativ 2 vedtatt."

    before = DecisionRequest.history.count()
    response = client.post(url, {f"d{item.pk}-outcome": "rejected"}, follow=True)
    assert "Saken er allerede avgjort." in response.content.decode()
    with pytest.raises(Exception, match="kan ikke endres"):
        item.title = "Omskrevet"
        report_services.save_decision_request(request=item, by=leader)
    assert DecisionRequest.history.count() == before


def test_a_decision_dated_in_the_future_is_refused(project, leader):
    item = DecisionRequestFactory(project=project, title="Sak", question="vedta", by=leader)
    with pytest.raises(Exception, match="fram i tid"):
        report_services.record_decision(
            request=item, outcome="decided", decision="", on=dt.date(2999, 1, 1), by=leader
        )
    item.refresh_from_db()
    assert item.outcome == "pending"


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("n", [3, 60])
def test_risk_and_decision_pages_make_the_same_number_of_queries_at_any_size(
    client, project, leader, django_assert_num_queries, n
):
    for i in range(n):
        RiskFactory(
            project=project,
            title=f"Risiko {i}",
            probability=1 + i % 5,
            consequence=1 + (i // 5) % 5,
            owner=leader,
            by=leader,
        )
        DecisionRequestFactory(project=project, title=f"Sak {i}", question="vedta", by=leader)
    client.force_login(leader)
    # every page's (REQUEST) + project, permissions, the risks (+owner), and the form's people
    with django_assert_num_queries(REQUEST + 2 + 1 + 1):
        assert client.get(reverse("projects:risks", args=[project.pk])).status_code == 200
    # + project, permissions, the requests (+who laid them out), the agenda items they were
    # consulted in (+meeting), and the form's agenda items to choose from
    with django_assert_num_queries(REQUEST + 2 + 1 + 1 + 1):
        assert client.get(reverse("reports:decisions", args=[project.pk])).status_code == 200
