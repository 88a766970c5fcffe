import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';
import { RecordingBackends } from './support/recording-backends';

// The HTTP edge as an attacker meets it: JSON is the only body accepted (no form a browser could
// send cross-site without a preflight), every body is under the limit, security headers on
// every answer, and the OpenAPI document describes the real key format.

const PHONE = '+8613800138000';

describe('gateway edge security (real PostgreSQL and Redis, recording back ends)', () => {
  let backends: RecordingBackends;
  let gateway: GatewayUnderTest;
  let customer: TestKey;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    gateway = await startGatewayUnderTest({
      STATUS_GRPC_TARGET: target,
      INTERCEPTION_GRPC_TARGET: target,
      REPLY_GRPC_TARGET: target,
    });
    customer = await gateway.newAccount('customer');
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  beforeEach(() => {
    backends.calls.length = 0;
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${gateway.url}/v1/block-list`, {
      method: 'POST',
      headers: { authorization: customer.bearer, ...headers },
      body,
    });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', `phone=${encodeURIComponent(PHONE)}`],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\n\r\nphone\r\n--x--'],
    ['text', 'text/plain', JSON.stringify({ phone: PHONE })],
    [
      'JSON in another charset',
      'application/json; charset=latin1',
      JSON.stringify({ phone: PHONE }),
    ],
  ])('refuses %s with 415 and blocks nothing', async (_name, contentType, body) => {
    const response = await post(body, { 'content-type': contentType });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'request body must be JSON (Content-Type: application/json)',
    });
    expect(backends.calls).toHaveLength(0);
  });

  it('refuses a JSON body without Content-Type with 415, not a baffling 400', async () => {
    const response = await fetch(`${gateway.url}/v1/block-list`, {
      method: 'POST',
      headers: { authorization: customer.bearer },
      body: new Blob([JSON.stringify({ phone: PHONE })]),
    });
    expect(response.status).toBe(415);
    expect(backends.calls).toHaveLength(0);
  });

  it('applies the body limit to every body, whatever its type (413)', async () => {
    const form = await post(`phone=${encodeURIComponent(PHONE)}&reasonText=${'x'.repeat(40_000)}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(413);
    expect(await form.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });

    const text = await post('x'.repeat(40_000), { 'content-type': 'text/plain' });
    expect(text.status).toBe(413);

    // Chunked (no Content-Length): the JSON parser stops at the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"phone":"${PHONE}","reasonText":"`));
        controller.enqueue(new TextEncoder().encode('x'.repeat(40_000)));
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const chunked = await fetch(`${gateway.url}/v1/block-list`, {
      method: 'POST',
      headers: { authorization: customer.bearer, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect(backends.calls).toHaveLength(0);
  });

  it('still takes JSON bodies (charset utf-8 too)', async () => {
    const response = await post(JSON.stringify({ phone: PHONE, reasonText: 'asked' }), {
      'content-type': 'application/json; charset=utf-8',
    });
    // The back end's (empty) answer is not the point: the body reached it, parsed.
    expect([413, 415]).not.toContain(response.status);
    expect(backends.callsOf('addEntry').map((call) => call.request)).toEqual([
      expect.objectContaining({ phone: PHONE, reason: 'asked' }),
    ]);
  });

  it('sends security headers and no X-Powered-By, on answers and errors alike', async () => {
    for (const path of ['/healthz', '/v1/messages', '/no-such-route']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('documents the links between records: messageId filters, blockListEntry and replies', async () => {
    const { body } = await gateway.request('/openapi.json');
    type Operation = {
      parameters?: { name: string }[];
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    };
    type Schema = {
      $ref?: string;
      properties: Record<string, { type?: string; nullable?: boolean; allOf?: Schema[] }>;
      required: string[];
    };
    const document = body as {
      paths: Record<string, { get: Operation }>;
      components: { schemas: Record<string, Schema> };
    };
    const paths = document.paths;
    // Named schemas are referenced ($ref): follow them to the component.
    const resolve = (schema: Schema): Schema =>
      schema.$ref ? document.components.schemas[schema.$ref.split('/').pop() ?? ''] : schema;
    const parameters = (path: string) => (paths[path]?.get.parameters ?? []).map((p) => p.name);
    for (const path of [
      '/v1/block-list',
      '/v1/block-list/export',
      '/v1/admin/block-list',
      '/v1/replies',
      '/v1/replies/export',
      '/v1/admin/replies',
    ])
      expect([path, parameters(path)]).toEqual([path, expect.arrayContaining(['messageId'])]);
    for (const path of ['/v1/messages/{messageId}', '/v1/admin/messages/{messageId}']) {
      const schema = resolve(
        paths[path]?.get.responses['200']?.content?.['application/json']?.schema as Schema,
      );
      expect(schema.properties['blockListEntry']).toMatchObject({
        type: 'object',
        nullable: true,
        allOf: [{ $ref: '#/components/schemas/BlockListEntry' }],
      });
      expect(schema.properties['replies']).toMatchObject({ type: 'array' });
      expect(schema.required).toEqual(expect.arrayContaining(['blockListEntry', 'replies']));
    }
  });

  it('documents Basic and Bearer with the real key format (and the session cookie), not JWT', async () => {
    const { body } = await gateway.request('/openapi.json');
    const schemes = (body as { components: { securitySchemes: Record<string, unknown> } })
      .components.securitySchemes;
    expect(schemes).toEqual({
      basic: expect.objectContaining({ type: 'http', scheme: 'basic' }),
      bearer: expect.objectContaining({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key <keyId>.<secret>',
      }),
      // The console's session cookie (issue 11 item 1), beside the API key.
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sms_session' }),
    });
    expect(JSON.stringify(schemes)).not.toMatch(/JWT/);
  });
});
