/**
 * GitHub webhook deliveries are signed: `X-Hub-Signature-256: sha256=<hex>`,
 * an HMAC-SHA256 of the raw body with the webhook's secret. A delivery whose
 * signature does not match (or is missing) is refused before its body is
 * read as JSON. Compared in constant time.
 */
import * as crypto from 'node:crypto';

const PREFIX = 'sha256=';

export function webhookSignature(secret: string, body: Buffer | string): string {
  return PREFIX + crypto.createHmac('sha256', secret).update(body).digest('hex');
}

export function verifyWebhookSignature(secret: string, body: Buffer | string, header: string | undefined): boolean {
  if (!secret || typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const expected = Buffer.from(webhookSignature(secret, body), 'utf8');
  const given = Buffer.from(header.trim(), 'utf8');
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
