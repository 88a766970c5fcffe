// The customer's and operator's view: plain HTTP against the gateway, nothing else.

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    path: string,
  ) {
    super(`GET ${path}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export interface Page<T> {
  readonly data: T[];
  readonly nextPageToken: string | null;
}

export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly authorization: string,
  ) {}

  async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const search = new URLSearchParams(query).toString();
    const url = `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
    const response = await fetch(url, { headers: { Authorization: this.authorization } });
    const body: unknown = await response.json();
    if (!response.ok) throw new GatewayError(response.status, body, `${path}?${search}`);
    return body as T;
  }

  /** Follows nextPageToken to the end. */
  async all<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(path, {
        ...query,
        pageSize: '500',
        ...(pageToken ? { pageToken } : {}),
      });
      items.push(...page.data);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return items;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}
