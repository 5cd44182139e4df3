import { defineConfig } from 'prisma/config';

// The hub applies migrations itself (src/db/migrate.ts); this file serves `prisma generate`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
