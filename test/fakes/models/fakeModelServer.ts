/**
 * One HTTP server on 127.0.0.1 that speaks the three vendors' model APIs
 * (Anthropic, OpenAI Responses, Gemini), for the real agent CLIs in tests.
 * It records every agent turn it answered so tests can check what the model
 * was actually sent, and wakes waiters as turns arrive.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { whenEvent } from '../../helpers/waitFor';
import { anthropicTurn, answerAnthropic } from './anthropic';
import { answerOpenai, openaiTurn } from './openai';
import { answerGeminiJson, answerGeminiStream, geminiTurn } from './gemini';
import { replyTo, type Turn } from './reply';

export class FakeModelServer {
  readonly turns: Turn[] = [];
  /** Requests it did not recognise, for a clear failure message. */
  readonly unknown: string[] = [];
  private readonly listeners = new Set<() => void>();
  private held: { vendor: Turn['vendor']; released: Promise<void> } | undefined;

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeModelServer> {
    const server = http.createServer();
    const fake = new FakeModelServer(server);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the first recorded turn of `vendor` (from index `from`) that `match` accepts. */
  turn(vendor: Turn['vendor'], match: (turn: Turn) => boolean, what: string, from = 0): Promise<Turn> {
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => this.turns.slice(from).find((turn) => turn.vendor === vendor && match(turn)),
      `${vendor}: ${what} (turns so far: ${JSON.stringify(this.turns.filter((t) => t.vendor === vendor))}; unknown requests: ${this.unknown.join(', ') || 'none'})`,
      120_000,
    );
  }

  /** Leaves the vendor's next turn unanswered until `release` is called: the CLI stays busy meanwhile. */
  hold(vendor: Turn['vendor']): { release: () => void } {
    let release!: () => void;
    this.held = { vendor, released: new Promise<void>((resolve) => (release = resolve)) };
    return { release };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON body' } }));
      return;
    }
    if (request.method === 'POST' && url.pathname === '/v1/messages') {
      const turn = anthropicTurn(body);
      answerAnthropic(response, body, turn ? await this.record(turn) : { text: 'Fake title' });
    } else if (request.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 120 }));
    } else if (request.method === 'POST' && url.pathname === '/v1/responses') {
      const turn = openaiTurn(body);
      answerOpenai(response, body, turn ? await this.record(turn) : { text: 'Fake title' });
    } else if (request.method === 'POST' && /^\/v1beta\/models\/[^/:]+:streamGenerateContent$/.test(url.pathname)) {
      const turn = geminiTurn(body);
      answerGeminiStream(response, turn ? await this.record(turn) : { text: 'Fake' }, body);
    } else if (request.method === 'POST' && /^\/v1beta\/models\/[^/:]+:generateContent$/.test(url.pathname)) {
      answerGeminiJson(response);
    } else if (request.method === 'POST' && /^\/v1beta\/models\/[^/:]+:countTokens$/.test(url.pathname)) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ totalTokens: 120 }));
    } else {
      // HEAD / (Claude Code's reachability probe) and anything else: a plain 404, as the real APIs answer unknown paths.
      if (request.method !== 'HEAD' || url.pathname !== '/') this.unknown.push(`${request.method} ${url.pathname}`);
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'not_found_error', message: 'Not found' } }));
    }
  }

  private async record(turn: Turn) {
    this.turns.push(turn);
    for (const listener of [...this.listeners]) listener();
    if (this.held?.vendor === turn.vendor) {
      const { released } = this.held;
      this.held = undefined;
      await released;
    }
    return replyTo(turn);
  }
}
