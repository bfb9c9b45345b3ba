"""A decided mandate end to end with a real Celery worker and beat through a real Redis: with a
broker nothing runs at the commit, and beat's sweeps do the work, the documents' sweep storing
the version's PDF and the outbox's sweep sending the leader's notice to an SMTP sink.

Needs PostgreSQL (the worker is another process and must see the test database) and Redis;
CI provides both. On the embedded SQLite default these tests are skipped (tests/worker.py)."""

from pathlib import Path

from django.urls import reverse

from notifications.models import OutgoingMail
from projects import services
from projects.models import MandateVersion
from reports import services as report_services

from .factories import UNCONSULTED, forget_notices
from .worker import mail_env, wait_until


def test_a_decided_mandate_is_stored_and_told_by_beats_sweeps(
    start_worker, smtp_sink, project, owner, leader, settings
):
    forget_notices()  # the owner told of the role when the project was made
    env = mail_env(smtp_sink, beat="documents,outbox")
    worker = start_worker(env, "pdf")
    worker.wait_ready()
    services.update_mandate_fields(
        project=project, values={"background": "Bakgrunn med æøå"}, section="Bakgrunn", by=leader
    )
    version = report_services.decide_mandate(
        project=project, by=owner, no_protocol_reason=UNCONSULTED
    )  # commits: the PDF and the notice wait for beat
    notice = OutgoingMail.objects.get(kind="mandate.decided")
    assert notice.state == "queued" and not MandateVersion.objects.get(pk=version.pk).pdf

    workers = [worker, start_worker(env, "beat", beat=True)]
    wait_until(lambda: MandateVersion.objects.get(pk=version.pk).pdf, workers, "the stored PDF")
    (received,) = smtp_sink.wait_for(1)

    version.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / version.pdf.name
    assert path.read_bytes().startswith(b"%PDF")
    # The worker recorded the write as the owner who decided, not as nobody.
    assert MandateVersion.history.filter(id=version.pk).first().history_user == owner

    assert received.envelope_to == [leader.email]
    assert received.subject == f"Mandatet for {project.code} er besluttet (versjon 1)"
    assert settings.SITE_URL + reverse("reports:mandate", args=[project.pk]) in received.body
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.message_id == received.message["Message-ID"]
