import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reorg.settings.local")

app = Celery("reorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
