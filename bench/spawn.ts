/**
 * Spawning (issue 7, "Speed"): from the spawn request to the agent's program
 * running, in a fresh worktree of a 10,000-file repository, no setup commands.
 * The peer, measured in the same run and interleaved with it, is the raw
 * minimum: `git worktree add -b` and the program started with child_process,
 * until its first output. One round of each goes first, uncounted.
 *
 * Then the same from a remote served over git's smart HTTP on 127.0.0.1
 * (test/fakes/gitHttpServer.ts): the first spawn clones, a small commit is
 * pushed to the remote, and the second spawn fetches only that; the server
 * counts the bytes it sent each time. The peer there is `git clone --bare`,
 * then `git fetch`, each followed by the raw spawn.
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

    // A remote over smart HTTP: the first spawn clones, the second fetches only a new commit.
    const served = path.join(root, 'served');
    fs.mkdirSync(served);
    // Only main: the branches the local spawns made are not the remote's.
    await gitAsync(root, ['clone', '--bare', '--quiet', '--single-branch', '--branch', 'main', repo, path.join(served, 'big.git')]);
    const server = await GitHttpServer.start(served);
    const forgetServer = cleanup.add('the smart-HTTP server', () => server.close());
    const url = server.urlOf('big.git');
    const peerCache = path.join(root, 'peer', 'cache.git');
    const measure = async <T>(run: () => Promise<T>) => {
      server.reset();
      const result = await run();
      const requests = server.requests.map((request) => `${request.method} ${request.service ?? request.path} ${request.bytes}`).join(', ');
      return { result, bytes: server.bytesSent, requests };
    };
    const hostFirst = await measure(() => onHost((spawner) => spawner.spawn('bench-http-1', url)));
    const peerFirst = await measure(() => peer.spawnFromUrl(url, peerCache, path.join(root, 'peer', 'http-1'), 'peer/http-1'));
    fs.writeFileSync(path.join(repo, 'NEWS.md'), 'one small change\n');
    await gitAsync(repo, ['add', 'NEWS.md']);
    await gitAsync(repo, ['commit', '--quiet', '-m', 'a small change']);
    await gitAsync(repo, ['push', '--quiet', path.join(served, 'big.git'), 'main']);
    const hostSecond = await measure(() => onHost((spawner) => spawner.spawn('bench-http-2', url)));
    const peerSecond = await measure(() => peer.spawnFromUrl(url, peerCache, path.join(root, 'peer', 'http-2'), 'peer/http-2'));
    const hostHttpOk = Boolean(hostFirst.result && hostSecond.result);
    log(`  over HTTP, superkick: first ${hostFirst.result?.ms.toFixed(0) ?? '—'} ms, ${hostFirst.bytes} bytes; second ${hostSecond.result?.ms.toFixed(0) ?? '—'} ms, ${hostSecond.bytes} bytes`);
    log(`  over HTTP, peer: first ${peerFirst.result.ms.toFixed(0)} ms, ${peerFirst.bytes} bytes; second ${peerSecond.result.ms.toFixed(0)} ms, ${peerSecond.bytes} bytes`);
    log(`  superkick's second spawn, requests (bytes sent): ${hostSecond.requests}; step by step: ${hostSecond.result ? timeline(hostSecond.result) : '—'}`);
    log(`  the peer's second spawn, requests (bytes sent): ${peerSecond.requests}`);

    await host?.dispose();
    await peer.dispose();
    await server.close();
    forgetServer();

    const note = hostFailure ? `superkick: ${hostFailure}` : undefined;
    const section = `spawn: request to agent running, ${FILES.toLocaleString('en')}-file repository, no setup (peer: git worktree add + child_process)`;
    const p50 = hostLocal.length ? percentile(hostLocal.map((s) => s.ms), 50) : undefined;
    const kb = (bytes: number) => bytes / 1000;
    const httpSection = 'spawn from a smart-HTTP remote on 127.0.0.1 (peer: git clone --bare / git fetch, then the same)';
    return [
      { section, figure: 'spawn to running, p50', unit: 'ms', superkick: p50, tmux: percentile(peerLocal, 50), target: `< ${TARGET_P50_MS} ms`, met: p50 === undefined ? undefined : p50 < TARGET_P50_MS, note },
      { section, figure: 'spawn to running, p95', unit: 'ms', superkick: hostLocal.length ? percentile(hostLocal.map((s) => s.ms), 95) : undefined, tmux: percentile(peerLocal, 95) },
      { section, figure: "StartSpawn's answer, p50", unit: 'ms', superkick: hostLocal.length ? percentile(hostLocal.map((s) => s.answeredMs), 50) : undefined, tmux: undefined },
      { section: httpSection, figure: 'first spawn (clone) to running', unit: 'ms', superkick: hostFirst.result?.ms, tmux: peerFirst.result.ms },
      { section: httpSection, figure: 'second spawn (fetch) to running', unit: 'ms', superkick: hostSecond.result?.ms, tmux: peerSecond.result.ms },
      { section: httpSection, figure: 'bytes sent, first spawn', unit: 'kB', superkick: hostFirst.result ? kb(hostFirst.bytes) : undefined, tmux: kb(peerFirst.bytes) },
      { section: httpSection, figure: 'bytes sent, second spawn', unit: 'kB', superkick: hostSecond.result ? kb(hostSecond.bytes) : undefined, tmux: kb(peerSecond.bytes) },
      {
        section: httpSection,
        figure: 'second / first bytes',
        unit: '%',
        superkick: hostHttpOk ? (hostSecond.bytes / hostFirst.bytes) * 100 : undefined,
        tmux: (peerSecond.bytes / peerFirst.bytes) * 100,
      },
    ];
  } finally {
    await host?.dispose();
    await peer.dispose();
  }
}

/** `repository +2, worktree +41, …, running +538`: when each step of a spawn began. */
function timeline(spawn: HostSpawn): string {
  const marks = [...spawn.steps, { step: 'answered', ms: spawn.answeredMs }, { step: 'running', ms: spawn.ms }].sort((a, b) => a.ms - b.ms);
  return marks.map((mark) => `${mark.step} +${mark.ms.toFixed(0)}`).join(', ');
}
