# The hub for production: compiled JavaScript, production dependencies only, a non-root user.
# `docker compose up` builds and runs it (docker-compose.yml); the hub migrates and loads the
# bundled data itself on start.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# Dependencies' install scripts are not needed (the hub depends on none); our own run below.
RUN npm ci --no-audit --no-fund --ignore-scripts && node scripts/generate-prisma-client.mjs
COPY src ./src
RUN node scripts/build.mjs --force && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# Static files of /explore, read from the source tree's path.
COPY --from=build /app/src/server/explore/assets ./src/server/explore/assets
# The embedded database's folder, writable by the hub's user (unused with DATABASE_URL).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --retries=30 \
  CMD ["node", "-e", "fetch('http://localhost:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
