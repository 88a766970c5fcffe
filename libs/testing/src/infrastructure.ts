export interface TestInfrastructure {
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

/**
 * Where the test PostgreSQL and Redis are: this machine's services unless TEST_DATABASE_URL /
 * TEST_REDIS_URL say otherwise. The only place tests read the environment.
 */
export function testInfrastructure(): TestInfrastructure {
  return {
    databaseUrl: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
  };
}
