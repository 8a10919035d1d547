/**
 * Tokens for the host socket. The user's client token is a random secret in
 * `auth/client.token`. Agent tokens are derived from the agent id with an
 * HMAC under `auth/host.key`, so the host can check them statelessly, also
 * after a restart, and an agent token names the one agent it may act on.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { SuperkickPaths } from './paths';
import { ensurePrivateDir, writeSecretFile } from './secureDir';

const AGENT_TOKEN_PREFIX = 'ska_';

function readOrCreateSecret(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    writeSecretFile(file, crypto.randomBytes(32).toString('hex'));
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export function readClientToken(paths: SuperkickPaths): string {
  ensurePrivateDir(paths.auth);
  return readOrCreateSecret(paths.clientToken);
}

export function readHostKey(paths: SuperkickPaths): string {
  ensurePrivateDir(paths.auth);
  return readOrCreateSecret(paths.hostKey);
}

export function agentToken(hostKey: string, agentId: string): string {
  const mac = crypto.createHmac('sha256', hostKey).update(agentId).digest('hex');
  return `${AGENT_TOKEN_PREFIX}${agentId}_${mac}`;
}

/** The agent id an agent token is valid for, or undefined. */
export function verifyAgentToken(hostKey: string, token: string): string | undefined {
  if (!token.startsWith(AGENT_TOKEN_PREFIX)) return undefined;
  const separator = token.lastIndexOf('_');
  const id = token.slice(AGENT_TOKEN_PREFIX.length, separator);
  if (!id) return undefined;
  return safeEqual(token, agentToken(hostKey, id)) ? id : undefined;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
