# talkover-mock container image.
#   docker build -t talkover-mock .            (podman: add --format docker, or HEALTHCHECK is dropped)
#   docker run --rm -p 4010:4010 talkover-mock [--seed 42 …]
# Every CLI flag also works as an env var: -e TALKOVER_MOCK_SEED=42. Fixtures mount read-only:
#   -v ./my-fixtures:/fixtures:ro -e TALKOVER_MOCK_FIXTURES=/fixtures

# --- build: dev dependencies, tsc, then `npm pack` so the image ships exactly the npm package ---
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# `prepare` runs tsc, which needs src/; `npm pack` builds below (its prepack hook), and ships the
# package.json a user installs, without the clone's build scripts.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm pack --silent --pack-destination /tmp \
 && mkdir /pkg \
 && tar -xzf /tmp/talkover-mock-*.tgz -C /pkg --strip-components=1

# --- runtime: production dependencies only, non-root, node as PID 1 ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*
# Owned by root and read-only for the server: it never writes to disk.
COPY --from=build /pkg/ ./
# The base image's user `node`, numerically, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4010
# Node calls the health endpoint itself: slim images have no curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TALKOVER_MOCK_PORT||process.env.PORT||4010)+'/__mock/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# No shell and no init: node is PID 1 and the CLI handles SIGTERM/SIGINT itself (docs/docker.md).
# The image runs the bin, as npx and npm start do: it sets the small heap's run-time flags in its
# own process (under 100 MB RSS in the bench's workload), so `-e NODE_OPTIONS=--max-old-space-size=512`
# raises the old space and keeps the small young generation; NODE_OPTIONS naming the young
# generation, or TALKOVER_MOCK_NODE_HEAP=node, gives node's own sizing
# (docs/performance.md#the-default-heap-and-how-to-override-it).
ENV NODE_OPTIONS="--max-old-space-size=128"
ENTRYPOINT ["node", "dist/bin.js"]
