/**
 * The JSON Web Token a GitHub App signs to prove it is the app
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app):
 * RS256 over `{ iat, exp, iss }` with the app's private key. It only buys an
 * installation token; node:crypto is enough, no JWT library.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { UserError } from '../../common/userError';

/** GitHub refuses an `exp` more than ten minutes ahead; nine leaves room for a fast clock. */
const LIFETIME_S = 9 * 60;
/** Backdated as GitHub recommends, for a server clock a little behind ours. */
const CLOCK_DRIFT_S = 60;

/** Reads the app's PEM private key (PKCS#1 as GitHub hands it out, or PKCS#8), with an error people can act on. */
export function appPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    // A key pasted through an environment variable often has its newlines escaped.
    key = createPrivateKey(pem.includes('\\n') && !pem.includes('\n') ? pem.replace(/\\n/g, '\n') : pem);
  } catch (error) {
    throw new UserError(`github app private_key: not a PEM private key (${(error as Error).message}); paste the .pem file GitHub generated for the app`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new UserError(`github app private_key: GitHub App keys are RSA, this one is ${key.asymmetricKeyType}`);
  return key;
}

export function appJwt(appId: string, key: KeyObject, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000) - CLOCK_DRIFT_S;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat, exp: iat + CLOCK_DRIFT_S + LIFETIME_S, iss: appId }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
