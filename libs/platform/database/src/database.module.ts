import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@sms/platform-metrics';
import { createOrmOptions, type OrmSettings } from './orm-options';
import { SchemaGuard } from './schema-guard';

@Module({})
class DatabaseHealthModule implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('postgres', () => this.orm.em.getConnection().execute('select 1'));
  }
}

/**
 * MikroORM for one service's schema. Use `em.fork()` (or @CreateRequestContext) per gRPC call
 * and per job: there is no global context.
 */
@Module({})
export class DatabaseModule {
  static forRoot(settings: OrmSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRoot({ ...createOrmOptions(settings), registerRequestContext: false }),
        DatabaseHealthModule,
      ],
      providers: [
        {
          provide: SchemaGuard,
          useFactory: (orm: MikroORM<PostgreSqlDriver>) => new SchemaGuard(orm, settings),
          inject: [MikroORM],
        },
      ],
    };
  }
}
