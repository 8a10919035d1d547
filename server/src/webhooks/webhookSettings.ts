/**
 * `server.webhooks` from the user's config.yml: where the receiver listens
 * and each service's secret. Off (undefined) unless configured: a host never
 * opens a port nobody asked for. Only services with a secret are served, so
 * no unsigned delivery is ever taken.
 */
import { UserError } from '../common/userError';

export interface WebhookSettings {
  host: string;
  /** 0 asks the system for a free port (tests); the bound address is written to run/webhooks.json. */
  port: number;
  /** service → secret. */
  secrets: Record<string, string>;
}

const DEFAULT_HOST = '127.0.0.1';

export function webhookSettings(server: unknown): WebhookSettings | undefined {
  const webhooks = server && typeof server === 'object' ? (server as Record<string, unknown>).webhooks : undefined;
  if (!webhooks || typeof webhooks !== 'object') return undefined;
  const { listen, secrets } = webhooks as { listen?: unknown; secrets?: unknown };
  const where = 'server.webhooks';
  const address = typeof listen === 'number' ? String(listen) : typeof listen === 'string' ? listen.trim() : '';
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(address);
  if (!match) throw new UserError(`${where}.listen: expected a port or host:port (127.0.0.1:8787), got ${JSON.stringify(listen)}`);
  const port = Number(match[2]);
  if (port > 65535) throw new UserError(`${where}.listen: port ${port} is out of range`);
  const chosen = Object.entries(secrets && typeof secrets === 'object' ? (secrets as Record<string, unknown>) : {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0);
  if (!chosen.length) throw new UserError(`${where}.secrets: give each service's secret (github: <%= env("GITHUB_WEBHOOK_SECRET") %>); deliveries are only taken signed`);
  return { host: match[1]?.replace(/^\[|\]$/g, '') ?? DEFAULT_HOST, port, secrets: Object.fromEntries(chosen) };
}
