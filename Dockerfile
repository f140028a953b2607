# Production image: applies pending migrations, then serves with gunicorn.
# PostgreSQL and Redis are separate services (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    GUNICORN_BIND=0.0.0.0:5000 VAR_DIR=/var/lib/atelier
WORKDIR /app
COPY requirements.txt .
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir -r requirements.txt \
    && useradd --system --create-home atelier \
    && mkdir -p /var/lib/atelier && chown atelier /var/lib/atelier
COPY . .
USER atelier
EXPOSE 5000
CMD ["sh", "-c", "python manage.py init-db && python manage.py init-data && exec gunicorn -c gunicorn.conf.py wsgi:app"]
