# Power-tuning worker image.
#   docker build -t power-tuning-worker .
#   docker run --rm -e TEMPORAL_ADDRESS=host:7233 -e AWS_REGION=eu-west-1 power-tuning-worker
#
# Debian (glibc) base on purpose: the Temporal core bridge ships no musl/Alpine binaries.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so source edits do not reinstall them. tsx (which runs the TypeScript sources)
# is a runtime dependency, so the dev tools (typescript, eslint, prettier) can be left out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only the folders the worker loads at run time (no tests, caches or local artifacts).
COPY tsconfig.json ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY codec ./codec
COPY client ./client
COPY connection ./connection
COPY emulator ./emulator

USER node

# Connection settings come from the standard variables (see connection/temporal-settings.ts):
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_TASK_QUEUE.
# AWS credentials come from the usual AWS SDK chain (env variables, a mounted ~/.aws with AWS_PROFILE,
# or the task/instance role).
ENV TEMPORAL_ADDRESS=localhost:7233 \
    TEMPORAL_NAMESPACE=default \
    TEMPORAL_TASK_QUEUE=power-tuning

# Run node directly (not through npm) so SIGTERM reaches the worker and it can shut down gracefully.
CMD ["node", "--import", "tsx", "worker/main.ts"]
