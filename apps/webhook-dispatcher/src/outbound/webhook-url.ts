import { lookup } from 'node:dns/promises';
import { isIP, type BlockList } from 'node:net';
import { forbiddenReason, type ResolvedAddress } from './address-policy';

export interface UrlRules {
  readonly allowHttp: boolean;
  readonly allowed: BlockList;
}

/** The URL's shape: absolute, https (http only when allowed), no credentials, at most 2,000 chars. */
export function urlProblem(raw: string, rules: Pick<UrlRules, 'allowHttp'>): string | null {
  if (raw.length > 2000) return 'url must be at most 2000 characters';
  if (!URL.canParse(raw)) return 'url must be an absolute URL such as https://example.com/hooks';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    return rules.allowHttp ? 'url must use https or http' : 'url must use https';
  }
  if (url.username || url.password) return 'url must not contain credentials';
  if (url.hash) return 'url must not contain a fragment';
  return null;
}

/** Host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export type Resolution =
  | { readonly ok: true; readonly address: ResolvedAddress }
  | { readonly ok: false; readonly problem: string };

/**
 * Resolves the URL's host and refuses it when any address is forbidden (a name resolving to a
 * public and a private address is refused too). The caller connects to the returned address, so
 * a second, different DNS answer (rebinding) is never used.
 */
export async function resolveTarget(url: URL, allowed: BlockList): Promise<Resolution> {
  const host = hostOf(url);
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => ({
        address: entry.address,
        family: entry.family === 6 ? 6 : 4,
      }));
    } catch (error) {
      return { ok: false, problem: `${host} does not resolve (${(error as Error).message})` };
    }
  }
  if (!addresses.length) return { ok: false, problem: `${host} does not resolve` };
  for (const entry of addresses) {
    const reason = forbiddenReason(entry.address, allowed);
    if (reason) return { ok: false, problem: `${host} resolves to ${reason}` };
  }
  return { ok: true, address: addresses[0] };
}
