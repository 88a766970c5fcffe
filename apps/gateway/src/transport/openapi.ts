import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiBody,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { z } from 'zod';

// The OpenAPI document is generated from the same zod schemas that validate requests and type
// responses, so the documentation cannot drift from the code.

type JsonSchema = Record<string, unknown>;

// Schemas given an id (`.meta({ id: 'Message' })`) become named components that every use refers
// to by `$ref`, so client generators produce named types instead of anonymous ones. They are
// collected here while the controllers' decorators run, then written into the document.
const components = new Map<string, { json: string; schema: JsonSchema }>();
const COMPONENT_REF = '#/components/schemas/';

/** zod's `#/definitions/X` refs point at the document's components; its ±2^53 integer bounds go. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(value as JsonSchema)) {
    if (key === 'nullable' && !('type' in value) && 'allOf' in value) {
      // A nullable named schema (`allOf: [$ref]`): OpenAPI 3.0 wants the type beside nullable,
      // and every named schema here is an object.
      out['type'] = 'object';
      out[key] = inner;
    } else if (key === '$ref' && typeof inner === 'string') {
      out[key] = inner.replace(/^#\/definitions\//, COMPONENT_REF);
    } else if (
      (key === 'minimum' || key === 'maximum') &&
      Math.abs(Number(inner)) === Number.MAX_SAFE_INTEGER
    ) {
      // zod's default for .int(): not a real bound. Real bounds are set in the schemas.
      continue;
    } else {
      out[key] = tidy(inner);
    }
  }
  return out;
}

function addComponent(name: string, schema: JsonSchema): void {
  const json = JSON.stringify(schema);
  const known = components.get(name);
  if (known && known.json !== json) {
    // Two different schemas under one name would make one of them silently wrong.
    throw new Error(`OpenAPI component ${name} is defined twice, differently`);
  }
  components.set(name, { json, schema });
}

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const {
    $schema: _ignored,
    definitions,
    ...rest
  } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  for (const [name, definition] of Object.entries((definitions ?? {}) as JsonSchema)) {
    addComponent(name, tidy(definition) as JsonSchema);
  }
  return tidy(rest) as JsonSchema;
}

/** The named schemas met so far, by name. */
export function componentSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    [...components.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { schema }]) => [name, schema]),
  );
}

/** One documented query parameter per field of the (strict) query schema. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) => {
      const fieldSchema = field as z.ZodType;
      // A number read from the query string is documented as the number it becomes (with its
      // bounds), not as the digits it arrives as.
      const output = jsonSchemaOf(fieldSchema, 'output');
      const json =
        output['type'] === 'integer' || output['type'] === 'number'
          ? output
          : jsonSchemaOf(fieldSchema, 'input');
      return ApiQuery({
        name,
        required: !fieldSchema.safeParse(undefined).success,
        description: typeof json['description'] === 'string' ? json['description'] : undefined,
        schema: json,
      });
    }),
  );
}

export function ApiPathParam(name: string, description: string): MethodDecorator {
  return ApiParam({ name, description, schema: { type: 'string' } });
}

export function ApiJsonBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: jsonSchemaOf(schema, 'input') });
}

export function ApiJsonResponse(
  status: number,
  schema: z.ZodType,
  description: string,
): MethodDecorator {
  return ApiResponse({ status, description, schema: jsonSchemaOf(schema) });
}

export const errorBodySchema = z
  .object({
    error: z.string().meta({ example: 'INVALID_ARGUMENT' }),
    message: z.string().meta({ example: 'query parameter pageSize: must be at most 500' }),
  })
  .meta({ id: 'Error', description: 'Every error answer.' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'INVALID_ARGUMENT: a parameter or body field is wrong (the message names it)',
  401: 'UNAUTHENTICATED: missing, malformed, unknown or revoked API key',
  403: 'PERMISSION_DENIED: the key has the wrong role, or the resource is owned by someone else',
  404: 'NOT_FOUND: no such resource for this account',
  409: 'ALREADY_EXISTS / FAILED_PRECONDITION: conflicting state',
  413: 'PAYLOAD_TOO_LARGE: request body over the limit',
  429: 'RESOURCE_EXHAUSTED: rate limit of the key exceeded (see Retry-After)',
  500: 'INTERNAL: unexpected error',
  501: 'UNIMPLEMENTED: a back-end service does not offer this yet',
  503: 'UNAVAILABLE: a back-end service is unreachable (see Retry-After)',
  504: 'DEADLINE_EXCEEDED: a back-end service did not answer in time',
};

/** The errors every authenticated endpoint can answer, plus endpoint-specific ones. */
export function ApiErrors(...extra: number[]): MethodDecorator {
  const statuses = [...new Set([400, 401, 403, 429, 500, 503, 504, ...extra])].sort();
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'error',
        schema: jsonSchemaOf(errorBodySchema),
      }),
    ),
  );
}

