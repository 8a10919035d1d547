/**
 * A real git smart-HTTP server on 127.0.0.1 for tests and the bench: every
 * request runs `git http-backend` as a CGI program over the bare repositories
 * in one folder, so clients speak to real git (protocol v2, gzip'd request
 * bodies, packs) and nothing about the wire is imitated.
 *
 * It counts the response body bytes of every request, which is how a test
 * sees that a second fetch from the same remote downloads only what is new.
 * `failWith` makes it answer every request with an error status instead, to
 * see how clients report a broken server.
 *
 * Only node:http and child_process; CGI per RFC 3875 and
 * https://git-scm.com/docs/git-http-backend.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpRequest {
  method: string;
  /** The URL path, e.g. `/repo.git/info/refs`. */
  path: string;
  /** `git-upload-pack` or `git-receive-pack` (from `?service=` or the path), or null for anything else. */
  service: string | null;
  status: number;
  /** The request body's Content-Encoding (git gzips large ones), or null. */
  contentEncoding: string | null;
  /** Response body bytes sent (headers not counted). */
  bytes: number;
}

/** CGI headers come before the body; more than this without the blank line is a broken backend. */
const MAX_CGI_HEADER_BYTES = 64 * 1024;
const SERVICE = /(git-upload-pack|git-receive-pack)$/;

export class GitHttpServer {
  readonly requests: GitHttpRequest[] = [];
  /** Stderr of backends that failed, for a test's failure message. */
  readonly backendErrors: string[] = [];
  private failure: { status: number; message: string } | undefined;
  private readonly backends = new Set<import('node:child_process').ChildProcess>();

  private constructor(
    private readonly server: http.Server,
    /** The folder of bare repositories (`repo.git` is served as `/repo.git`). */
    readonly root: string,
  ) {}

  /** Serves the bare repositories under `root` on 127.0.0.1 at a free port. */
  static async start(root: string): Promise<GitHttpServer> {
    let self: GitHttpServer | undefined;
    const server = http.createServer((request, response) => self!.handle(request, response));
    self = new GitHttpServer(server, root);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The clone URL of a repository under the root, e.g. `urlOf('repo.git')`. */
  urlOf(name: string): string {
    return `http://127.0.0.1:${this.port}/${name}`;
  }

  /** Response body bytes sent since the start (or the last reset). */
  get bytesSent(): number {
    return this.requests.reduce((sum, request) => sum + request.bytes, 0);
  }

  /** Forgets the requests counted so far. */
  reset(): void {
    this.requests.length = 0;
    this.backendErrors.length = 0;
  }

  /** From now on every request is answered with this status (null: serve normally again). */
  failWith(status: number | null, message = 'failing on purpose'): void {
    this.failure = status === null ? undefined : { status, message };
  }

  async close(): Promise<void> {
    for (const backend of this.backends) backend.kill('SIGKILL');
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const record: GitHttpRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      service: url.searchParams.get('service') ?? SERVICE.exec(url.pathname)?.[1] ?? null,
      status: 0,
      contentEncoding: request.headers['content-encoding'] ?? null,
      bytes: 0,
    };
    this.requests.push(record);
    const send = (status: number, body: string) => {
      record.status = status;
      record.bytes += Buffer.byteLength(body);
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    };
    if (this.failure) {
      request.resume();
      send(this.failure.status, `${this.failure.message}\n`);
      return;
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GIT_PROJECT_ROOT: this.root,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
      REQUEST_METHOD: record.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    };
    const contentType = request.headers['content-type'];
    if (contentType) env.CONTENT_TYPE = contentType;
    // Without a length (a chunked upload) the backend reads the body to its end.
    const contentLength = request.headers['content-length'];
    if (contentLength) env.CONTENT_LENGTH = contentLength;
    // A gzip'd body passes through as is: the backend inflates it itself.
    if (record.contentEncoding) env.HTTP_CONTENT_ENCODING = record.contentEncoding;
    // Protocol v2 is asked for in this header; the backend hands it on to upload-pack.
    const protocol = request.headers['git-protocol'];
    if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol;

    const backend = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.backends.add(backend);
    const stderr: Buffer[] = [];
    backend.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A client that goes away mid-request closes our end of the pipe; that is not our error.
    backend.stdin.on('error', () => undefined);
    request.pipe(backend.stdin);

    let header = Buffer.alloc(0);
    let headersSent = false;
    const fail = (why: string) => {
      if (headersSent) response.destroy();
      else send(502, `git http-backend ${why}\n`);
      backend.kill('SIGKILL');
    };
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        record.bytes += chunk.length;
        if (!response.write(chunk)) {
          backend.stdout.pause();
          response.once('drain', () => backend.stdout.resume());
        }
        return;
      }
      header = Buffer.concat([header, chunk]);
      const end = headerEnd(header);
      if (!end) {
        if (header.length > MAX_CGI_HEADER_BYTES) fail(`sent more than ${MAX_CGI_HEADER_BYTES} bytes without ending its headers`);
        return;
      }
      const { status, headers } = parseCgiHeaders(header.subarray(0, end.at).toString('latin1'));
      record.status = status;
      response.writeHead(status, headers);
      headersSent = true;
      const body = header.subarray(end.at + end.length);
      if (body.length) {
        record.bytes += body.length;
        response.write(body);
      }
    });
    backend.on('error', (error) => fail(`could not start: ${error.message}`));
    backend.on('close', (code) => {
      this.backends.delete(backend);
      if (code !== 0 || record.status >= 500) this.backendErrors.push(`${record.method} ${record.path}: exit ${code}: ${Buffer.concat(stderr).toString()}`);
      if (!headersSent) {
        send(502, `git http-backend ended (exit ${code}) before its headers: ${Buffer.concat(stderr).toString()}`);
        return;
      }
      response.end();
    });
    response.on('close', () => {
      if (backend.exitCode === null) backend.kill('SIGKILL');
    });
  }
}

/** Where the CGI header block ends: a blank line, with CRLF or LF line ends. */
function headerEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}

/** CGI response headers: `Status: 404 Not Found` sets the status; the rest go to the client. */
function parseCgiHeaders(text: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { status, headers };
}
