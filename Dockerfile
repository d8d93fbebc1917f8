# One image for every process of the console: web (ASGI), worker, beat and hubsim differ by command only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dashboard ./dashboard
COPY endpoints_app ./endpoints_app
COPY billing ./billing
COPY playground_app ./playground_app
COPY hubsim ./hubsim
COPY templates ./templates
COPY static ./static
COPY manage.py ./
RUN pip install . \
    && DJANGO_ENV=production SECRET_KEY=build-only TOKEN_ENCRYPTION_KEY=build-only ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput \
    && useradd --create-home console \
    && mkdir -p /app/var/media && chown -R console /app/var

USER console
EXPOSE 8000
CMD ["uvicorn", "dashboard.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--timeout-graceful-shutdown", "30"]
