/** Secrets out of `config show`: keys named like one, and every value that came from env(). */
import { isPlainObject } from './layers';
import { toPointer } from './pointer';

export const MASK = '***';

const SECRET_WORDS = new Set(['token', 'key', 'secret', 'password', 'passwd', 'apikey', 'credentials']);

/** `api_key`, `apiKey`, `DD_APP_KEY`, `clientSecret`: split into words, any of which names a secret. */
export function isSecretKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}

export function maskSecrets(value: unknown, fromEnv: ReadonlySet<string>, segments: string[] = []): unknown {
  if (segments.length && fromEnv.has(toPointer(segments))) return MASK;
  if (Array.isArray(value)) return value.map((item, index) => maskSecrets(item, fromEnv, [...segments, String(index)]));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) && item !== null && typeof item !== 'object' ? MASK : maskSecrets(item, fromEnv, [...segments, key]);
    }
    return out;
  }
  return value;
}
