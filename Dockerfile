# One image per app, all from this file:
#   docker build --build-arg APP=contacts -t client-portal-contacts .
# APP is one of: gateway, contacts, invites, notifications, files, audit.
# Needs BuildKit (the default builder since Docker 23) for the cache mounts and the heredoc.

# A tag, not a digest, so security patches of Node 20.20 and Debian arrive on rebuild.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first: the dependency layer is reused until the lockfile changes.
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
ARG APP
RUN test -n "$APP" || { echo 'build with --build-arg APP=<gateway|contacts|invites|notifications|files|audit>' >&2; exit 1; }
RUN npx nest build "$APP"
# The gateway serves the web app (/app, /portal); its budget check fails the build when exceeded.
RUN mkdir -p apps/web/dist && if [ "$APP" = gateway ]; then \
      npx vite build --config apps/web/vite.config.mts && node scripts/web-budget.mjs; fi

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only; argon2 ships prebuilt binaries, so no compiler is needed here.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY --from=build /app/apps/web/dist ./apps/web/dist

# Probes the port the app really listens on: PORT when set, otherwise the default of the app's
# own config class, so the image needs no per-app port table.
COPY <<'EOF' healthcheck.js
const app = process.env.APP;
const configModule = require(`./dist/apps/${app}/apps/${app}/src/config.js`);
const ConfigClass = Object.values(configModule).find((value) => typeof value === 'function');
const port = process.env.PORT || new ConfigClass().PORT;
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
EOF

# Files above stay root-owned, so the app cannot rewrite its own code.
USER node
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "healthcheck.js"]
# A shell so $APP expands; exec so node replaces it as PID 1 and gets SIGTERM for a graceful shutdown.
CMD ["sh", "-c", "exec node dist/apps/$APP/apps/$APP/src/main.js"]
