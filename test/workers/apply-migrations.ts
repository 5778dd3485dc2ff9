import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// As `wrangler d1 migrations apply DB --local` does: the store's own migrate() then finds them applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
