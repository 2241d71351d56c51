/**
 * The engine's outbound allow-list: `host:port` endpoints it may connect to (the Temporal cluster,
 * the decision webhook, a PostgreSQL review database). Everything else is off limits, and loopback
 * (the embedded dev server, the local API) is always allowed. Pure: used by config and at run time.
 */

/** `host:port`, host lower-cased, IPv6 in brackets: `[::1]:7233`. */
export type Endpoint = string;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgres:': 5432, 'postgresql:': 5432 };

/** `host:port` or `[v6]:port` → the normal form; undefined when it is not one. */
export function parseEndpoint(text: string): Endpoint | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return `${match[1]!.toLowerCase()}:${port}`;
}

/** The endpoint a URL connects to (default port by scheme); undefined for a URL without a host. */
export function endpointOfUrl(url: string): Endpoint | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.hostname) return undefined;
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
  return port === undefined ? undefined : `${parsed.hostname.toLowerCase()}:${port}`;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(bare);
}

/** True when a connection to `host:port` is allowed: loopback, or on the list. */
export function isAllowedOutbound(host: string, port: number, allowList: readonly Endpoint[]): boolean {
  if (isLoopbackHost(host)) return true;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  const key = bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
  return allowList.includes(key);
}
