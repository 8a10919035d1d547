/** Runs a command body with a host connection, closing it afterwards. */
import { connectHost, asUserError, type HostClient } from '../hostClient';

/** `workspace: null` connects without registering this directory's workspace (for commands that act on another one). */
export async function withHost<T>(body: (host: HostClient) => Promise<T>, options: { start?: boolean; workspace?: string | null } = {}): Promise<T> {
  const host = await connectHost({ start: options.start, workspace: options.workspace });
  try {
    return await body(host);
  } catch (error) {
    throw asUserError(error);
  } finally {
    host.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
