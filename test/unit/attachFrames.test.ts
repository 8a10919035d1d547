import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Attach } from '../../server/src/protocol';

const { FrameType } = Attach;

describe('attach frames', () => {
  it('cuts frames out of a stream however it is split', () => {
    const frames = [
      Attach.encodeJsonFrame(FrameType.Hello, { token: 't', cols: 80, rows: 24 }),
      Attach.encodeFrame(FrameType.Input, Buffer.from('héllo')),
      Attach.encodeFrame(FrameType.Input, Buffer.alloc(200_000, 0x61)),
      Attach.encodeFrame(FrameType.Detach, ''),
    ];
    const stream = Buffer.concat(frames);
    for (const size of [1, 3, 5, 7, 4096, stream.length]) {
      const decoder = new Attach.FrameDecoder(Attach.MAX_VIEWER_FRAME_BYTES, Attach.VIEWER_FRAMES);
      const out: Attach.Frame[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...decoder.push(stream.subarray(i, i + size)));
      assert.deepEqual(out.map((f) => f.type), [FrameType.Hello, FrameType.Input, FrameType.Input, FrameType.Detach]);
      assert.equal(out[1].payload.toString(), 'héllo');
      assert.equal(out[2].payload.length, 200_000);
      assert.equal(out[3].payload.length, 0);
    }
  });

  it('carries a snapshot\'s escape bytes as they are, with its metadata', () => {
    const data = '\x1b[31mréd\x1b[0m\r\n\x1b[?25l';
    const frame = Attach.encodeSnapshotFrame({ version: 1, cols: 90, rows: 30, reason: 'resync' }, data);
    const [decoded] = new Attach.FrameDecoder(Attach.MAX_AGENT_FRAME_BYTES, Attach.AGENT_FRAMES).push(frame);
    assert.equal(decoded.type, FrameType.Snapshot);
    assert.deepEqual(Attach.decodeSnapshot(decoded.payload), { version: 1, cols: 90, rows: 30, reason: 'resync', data });
    assert.ok(frame.length < 100 + Buffer.byteLength(data), "escape bytes are not inflated");
  });

  it('refuses unknown types and oversized frames before buffering them', () => {
    const decoder = new Attach.FrameDecoder(1024, Attach.VIEWER_FRAMES);
    assert.throws(() => decoder.push(Attach.encodeFrame(FrameType.Output, 'x')), /unknown attach frame type 17/);
    const big = Buffer.alloc(5);
    big.writeUInt8(FrameType.Input, 0);
    big.writeUInt32BE(4096, 1);
    assert.throws(() => new Attach.FrameDecoder(1024, Attach.VIEWER_FRAMES).push(big), /exceeds the limit of 1024/);
  });
});
