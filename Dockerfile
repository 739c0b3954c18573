# One image for the six apps and the migration runner; docker-compose.yml picks the entry point:
#   node dist/apps/<app>/src/main.js            (order, stock, payment, shipment, notification, coupon)
#   node dist/libs/database/src/migrate/cli.js  (applies prisma/migrations)

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, Prisma client generation, TypeScript compile -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# `prisma generate` never runs the schema engine; pointing the variable at any executable keeps
# the CLI from trying to download one (needed offline, harmless online).
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    CHECKPOINT_DISABLE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
# Fallback: some npm 11 set-ups write lock files that their own `npm ci` refuses (see scripts/setup.js).
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and compiled output only, as a non-root user -----------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The migration runner reads the SQL files at run time.
COPY --from=build /app/prisma ./prisma
# `node` (uid 1000) comes with the official image; the app writes nothing to its own files.
USER node
EXPOSE 3001 3002 3003 3004 3005 3006
CMD ["node", "dist/apps/order/src/main.js"]
