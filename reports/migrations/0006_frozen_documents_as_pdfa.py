"""Frozen documents are PDF/A-2b from now on (core.pdf.ARCHIVAL_VARIANT). Those stored before
are plain PDFs: forget the stored file, so that beat's documents sweep
(reports.tasks.store_frozen_documents) renders each again from its frozen content as PDF/A-2b.
A frozen document's PDF shows nothing of when it was rendered, so the new file says the same.
The old files stay in the storage; no history record is written (a rendering is not a change)."""

from django.db import migrations


def forget_stored_pdfs(apps, schema_editor):
    for app, model in (
        ("projects", "MandateVersion"),
        ("consultations", "Protocol"),
        ("reports", "StatusReport"),
    ):
        apps.get_model(app, model).objects.exclude(pdf="").update(pdf="")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_project_templates"),
        ("projects", "0010_input_limits"),
        ("consultations", "0004_attachments"),
    ]

    operations = [migrations.RunPython(forget_stored_pdfs, migrations.RunPython.noop)]
