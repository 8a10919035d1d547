/**
 * The webhook receiver: one HTTP server (off unless `server.webhooks` is
 * configured) taking POST /webhooks/<service> for each registered intake
 * with a secret. A delivery is checked, in this order, before anything acts
 * on it: its signature over the raw body (401), its delivery id (400), its
 * payload (400), whether it was taken before (200, nothing done). A new one
 * is answered 202 at once, and only then handed on as hints, so the service
 * never waits on a poll. Nothing here trusts the payload beyond naming what
 * to look at: the looking is done by the same conditional polls as always.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';
import type { DeliveryLog } from './deliveryLog';
import type { WebhookHint, WebhookIntake } from './webhookIntake';
import type { WebhookSettings } from './webhookSettings';

/** GitHub caps a delivery at 25 MB; nothing larger is a real delivery. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const TAG = 'webhooks';

export interface WebhookReceiverDeps {
  intakes: readonly WebhookIntake[];
  deliveries: DeliveryLog;
  /** Called after the answer is sent, with what a new delivery may have changed. */
  onHints(hints: WebhookHint[]): void;
  log: Logger;
  /** Where the bound address is written while listening (`run/webhooks.json`). */
  addressFile: string;
}

export class WebhookReceiver {
  private server: http.Server | undefined;
  private settings: WebhookSettings | undefined;
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WebhookReceiverDeps) {}

  /** Listens as configured (undefined: not at all); a change of address or secrets restarts it. */
  apply(settings: WebhookSettings | undefined): Promise<void> {
    this.applying = this.applying.then(async () => {
      if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
      await this.closeServer();
      this.settings = settings;
      if (settings) await this.listen(settings);
    });
    return this.applying;
  }

  close(): Promise<void> {
    return this.apply(undefined);
  }

  private async listen(settings: WebhookSettings): Promise<void> {
    const server = http.createServer((request, response) => void this.handle(request, response));
    server.requestTimeout = 30_000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.port, settings.host, () => resolve());
      });
    } catch (error) {
      this.deps.log.error(TAG, `could not listen on ${settings.host}:${settings.port}: ${(error as Error).message}; webhook deliveries are not taken (polling goes on)`);
      return;
    }
    server.on('error', (error) => this.deps.log.error(TAG, `receiver: ${error.message}`));
    this.server = server;
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const services = this.deps.intakes.filter((intake) => settings.secrets[intake.service]).map((intake) => intake.service);
    const url = `http://${host}:${address.port}`;
    fs.mkdirSync(path.dirname(this.deps.addressFile), { recursive: true });
    writeFileAtomic(this.deps.addressFile, `${JSON.stringify({ url, services: Object.fromEntries(services.map((service) => [service, `${url}/webhooks/${service}`])), since: new Date().toISOString() }, null, 2)}\n`);
    const unknown = Object.keys(settings.secrets).filter((service) => !services.includes(service));
    if (unknown.length) this.deps.log.warn(TAG, `server.webhooks.secrets: no webhook intake for ${unknown.join(', ')}`);
    this.deps.log.info(TAG, `taking deliveries at ${services.map((service) => `${url}/webhooks/${service}`).join(', ')}`);
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    fs.rmSync(this.deps.addressFile, { force: true });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const answer = (status: number, body: Record<string, unknown>) => {
      if (response.headersSent) return;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    const settings = this.settings;
    const service = /^\/webhooks\/([a-z0-9_-]+)\/?$/.exec(new URL(request.url ?? '/', 'http://receiver').pathname)?.[1];
    const intake = service ? this.deps.intakes.find((candidate) => candidate.service === service) : undefined;
    const secret = intake && settings?.secrets[intake.service];
    if (!intake || !secret) return answer(404, { message: 'Not Found' });
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return answer(405, { message: 'deliveries are POSTed' });
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      // What is left of an oversized body is not read: the answer closes the connection.
      response.setHeader('connection', 'close');
      response.on('finish', () => request.destroy());
      return answer((error as { status?: number }).status ?? 400, { message: (error as Error).message });
    }
    if (!intake.verify(request.headers, body, secret)) {
      this.deps.log.warn(TAG, `${service}: refused a delivery with a missing or wrong signature from ${request.socket.remoteAddress}`);
      return answer(401, { message: 'signature does not match' });
    }
    const id = intake.deliveryId(request.headers);
    if (!id) return answer(400, { message: 'no delivery id' });
    let hints: WebhookHint[];
    try {
      hints = intake.hints(request.headers, payloadOf(request.headers['content-type'], body));
    } catch (error) {
      this.deps.log.warn(TAG, `${service}: delivery ${id} unreadable: ${(error as Error).message}`);
      return answer(400, { message: `unreadable payload: ${(error as Error).message}` });
    }
    if (!this.deps.deliveries.take(intake.service, id)) {
      this.deps.log.info(TAG, `${service}: delivery ${id} was taken before; ignored`);
      return answer(200, { status: 'duplicate', delivery: id });
    }
    answer(202, { status: 'accepted', delivery: id, hints: hints.length });
    this.deps.log.info(TAG, `${service}: delivery ${id} (${hints.map((hint) => hint.event).join(', ') || 'nothing to look at'})`);
    if (hints.length) setImmediate(() => this.deps.onHints(hints));
  }
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.pause();
        request.removeAllListeners('data');
        reject(Object.assign(new Error(`a delivery is at most ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The JSON payload, sent as is or (GitHub's form content type) as the `payload` field. */
function payloadOf(contentType: string | undefined, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new Error('a form delivery without a payload field');
    return JSON.parse(payload);
  }
  return JSON.parse(text);
}
