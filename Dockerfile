# Power-tuning worker image: the worker compiled to JavaScript (tsc, tsconfig.build.json), run by
# Node directly, as a non-root user. The powertune CLI is in it too: node dist/client/cli/main.js.
#   docker build -t power-tuning-worker .
#   docker run --rm -e TEMPORAL_ADDRESS=host:7233 -e AWS_REGION=eu-west-1 power-tuning-worker
#
# Debian (glibc) base on purpose: the Temporal core bridge ships no musl/Alpine binaries. Node 22 is
# the LTS the CI runs the tests on (.ci/run); test/cluster/compose-versions.test.ts keeps them equal.

FROM node:22.23.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY codec ./codec
COPY connection ./connection
COPY infra ./infra
# The powertune CLI, compiled too (node dist/client/cli/main.js), and what its commands import.
COPY client ./client
COPY emulator ./emulator
RUN npx tsc -p tsconfig.build.json

FROM node:22.23.5-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Only the compiled output: the worker bundles its workflows from dist/workflows at start-up.
COPY --from=build /app/dist ./dist

USER node

# Connection settings come from the standard variables (see connection/temporal-settings.ts):
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_TASK_QUEUE.
# AWS credentials come from the usual AWS SDK chain (env variables, a mounted ~/.aws with AWS_PROFILE,
# or the task/instance role).
ENV TEMPORAL_ADDRESS=localhost:7233 \
    TEMPORAL_NAMESPACE=default \
    TEMPORAL_TASK_QUEUE=power-tuning
# Read when the process starts, so set here (worker/launch.ts says why).
ENV MALLOC_ARENA_MAX=2

# Node directly (not npm, not tsx) so SIGTERM reaches the worker and it shuts down gracefully.
CMD ["node", "dist/worker/main.js"]
