"""Input that once broke a page (issue 13), each answered without a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["a\x00b", "\x00"])
def test_a_nul_character_in_the_employee_search_is_no_error(client, project, leader, value):
    client.force_login(leader)
    response = client.get(reverse("roles:employees", args=[project.pk]), {"sok": value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30, "\x00"])
def test_odd_digits_in_the_access_log_filter_are_no_error(client, project, owner, value):
    client.force_login(owner)
    url = reverse("roles:access_log", args=[project.pk])
    for key in ("ansatt", "bruker"):
        response = client.get(url, {key: value})
        assert response.status_code < 500
