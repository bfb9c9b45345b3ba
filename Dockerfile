FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=reorg.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only-$(python -c 'print("x"*60)') python manage.py collectstatic --no-input
RUN useradd --system --home /app reorg && mkdir -p /app/media /app/attachments && chown reorg /app/media /app/attachments
USER reorg
EXPOSE 8000
# A worker that has rendered PDFs holds WeasyPrint, its fonts and a fragmented heap (about 140 MB
# against 100 MB for pages only, bench/README.md): each worker is replaced after 1,000 requests
# (jittered, so that they do not restart together) as a safety net against slow growth.
CMD ["gunicorn", "reorg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]
