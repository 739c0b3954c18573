# One image for the six apps and the migration runner; docker-compose.yml picks the entry point:
#   node dist/apps/<app>/src/main.js            (order, stock, payment, shipment, notification, coupon,
#                                                and console: the page on port 3000)
#   node dist/libs/database/src/migrate/cli.js  (applies prisma/migrations)

# Node 24 LTS, the line the project runs on everywhere (.nvmrc, package.json engines).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, Prisma client generation, TypeScript compile -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# `prisma generate` never runs the schema engine; pointing the variable at any executable keeps
# the CLI from trying to download one (needed offline, harmless online).
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    CHECKPOINT_DISABLE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
# Exactly the lock's tree. npm can exit 0 after a failed fetch ("Exit handler never called!"), so
# the next line checks that what the build needs really arrived, and fails here if not.
RUN npm ci --no-audit --no-fund \
 && for bin in prisma tsc tsc-alias; do \
      [ -x "node_modules/.bin/$bin" ] || { echo "npm ci did not install $bin: the install failed" >&2; exit 1; }; \
    done
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-* node_modules/.bin/node
# (the image has its own Node 24; the copy npm installs for machines without one is not needed)

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
EXPOSE 3000 3001 3002 3003 3004 3005 3006
CMD ["node", "dist/apps/order/src/main.js"]
