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
RUN useradd --system --home /app reorg && mkdir -p /app/media && chown reorg /app/media
USER reorg
EXPOSE 8000
CMD ["gunicorn", "reorg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
