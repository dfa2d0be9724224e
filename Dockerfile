# syntax=docker/dockerfile:1
# The frrk8s image: `frrk8s agent` (DaemonSet, beside the FRR container) and `frrk8s webhook`.
#
# The agent drives FRR with vtysh (and, with --apply-mode reload, FRR's frr-reload.py under
# python3), so it needs FRR's own tools of the very version the FRR container runs: the image is
# built FROM that FRR image (Alpine, with vtysh, python3 and /usr/lib/frr/frr-reload.py), and Node
# is added to it. Keep FRR_IMAGE equal to the chart's frrk8s.frr.image.
#
# Node comes from the official node:<24>-alpine image (Alpine's own nodejs package may be older
# than the >= 22.19 we need, depending on the Alpine release the FRR image is built on). It is a
# musl binary that needs libstdc++ and libgcc, installed from the FRR image's Alpine. The
# `node --version` step fails the build if that Alpine is too old for the Node binary; then pin
# NODE_IMAGE to node:24-alpine<same Alpine release as the FRR image>.
#
# Build: docker build -t <registry>/frrk8s:<tag> .   (then set frrk8s.image in the chart)
ARG FRR_IMAGE=quay.io/frrouting/frr:10.4.3
ARG NODE_IMAGE=node:24-alpine

# Production npm dependencies only (all pure JavaScript: no native modules to rebuild).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# src/ compiled to JavaScript (`npm run build` -> dist/). The image runs only dist/: Node's
# TypeScript type stripping would cost every process ~17 MiB of RSS.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS node

FROM ${FRR_IMAGE}
RUN apk add --no-cache libstdc++ libgcc
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
# No src/: the bin shim then runs dist/ (bin/frrk8s.js).
COPY --from=build /app/dist ./dist
# The CRD schemas are read at run time (offline validation of FRRConfigurations).
COPY deploy/crds ./deploy/crds
RUN ln -s /app/bin/frrk8s.js /usr/local/bin/frrk8s \
  && node --version \
  && frrk8s --help >/dev/null \
  && vtysh --version \
  && python3 -c 'import sys; assert sys.version_info >= (3, 6)' \
  && test -f /usr/lib/frr/frr-reload.py
ENV NODE_ENV=production
# tini (from the FRR image) as PID 1: signals reach frrk8s, and the vtysh/python processes it
# starts are reaped. The chart runs the agent as FRR's user (uid 100) and the webhook as nobody.
ENTRYPOINT ["/sbin/tini", "--", "/usr/local/bin/frrk8s"]
CMD ["--help"]
