// Checks that PostgreSQL and Redis answer before anything starts, and says plainly which one does
// not, where it looked and how to get it. With --create-database it also creates the database
// named in DATABASE_URL when the server has none by that name.
'use strict';
const { Client } = require('pg');
const { Redis } = require('ioredis');

const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379/0';
const createDatabase = process.argv.includes('--create-database');
// The variables a person sets to point elsewhere: the test command reads TEST_DATABASE_URL and
// TEST_REDIS_URL (so tests never touch the database `npm start` uses), and says so.
const forTests = process.argv.includes('--tests');
const databaseVariable = forTests ? 'TEST_DATABASE_URL' : 'DATABASE_URL';
const redisVariable = forTests ? 'TEST_REDIS_URL' : 'REDIS_URL';
// The test suite also drives the web console in a real Chromium (e2e/src/console.e2e-spec.ts).
const needChromium = process.argv.includes('--chromium');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function checkPostgres() {
  const url = new URL(databaseUrl);
  const target = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await target.connect();
    await target.end();
    return;
  } catch (error) {
    if (!(createDatabase && error.code === '3D000')) throw error;
  }
  const name = url.pathname.slice(1);
  const admin = new Client({
    connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  await admin.end();
  process.stdout.write(`preflight: created database ${name}\n`);
}

async function checkRedis() {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const problems = [];
  await checkPostgres().catch((error) =>
    problems.push(
      `PostgreSQL is not reachable at ${redact(databaseUrl)} (${error.message || error.code}).\n` +
        '  Start it (Debian: pg_ctlcluster <version> main start), or run one with\n' +
        `  \`docker-compose up -d postgres\`, or point ${databaseVariable} at yours (PostgreSQL 14+).`,
    ),
  );
  await checkRedis().catch((error) =>
    problems.push(
      `Redis is not reachable at ${redact(redisUrl)} (${error.message || error.code}).\n` +
        '  Start it (redis-server --daemonize yes), or run one with `docker-compose up -d redis`,\n' +
        `  or point ${redisVariable} at yours (Redis 6.2+).`,
    ),
  );
  if (needChromium && !require('node:fs').existsSync(chromiumPath)) {
    problems.push(
      `Chromium is missing (looked for ${chromiumPath}); the console's browser tests need it.\n` +
        "  Install it: sudo apt-get install -y chromium   (Debian/Ubuntu; Playwright's own download\n" +
        '  does not work here), or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  if (problems.length) {
    process.stderr.write(`preflight failed:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    process.exit(2);
  }
}

main().catch((error) => {
  process.stderr.write(`preflight failed: ${error.stack || error}\n`);
  process.exit(2);
});
