/** Checks of request parameters shared by the route modules: a clear InvalidParams error for a bad one. */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode } from '../../protocol';

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new ResponseError(ErrorCode.InvalidParams, `${name} must be a non-empty string`);
  return value;
}

export function absolutePath(value: unknown, name: string): string {
  const text = requireString(value, name);
  if (!text.startsWith('/')) throw new ResponseError(ErrorCode.InvalidParams, `${name} must be an absolute path, not ${JSON.stringify(text)}`);
  return text;
}
