FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 studybot
WORKDIR /app
COPY pyproject.toml README.md ./
COPY scripts ./scripts
COPY bot ./bot
COPY handlers ./handlers
COPY schedules ./schedules
# Exactly the README's install step: scripts/install.sh creates /app/.venv and installs the package into it.
RUN scripts/install.sh . && chown -R studybot /app
ENV PATH=/app/.venv/bin:$PATH

USER studybot
WORKDIR /home/studybot
ENV PORT=3000 DATABASE_URL=sqlite:////home/studybot/studybot.db
EXPOSE 3000
# In HTTP mode (no SLACK_APP_TOKEN) /healthz answers once the database is reachable.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"3000\")}/healthz', timeout=2)" || exit 1
CMD ["studybot", "serve"]
