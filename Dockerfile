# Niš city networks assistant: the Telegram bot and the web chat in a slim, non-root container.
#
#   docker build -t nis-networks-bot .
#   docker run -d --name nis-bot -e TELEGRAM_BOT_TOKEN=… -e WEB_PORT=8080 -p 8080:8080 \
#     -v ./knowledge:/app/knowledge -v ./intents:/app/intents -v nis-bot-data:/data nis-networks-bot
#
# knowledge/ and intents/ are copied in, and a mounted folder replaces them: staff edit
# the files on the host and the running bot reloads them. /data keeps the database: the
# inbox, the conversation memory, unanswered questions and votes. Settings: see the
# README's table (all are environment variables).

# --- build stage: the dependencies, in a virtual environment copied into the image below
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock ./
# Exactly the versions in the lock, each checked against its hash: two images built a week apart are the same,
# and a broken release upstream cannot reach a deploy. ./tools/lock refreshes it from pyproject.toml.
RUN python -m venv /venv \
    && /venv/bin/pip install --require-hashes --requirement requirements.lock

# --- runtime stage
FROM python:3.11-slim-bookworm
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOT_DATA_DIR=/data \
    BOT_STATUS_FILE=/tmp/bot-status.json \
    WEB_HOST=0.0.0.0 \
    LOG_FORMAT=json
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir /data && chown bot /data
COPY --from=build /venv /venv
WORKDIR /app
COPY bot/ bot/
COPY knowledge/ knowledge/
COPY intents/ intents/
USER 10001
VOLUME ["/data"]
# 8443: Telegram's webhook (WEBHOOK_URL set); 8080: the web chat, its API, /staff and /healthz (WEB_PORT=8080).
EXPOSE 8443 8080
# docker stop sends SIGTERM and kills 10 s later; the bot exits within 5 s, leaving what it has not
# answered in /data's inbox for the next start.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "-m", "bot", "healthcheck"]
CMD ["python", "-m", "bot", "run"]
