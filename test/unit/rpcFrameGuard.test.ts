import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RpcFrameGuard } from '../../server/src/common/rpcConnection';

function feed(guard: RpcFrameGuard, chunks: Array<string | Buffer>): Promise<{ passed: string; error?: Error }> {
  return new Promise((resolve) => {
    const passed: Buffer[] = [];
    guard.on('data', (chunk: Buffer) => passed.push(chunk));
    guard.on('error', (error) => resolve({ passed: Buffer.concat(passed).toString(), error }));
    guard.on('end', () => resolve({ passed: Buffer.concat(passed).toString() }));
    for (const chunk of chunks) guard.write(chunk);
    guard.end();
  });
}

const message = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('JSON-RPC frame guard', () => {
  it('passes well-formed messages through untouched, however split', async () => {
    const stream = message('{"jsonrpc":"2.0","id":1,"method":"a"}') + message('{"é":1}') + message('{}');
    for (const size of [1, 2, 17, stream.length]) {
      const chunks: Buffer[] = [];
      const bytes = Buffer.from(stream);
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const { passed, error } = await feed(new RpcFrameGuard(), chunks);
      assert.equal(error, undefined);
      assert.equal(passed, stream);
    }
  });

  it('stops at a header without Content-Length', async () => {
    const { error } = await feed(new RpcFrameGuard(), ['GET / HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.match(error!.message, /malformed message header/);
  });

  it('stops at an announced length over the limit, before the body arrives', async () => {
    const { error } = await feed(new RpcFrameGuard(1000), ['Content-Length: 1001\r\n\r\n']);
    assert.match(error!.message, /1001 bytes exceeds the limit of 1000/);
  });

  it('stops at an endless header', async () => {
    const { error } = await feed(new RpcFrameGuard(), ['X'.repeat(10_000)]);
    assert.match(error!.message, /header too long/);
  });
});
