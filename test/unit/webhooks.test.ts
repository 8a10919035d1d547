import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { webhookSettings } from '../../server/src/webhooks/webhookSettings';
import { DeliveryLog } from '../../server/src/webhooks/deliveryLog';
import { WebhookReceiver } from '../../server/src/webhooks/webhookReceiver';
import type { WebhookHint, WebhookIntake } from '../../server/src/webhooks/webhookIntake';
import { githubWebhook, githubHintFor } from '../../server/src/integrations/github/githubWebhook';
import { webhookSignature } from '../../server/src/integrations/github/webhookSignature';
import type { Logger } from '../../server/src/common/logger';

const log: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

describe('server.webhooks settings', () => {
  it('is off unless configured, and reads a port or host:port', () => {
    assert.equal(webhookSettings(undefined), undefined);
    assert.equal(webhookSettings({ log_level: 'info' }), undefined);
    assert.deepEqual(webhookSettings({ webhooks: { listen: 8787, secrets: { github: 's' } } }), { host: '127.0.0.1', port: 8787, secrets: { github: 's' } });
    assert.deepEqual(webhookSettings({ webhooks: { listen: '0.0.0.0:9000', secrets: { github: 's' } } })?.host, '0.0.0.0');
    assert.deepEqual(webhookSettings({ webhooks: { listen: '[::1]:9000', secrets: { github: 's' } } })?.host, '::1');
  });

  it('refuses an address it cannot use and a receiver without secrets', () => {
    assert.throws(() => webhookSettings({ webhooks: { listen: 'localhost', secrets: { github: 's' } } }), /server\.webhooks\.listen: expected a port or host:port/);
    assert.throws(() => webhookSettings({ webhooks: { listen: 70000, secrets: { github: 's' } } }), /out of range/);
    assert.throws(() => webhookSettings({ webhooks: { listen: 8787, secrets: {} } }), /only taken signed/);
  });
});

describe('the delivery log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skdl-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes an id once per service, also after a restart', () => {
    const file = path.join(dir, 'state', 'deliveries.json');
    const first = new DeliveryLog(file, log);
    assert.equal(first.take('github', 'a'), true);
    assert.equal(first.take('github', 'a'), false);
    assert.equal(first.take('slack', 'a'), true, 'ids are per service');
    const restarted = new DeliveryLog(file, log);
    assert.equal(restarted.take('github', 'a'), false);
    assert.equal(restarted.take('github', 'b'), true);
  });

  it('starts empty from a corrupt file, keeping it aside', () => {
    const file = path.join(dir, 'corrupt.json');
    fs.writeFileSync(file, '{"ids": [');
    assert.equal(new DeliveryLog(file, log).take('github', 'a'), true);
    assert.ok(fs.readdirSync(dir).some((name) => name.startsWith('corrupt.json.corrupt-')));
  });
});

