# The application image: the web process (gunicorn), the Celery worker and
# Celery beat all run from it (compose.yaml). Build: docker compose build
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. Every
# requirement ships a wheel (psycopg2-binary included): no compiler needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image at build time; WhiteNoise serves
# them. (The settings' development defaults suffice for collectstatic.)
RUN python manage.py collectstatic --noinput --verbosity 0

# The processes run as an unprivileged user; report files go to /app/media,
# a volume shared by web and worker.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "mentoring.wsgi"]
