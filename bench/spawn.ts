/**
 * Spawning (issue 7, "Speed"): from the spawn request to the agent's program
 * running, in a fresh worktree of a 10,000-file repository, no setup commands.
 * The peer, measured in the same run and interleaved with it, is the raw
 * minimum: `git worktree add -b` and the program started with child_process,
 * until its first output. One round of each goes first, uncounted.
 *
 * Then the same from remotes served over git's smart HTTP on 127.0.0.1
 * (test/fakes/gitHttpServer.ts), three of them for a median: the first spawn
 * clones, a small commit is pushed to the remote, and the second spawn
 * fetches only that; the server counts the bytes it sent each time. The peer
 * there is `git clone --bare`, then `git fetch`, each followed by the raw spawn.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitHttpServer } from '../test/fakes/gitHttpServer';
import { BENCH_GIT_ENV, gitAsync, makeBigRepo } from './bigRepo';
import { cleanup, log, now, percentile } from './common';
import { HostSpawner, type HostSpawn } from './hostSpawner';
import { RawSpawner } from './peers/rawSpawn';
import type { Row } from './report';
import type { SuperkickWorld } from './superkick';

const FILES = 10_000;
const SPAWNS = 9;
/** Remotes served over HTTP, each spawned from twice (clone, then fetch). */
const HTTP_ROUNDS = 3;
const TARGET_P50_MS = 1_500;
/** The agent program: prints a prompt, then waits for input like any CLI. */
const PROGRAM = ['sh', '-c', 'printf "ready> "; exec cat'];
const MARKER = 'ready>';

