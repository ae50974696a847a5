# Two stages: the builder installs the locked dependencies and the bot into /app/.venv; the runtime image
# copies only that venv, owned by root and read-only to the `studybot` user that runs it.
FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY scripts ./scripts
COPY bot ./bot
COPY handlers ./handlers
COPY schedules ./schedules
# Exactly the README's install step, from the hash-checked lock; a copy of the code, not a link to /app.
RUN STUDYBOT_EDITABLE=0 scripts/install.sh .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH
RUN useradd --create-home --uid 10001 studybot && mkdir /data && chown studybot /data
# Owned by root, mode 755/644 (pip under umask 022): studybot can read and run the code, never change it.
COPY --from=build --chown=root:root /app/.venv /app/.venv
USER studybot
WORKDIR /data
# SQLite lives on the /data volume; with PostgreSQL (compose.yaml) set DATABASE_URL instead.
VOLUME ["/data"]
ENV PORT=3000 DATABASE_URL=sqlite:////data/studybot.db
EXPOSE 3000
# /healthz is served on PORT in HTTP and in Socket Mode: database, Socket Mode connection, scheduler.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"3000\")}/healthz', timeout=2)" || exit 1
# studybot serve exits within 10 s of SIGTERM (docker stop's default grace period).
STOPSIGNAL SIGTERM
CMD ["studybot", "serve"]