describe('GitHub deliveries', () => {
  const headers = (event: string) => ({ 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
  const repository = { full_name: 'Acme/App' };

  it('checks the signature over the exact bytes', () => {
    const body = Buffer.from('{"zen":"hi"}');
    assert.equal(githubWebhook.verify({ 'x-hub-signature-256': webhookSignature('s3', body) }, body, 's3'), true);
    assert.equal(githubWebhook.verify({ 'x-hub-signature-256': webhookSignature('s3', body) }, Buffer.from('{"zen":"hi" }'), 's3'), false);
    assert.equal(githubWebhook.verify({}, body, 's3'), false);
    assert.equal(githubWebhook.deliveryId(headers('ping')), '72d3162e-cc78-11e3-81ab-4c9367dc0958');
  });

  it('names what a delivery touched', () => {
    const [comment] = githubWebhook.hints(headers('issue_comment'), { action: 'created', issue: { number: 7, pull_request: { url: 'x' } }, repository });
    assert.deepEqual([comment.issues, comment.pullRequests], [[7], [7]]);
    const [check] = githubWebhook.hints(headers('check_run'), { action: 'completed', check_run: { head_sha: 'abc', check_suite: { head_branch: 'fix', head_sha: 'abc' }, pull_requests: [{ number: 3 }] }, repository });
    assert.deepEqual([check.shas, check.branches, check.pullRequests], [['abc'], ['fix'], [3]]);
    const [push] = githubWebhook.hints(headers('push'), { ref: 'refs/heads/main', after: 'def', repository });
    assert.deepEqual([push.branches, push.shas], [['main'], ['def']]);
    assert.deepEqual(githubWebhook.hints(headers('ping'), { zen: 'hi', repository }), []);
    assert.ok(githubHintFor(push, 'acme', 'app'), 'repository names compare ignoring case');
    assert.equal(githubHintFor(push, 'acme', 'other'), undefined);
  });

  it('refuses a delivery it cannot read', () => {
    assert.throws(() => githubWebhook.hints({}, { repository }), /no X-GitHub-Event/);
    assert.throws(() => githubWebhook.hints(headers('issues'), [1, 2]), /not a JSON object/);
  });
});

describe('the webhook receiver', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skwr-'));
  const addressFile = path.join(dir, 'run', 'webhooks.json');
  const hinted: WebhookHint[][] = [];
  const intake: WebhookIntake = {
    service: 'demo',
    verify: (headers, body, secret) => headers['x-signature'] === `${secret}:${body.length}`,
    deliveryId: (headers) => headers['x-delivery'] as string | undefined,
    hints: (_headers, payload) => [{ service: 'demo', event: String((payload as { event?: unknown }).event) }],
  };
  const receiver = new WebhookReceiver({ intakes: [intake], deliveries: new DeliveryLog(path.join(dir, 'deliveries.json'), log), onHints: (hints) => hinted.push(hints), log, addressFile });
  let url = '';
  const post = (body: string | Buffer, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers });
  const signed = (body: string, id: string) => post(body, { 'x-signature': `s3:${Buffer.byteLength(body)}`, 'x-delivery': id });

  after(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listens as configured and writes where', async () => {
    await receiver.apply({ host: '127.0.0.1', port: 0, secrets: { demo: 's3' } });
    url = (JSON.parse(fs.readFileSync(addressFile, 'utf8')) as { services: Record<string, string> }).services.demo;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/demo$/);
  });

  it('answers a new delivery 202 and hands on its hints; the same id again 200 and nothing', async () => {
    const first = await signed('{"event":"opened"}', 'd1');
    assert.equal(first.status, 202);
    assert.deepEqual(await first.json(), { status: 'accepted', delivery: 'd1', hints: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(hinted, [[{ service: 'demo', event: 'opened' }]]);
    assert.equal((await signed('{"event":"opened"}', 'd1')).status, 200);
    assert.equal(hinted.length, 1);
  });

  it('refuses what it cannot take, with the status that says why', async () => {
    assert.equal((await post('{}', { 'x-delivery': 'd2' })).status, 401);
    assert.equal((await post('{}', { 'x-signature': 's3:2' })).status, 400, 'no delivery id');
    assert.equal((await signed('{"event":', 'd3')).status, 400);
    assert.equal((await fetch(url)).status, 405);
    assert.equal((await fetch(url.replace(/demo$/, 'other'), { method: 'POST', body: '{}' })).status, 404);
    const huge = await post(Buffer.alloc(26 * 1024 * 1024, 0x20), { 'x-signature': 'x', 'x-delivery': 'd4' }).then((r) => r.status, () => 'connection closed');
    assert.equal(huge, 413, 'an oversized delivery is refused');
    assert.equal(hinted.length, 1);
    assert.equal((await signed('{"event":"closed"}', 'd5')).status, 202, 'and it still takes deliveries');
  });

  it('reports an address it cannot listen on, and does not throw (polling goes on)', async () => {
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as AddressInfo).port;
    const errors: string[] = [];
    const other = new WebhookReceiver({ intakes: [intake], deliveries: new DeliveryLog(path.join(dir, 'other.json'), log), onHints: () => undefined, log: { ...log, error: (_tag, message) => errors.push(message) }, addressFile: path.join(dir, 'other', 'webhooks.json') });
    try {
      await other.apply({ host: '127.0.0.1', port: taken, secrets: { demo: 's3' } });
      assert.match(errors.join('\n'), new RegExp(`could not listen on 127\\.0\\.0\\.1:${taken}: .*EADDRINUSE.*polling goes on`));
      assert.equal(fs.existsSync(path.join(dir, 'other', 'webhooks.json')), false);
    } finally {
      await other.close();
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('stops listening when the settings go, and removes the address', async () => {
    await receiver.apply(undefined);
    assert.equal(fs.existsSync(addressFile), false);
    await assert.rejects(fetch(url, { method: 'POST', body: '{}' }));
  });
});
