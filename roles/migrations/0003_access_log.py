"""The access log becomes one row per response that showed personal data, with the employees it
showed (many), the search, the purpose and the address; the old rows keep what they said (a
view of one record, or the staffing plan's export). Employees get their erasure's time."""

from django.db import migrations, models


def copy_old_rows(apps, schema_editor):
    PersonalDataAccess = apps.get_model("roles", "PersonalDataAccess")
    for row in PersonalDataAccess.objects.all():
        row.purpose = "export" if row.action == "export" else "record"
        row.save(update_fields=["purpose"])
        if row.employee_id:
            row.employees.add(row.employee_id)


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_placement_consultation"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaldataaccess",
            name="purpose",
            field=models.CharField(default="record", max_length=20, verbose_name="formål"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="employees",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="roles.employee", verbose_name="ansatte"
            ),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="query",
            field=models.CharField(blank=True, max_length=200, verbose_name="søk"),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="path",
            field=models.CharField(blank=True, max_length=300, verbose_name="adresse"),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="note",
            field=models.CharField(blank=True, max_length=500, verbose_name="merknad"),
        ),
        migrations.RunPython(copy_old_rows, migrations.RunPython.noop),
        migrations.RemoveField(model_name="personaldataaccess", name="employee"),
        migrations.RemoveField(model_name="personaldataaccess", name="action"),
        migrations.AddField(
            model_name="employee",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="anonymisert"),
        ),
        migrations.AddField(
            model_name="historicalemployee",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="anonymisert"),
        ),
        migrations.AlterModelOptions(
            name='personaldataaccess',
            options={'ordering': ['-at', '-pk'], 'verbose_name': 'innsyn i personopplysninger', 'verbose_name_plural': 'innsyn i personopplysninger'},
        ),
        migrations.AlterField(
            model_name='personaldataaccess',
            name='employees',
            field=models.ManyToManyField(blank=True, related_name='accesses', to='roles.employee', verbose_name='ansatte'),
        ),
        migrations.AlterField(
            model_name='personaldataaccess',
            name='purpose',
            field=models.CharField(choices=[('list', 'Ansattlisten'), ('search', 'Søk blant ansatte'), ('record', 'En ansatts side'), ('edit', 'Registrering og endring'), ('interview', 'Kartleggingssamtale'), ('placements', 'Innplasseringer'), ('staffing', 'Bemanningsplanen med navn'), ('meeting', 'Sak om innplasseringer i et møte'), ('decision', 'Beslutning om innplassering'), ('export', 'Eksport av bemanningsplanen'), ('import', 'Import av ansatte'), ('access_request', 'Innsyn for den ansatte (personvernforordningen art. 15)'), ('erasure', 'Sletting (anonymisering)'), ('insight', 'Innsyn gitt eller trukket'), ('api', 'API')], max_length=20, verbose_name='formål'),
        ),
        migrations.AddIndex(
            model_name='personaldataaccess',
            index=models.Index(fields=['project', '-at'], name='access_log_by_project'),
        ),
    ]
