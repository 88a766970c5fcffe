import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The document client generators read: named schemas, real integer bounds, and a linter
// (npm run openapi:lint, the same script CI runs) that passes it and refuses a broken one.

const ROOT = resolve(__dirname, '../../../..');
const LINT = join(ROOT, 'scripts/lint-openapi.sh');

type Json = Record<string, unknown>;

function emitDocument(): Json {
  const text = execFileSync(
    process.execPath,
    ['-r', './tools/runtime/register.cjs', 'apps/gateway/src/openapi.cli.ts'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(text) as Json;
}

function lint(file: string): { status: number | null; output: string } {
  const run = spawnSync('bash', [LINT, file], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the OpenAPI document', () => {
  let dir: string;
  let document: Json;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    document = emitDocument();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names every body schema and refers to it', () => {
    const schemas = (document['components'] as { schemas: Json }).schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'Message',
        'MessagePage',
        'MessageDetail',
        'SendLogEntry',
        'BlockListEntry',
        'BlockListEntryPage',
        'BlockCheck',
        'Reply',
        'ReplyPage',
        'Unsubscribe',
        'DeadLetter',
        'MessageStats',
        'Session',
        'AddBlockListEntryRequest',
        'Error',
      ]),
    );
    // Every JSON body of every operation is a reference, never an inline schema.
    const bodies: unknown[] = [];
    for (const operations of Object.values(document['paths'] as Record<string, Json>)) {
      for (const operation of Object.values(operations) as Json[]) {
        const request = operation['requestBody'] as { content?: Json } | undefined;
        const responses = Object.values(operation['responses'] as Json) as { content?: Json }[];
        for (const holder of [request, ...responses]) {
          const json = holder?.content?.['application/json'] as { schema?: Json } | undefined;
          if (json) bodies.push(json.schema);
        }
      }
    }
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies)
      expect(body).toEqual({ $ref: expect.stringMatching(/^#\/components\/schemas\/\w+$/) });
  });

  it('has no ±2^53 integer bounds, and real ones where they matter', () => {
    const text = JSON.stringify(document);
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const schemas = (document['components'] as { schemas: Record<string, { properties: Json }> })
      .schemas;
    expect(schemas['Message'].properties['sendFailureCode']).toMatchObject({
      type: 'integer',
      minimum: 500,
      maximum: 590,
    });
    expect(schemas['StatsBucket'].properties['messages']).toMatchObject({
      type: 'integer',
      minimum: 0,
    });
    const list = (document['paths'] as Record<string, { get: { parameters: Json[] } }>)[
      '/v1/messages'
    ].get.parameters.find((parameter) => parameter['name'] === 'pageSize');
    expect(list?.['schema']).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
  });

  it('lints clean, and the linter refuses a broken document', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(document));
    const clean = lint(good);
    expect(clean.output).toContain('valid');
    expect(clean.status).toBe(0);

    // A reference to a schema that does not exist, and an operation without a summary.
    const broken = structuredClone(document) as { components: { schemas: Json }; paths: Json };
    delete broken.components.schemas['Error'];
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(broken));
    const refused = lint(bad);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('no-unresolved-refs');
  }, 120_000);
});
