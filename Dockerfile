# Sportello for production: slim, non-root, static files collected at build time (served by WhiteNoise).
#   docker build -t sportello .        then see deploy/compose.yaml and docs/deploy.md
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPORTELLO_ENV=production SPORTELLO_VAR_DIR=/var/lib/sportello STATIC_ROOT=/app/static \
    MEDIA_ROOT=/var/lib/sportello/media

# xmlsec1 signs and verifies SPID/CIE SAML messages.
RUN apt-get update && apt-get install -y --no-install-recommends xmlsec1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sportello

WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY src ./src
RUN pip install '.[s3,redis]' && rm -rf /root/.cache

# Build-time only values: production settings refuse to load without them; nothing here reaches runtime.
RUN SECRET_KEY=build-only-build-only-build-only-build-only ALLOWED_HOSTS=build EMAIL_URL=dummy:// \
    SPID_SP_IPA_CODE=build SPID_SP_CONTACT_EMAIL=build@example.org SPORTELLO_VAR_DIR=/tmp/build \
    sh -c "python manage.py compile_translations && python manage.py collectstatic --noinput -v0" \
    && rm -rf /tmp/build \
    && mkdir -p /var/lib/sportello/media && chown -R sportello:sportello /var/lib/sportello

USER sportello
EXPOSE 8000
# Web node by default; the same image runs the workers (db_worker) and the scheduler (see deploy/compose.yaml).
CMD ["gunicorn", "sportello.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "2", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
