export { createOrmOptions, runMigrations, type OrmSettings } from './orm-options';
export { DatabaseModule } from './database.module';
export { Migration } from '@mikro-orm/migrations';
export { SchemaNotCurrentError, pendingMigrations } from './schema-guard';
export { Sql, arrayLiteral, type SqlParam, type SqlResult, type SqlScalar } from './sql';
export {
  DailyPartitions,
  addDays,
  dayStart,
  daysToCover,
  isExpiredPartition,
  retentionCutoff,
} from './daily-partitions';
