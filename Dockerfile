# One image for every service; the APP build argument (or the command) picks which one runs.
#   docker build --build-arg APP=status-tracker -t sms/status-tracker .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY proto ./proto
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
# tsc, then tsc-alias rewrites the @sms/* imports to relative paths (the output runs on plain
# node), then vite builds the web console: static files the gateway serves at /console/.
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY proto ./proto
USER node
# Migrations are a separate command: `docker compose run --rm <service> migrate`.
ENTRYPOINT ["sh", "-c", "if [ \"$1\" = migrate ]; then exec node dist/apps/$APP/src/migrate.js; else exec node dist/apps/$APP/src/main.js; fi", "--"]
CMD ["serve"]