const pages = new Map<z.ZodType, z.ZodType>();

/** A list page: `{ data, nextPageToken }`, named `<Item>Page` after its (named) item. */
export function pageOf<T extends z.ZodType>(item: T) {
  const id = z.globalRegistry.get(item)?.id;
  if (!id) throw new Error('pageOf: the item schema needs an id (.meta({ id }))');
  const known = pages.get(item);
  if (known) return known as ReturnType<typeof page<T>>;
  const made = page(item).meta({ id: `${id}Page`, description: `A page of ${id} items.` });
  pages.set(item, made);
  return made;
}

function page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextPageToken: z
      .string()
      .nullable()
      .meta({ description: 'Pass as pageToken for the next page; null on the last page.' }),
  });
}

const OPERATIONAL_PATHS = new Set(['/metrics', '/livez', '/readyz', '/healthz']);

/** The OpenAPI document of the app's controllers (also written to a file for the console's client). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('SMS status platform API')
    .setDescription(
      'Message statuses, the block (interception) list, unsubscribes and replies of your account. ' +
        'Authenticate with an API key: `Authorization: Basic base64(keyId:secret)` or ' +
        '`Authorization: Bearer <keyId>.<secret>`, or sign in (POST /v1/session) for a console session cookie. Errors are always `{ "error": CODE, "message": text }`.',
    )
    .setVersion('v1')
    // Relative: the document is served by the gateway it describes.
    .addServer('/', 'This gateway')
    // API keys are opaque `key_…` ids with a random secret, not JWTs: no bearerFormat claims so.
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description: 'user name: the key id (`key_…`); password: the key secret',
      },
      'basic',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key <keyId>.<secret>',
        description: 'The key id (`key_…`), a dot, then the key secret.',
      },
      'bearer',
    )
    .addCookieAuth(
      'sms_session',
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'Console session from POST /v1/session; POST, PUT, PATCH and DELETE also need the X-CSRF-Token header.',
      },
      'session',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // The operational endpoints (/metrics, /livez, /readyz, /healthz) serve Prometheus and the
  // orchestrator, not API clients: they are described in README, not in the client's contract.
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => !OPERATIONAL_PATHS.has(path)),
  );
  document.components = { ...document.components, schemas: componentSchemas() };
  return document;
}

/** `/openapi.json` and the browsable `/docs`. */
export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}

/** A text/csv download (the export endpoints). */
export function ApiCsvResponse(description: string): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/csv'),
    ApiResponse({
      status: 200,
      description: `${description} RFC 4180, UTF-8, CRLF line ends, a header row of the JSON field names of the list endpoint; times ISO 8601 UTC; lists joined with ";"; empty field = null; text cells starting with = + - @ (tab, CR) get a leading "'" so spreadsheets do not run them (E.164 numbers excepted). Sent as attachment (Content-Disposition).`,
      content: { 'text/csv': { schema: { type: 'string' } } },
    }),
  );
}
