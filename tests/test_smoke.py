from django.urls import reverse


def test_it_shows_the_leader_their_project(client, project, leader):
    client.force_login(leader)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert project.name in response.content.decode()
    for name in [
        "reports:overview",
        "reports:mandate",
        "projects:phases",
        "projects:workstreams",
        "projects:members",
        "reports:changelog",
        "reports:mandate_pdf",
    ]:
        assert client.get(reverse(name, args=[project.pk])).status_code == 200, name
