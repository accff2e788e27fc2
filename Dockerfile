# One image for web, worker and beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint's libraries and fonts for the PDF reports (Noto Sans CJK for Chinese); gettext compiles
# the catalogues (docs/i18n.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core fonts-dejavu-extra fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY sms_tracker ./sms_tracker
COPY projects ./projects
COPY gapanalysis ./gapanalysis
COPY documents ./documents
COPY audits ./audits
RUN pip install .
COPY . .
RUN python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore '.venv*' --ignore tests --ignore bench --verbosity 0

RUN useradd --system --uid 1000 sms && mkdir -p /app/media && chown sms /app/media
USER sms
EXPOSE 8000
# Workers, threads and bind address: sms_tracker/gunicorn_conf.py (WEB_CONCURRENCY, GUNICORN_THREADS).
CMD ["gunicorn", "--config", "python:sms_tracker.gunicorn_conf", "sms_tracker.wsgi:application"]
