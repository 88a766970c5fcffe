// Prints the gateway's OpenAPI document without starting it: Nest's preview mode builds the module
// graph (controllers and their decorators) but instantiates nothing, so no database, Redis or
// back end is needed. The console's typed client is generated from this output
// (scripts/generate-console-client.sh), and CI checks that the committed copy is fresh.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { gatewayConfigSchema } from './config';
import { buildOpenApiDocument } from './transport/openapi';

async function main(): Promise<void> {
  // Placeholder values: in preview mode nothing connects.
  const config = gatewayConfigSchema.parse({
    DATABASE_URL: 'postgres://preview@127.0.0.1:5432/preview',
  });
  const app = await NestFactory.create(AppModule.register(config), {
    preview: true,
    logger: false,
  });
  const document = buildOpenApiDocument(app);
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