export async function runSpawn(sk: SuperkickWorld, dir: string): Promise<Row[]> {
  // The host's git and ours: the machine's git config must not change what is measured.
  Object.assign(process.env, BENCH_GIT_ENV);
  const root = path.join(dir, 'spawn');
  const repo = path.join(root, 'big');
  const generated = now();
  await makeBigRepo(repo, FILES);
  // Its files go to disk now, not during the first spawns.
  await new Promise<void>((resolve) => execFile('sync', () => resolve()));
  log(`  a repository of ${FILES} files made in ${((now() - generated) / 1000).toFixed(1)} s`);

  const peer = new RawSpawner(PROGRAM, MARKER);
  let host: HostSpawner | undefined;
  let hostFailure: string | undefined;
  const onHost = async (run: (spawner: HostSpawner) => Promise<HostSpawn>): Promise<HostSpawn | undefined> => {
    if (hostFailure) return undefined;
    try {
      host ??= await HostSpawner.open(sk, repo, PROGRAM);
      return await run(host);
    } catch (error) {
      hostFailure = (error as Error).message;
      log(`  superkick spawn failed: ${hostFailure}`);
      return undefined;
    }
  };

  try {
    // A local repository: interleaved, so both sides see the same machine; one round first that is not counted.
    const warmPeer = await peer.spawn(path.join(repo, '.git'), 'main', path.join(root, 'peer', 'warm-up'), 'peer/warm-up');
    const warmHost = await onHost((spawner) => spawner.spawn('bench-warm-up', repo));
    log(`  warm-up round (not counted): peer ${warmPeer.ms.toFixed(0)} ms, superkick ${warmHost?.ms.toFixed(0) ?? '—'} ms`);
    const peerLocal: number[] = [];
    const hostLocal: HostSpawn[] = [];
    for (let i = 0; i < SPAWNS; i++) {
      peerLocal.push((await peer.spawn(path.join(repo, '.git'), 'main', path.join(root, 'peer', `local-${i}`), `peer/local-${i}`)).ms);
      const spawned = await onHost((spawner) => spawner.spawn(`bench-local-${i}`, repo));
      if (spawned) hostLocal.push(spawned);
    }
    log(`  peer (ms): ${peerLocal.map((ms) => ms.toFixed(0)).join(' ')}`);
    log(`  superkick to running (ms): ${hostLocal.map((s) => s.ms.toFixed(0)).join(' ')}`);
    log(`  superkick to StartSpawn's answer (ms): ${hostLocal.map((s) => s.answeredMs.toFixed(0)).join(' ')}`);
    const median = [...hostLocal].sort((a, b) => a.ms - b.ms)[Math.ceil(hostLocal.length / 2) - 1];
    if (median) log(`  the median spawn, step by step (ms after the request): ${timeline(median)}`);

    // Remotes over smart HTTP, one per round: the first spawn clones, the second fetches only a new commit.
    const served = path.join(root, 'served');
    fs.mkdirSync(served);
    const remotes = Array.from({ length: HTTP_ROUNDS }, (_, round) => path.join(served, `big-${round}.git`));
    // Only main: the branches the local spawns made are not the remote's.
    for (const remote of remotes) await gitAsync(root, ['clone', '--bare', '--quiet', '--single-branch', '--branch', 'main', repo, remote]);
    fs.writeFileSync(path.join(repo, 'NEWS.md'), 'one small change\n');
    await gitAsync(repo, ['add', 'NEWS.md']);
    await gitAsync(repo, ['commit', '--quiet', '-m', 'a small change']);
    const server = await GitHttpServer.start(served);
    const forgetServer = cleanup.add('the smart-HTTP server', () => server.close());
    const measure = async <T>(run: () => Promise<T | undefined>): Promise<HttpSpawn<T> | undefined> => {
      server.reset();
      const result = await run();
      const requests = server.requests.map((request) => `${request.method} ${request.service ?? request.path} ${request.bytes}`).join(', ');
      return result === undefined ? undefined : { result, bytes: server.bytesSent, requests };
    };
    const hostHttp: Array<{ first: HttpSpawn<HostSpawn>; second: HttpSpawn<HostSpawn> }> = [];
    const peerHttp: Array<{ first: HttpSpawn<{ ms: number }>; second: HttpSpawn<{ ms: number }> }> = [];
    for (const [round, remote] of remotes.entries()) {
      const url = server.urlOf(path.basename(remote));
      const peerCache = path.join(root, 'peer', `cache-${round}.git`);
      const hostSpawn = (n: number) => measure(() => onHost((spawner) => spawner.spawn(`bench-http-${round}-${n}`, url)));
      const peerSpawn = (n: number) => measure(() => peer.spawnFromUrl(url, peerCache, path.join(root, 'peer', `http-${round}-${n}`), `peer/http-${round}-${n}`));
      // Who goes first alternates, so neither always meets a colder machine.
      const both = async (n: number) => (round % 2 ? { peer: await peerSpawn(n), host: await hostSpawn(n) } : { host: await hostSpawn(n), peer: await peerSpawn(n) });
      const first = await both(1);
      await gitAsync(repo, ['push', '--quiet', remote, 'main']);
      const second = await both(2);
      if (first.host && second.host) hostHttp.push({ first: first.host, second: second.host });
      peerHttp.push({ first: first.peer!, second: second.peer! });
      log(`  over HTTP, round ${round + 1}: superkick first ${first.host?.result.ms.toFixed(0) ?? '—'} ms, ${first.host?.bytes ?? '—'} bytes; second ${second.host?.result.ms.toFixed(0) ?? '—'} ms, ${second.host?.bytes ?? '—'} bytes`);
      log(`  over HTTP, round ${round + 1}: peer first ${first.peer!.result.ms.toFixed(0)} ms, ${first.peer!.bytes} bytes; second ${second.peer!.result.ms.toFixed(0)} ms, ${second.peer!.bytes} bytes`);
    }
    const lastHost = hostHttp.at(-1);
    if (lastHost) log(`  superkick's second spawn, requests (bytes sent): ${lastHost.second.requests}; step by step: ${timeline(lastHost.second.result)}`);
    log(`  the peer's second spawn, requests (bytes sent): ${peerHttp.at(-1)?.second.requests}`);

    await host?.dispose();
    await peer.dispose();
    await server.close();
    forgetServer();

    const note = hostFailure ? `superkick: ${hostFailure}` : undefined;
    const section = `spawn: request to agent running, ${FILES.toLocaleString('en')}-file repository, no setup (peer: git worktree add + child_process)`;
    const p50 = hostLocal.length ? percentile(hostLocal.map((s) => s.ms), 50) : undefined;
    const kb = (bytes: number) => bytes / 1000;
    const httpSection = `spawn from a smart-HTTP remote on 127.0.0.1, median of ${HTTP_ROUNDS} remotes (peer: git clone --bare / git fetch, then the same)`;
    return [
      { section, figure: 'spawn to running, p50', unit: 'ms', superkick: p50, tmux: percentile(peerLocal, 50), target: `< ${TARGET_P50_MS} ms`, met: p50 === undefined ? undefined : p50 < TARGET_P50_MS, note },
      { section, figure: 'spawn to running, p95', unit: 'ms', superkick: hostLocal.length ? percentile(hostLocal.map((s) => s.ms), 95) : undefined, tmux: percentile(peerLocal, 95) },
      { section, figure: "StartSpawn's answer, p50", unit: 'ms', superkick: hostLocal.length ? percentile(hostLocal.map((s) => s.answeredMs), 50) : undefined, tmux: undefined },
      { section: httpSection, figure: 'first spawn (clone) to running', unit: 'ms', superkick: medianOf(hostHttp, (r) => r.first.result.ms), tmux: medianOf(peerHttp, (r) => r.first.result.ms) },
      { section: httpSection, figure: 'second spawn (fetch) to running', unit: 'ms', superkick: medianOf(hostHttp, (r) => r.second.result.ms), tmux: medianOf(peerHttp, (r) => r.second.result.ms) },
      { section: httpSection, figure: 'bytes sent, first spawn', unit: 'kB', superkick: medianOf(hostHttp, (r) => kb(r.first.bytes)), tmux: medianOf(peerHttp, (r) => kb(r.first.bytes)) },
      { section: httpSection, figure: 'bytes sent, second spawn', unit: 'kB', superkick: medianOf(hostHttp, (r) => kb(r.second.bytes)), tmux: medianOf(peerHttp, (r) => kb(r.second.bytes)) },
      { section: httpSection, figure: 'second / first bytes', unit: '%', superkick: medianOf(hostHttp, (r) => (r.second.bytes / r.first.bytes) * 100), tmux: medianOf(peerHttp, (r) => (r.second.bytes / r.first.bytes) * 100) },
    ];
  } finally {
    await host?.dispose();
    await peer.dispose();
  }
}

interface HttpSpawn<T> {
  result: T;
  /** Response body bytes the server sent during the spawn. */
  bytes: number;
  /** Each request, for the log. */
  requests: string;
}

function medianOf<T>(rounds: T[], value: (round: T) => number): number | undefined {
  return rounds.length ? percentile(rounds.map(value), 50) : undefined;
}

/** `repository +2, worktree +41, …, running +538`: when each step of a spawn began. */
function timeline(spawn: HostSpawn): string {
  const marks = [...spawn.steps, { step: 'answered', ms: spawn.answeredMs }, { step: 'running', ms: spawn.ms }].sort((a, b) => a.ms - b.ms);
  return marks.map((mark) => `${mark.step} +${mark.ms.toFixed(0)}`).join(', ');
}
