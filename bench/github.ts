/**
 * `github`: what watching pull requests costs in GitHub requests. Twenty
 * open pull requests, each watched by two agents (its author and a
 * reviewer on the same branch), polled every 30 s for one hour of simulated
 * time; in that hour each pull request's check run finishes (failure or
 * success) and a collaborator comments, at minutes drawn from a fixed seed.
 *
 * Superkick's side is the real MonitorManager with the real `github`
 * monitor kind against the fake GitHub (test/fakes/github/), its clock
 * stepped 30 s at a time (no sleeps); the peer is a naive poller per agent
 * (bench/peers/naiveGithubPoller.ts) making the same reads without
 * conditional headers and without sharing, against a fresh fake with the
 * same pull requests and the same changes. Both are counted from the fake's
 * request log: every request, the 304s, and those that count against the
 * rate limit.
 */
import * as path from 'node:path';
import type { Logger } from '../server/src/common/logger';
import type { EffectiveConfig } from '../server/src/config/sections';
import { MonitorManager } from '../server/src/monitors/monitorManager';
import type { AgentRecord } from '../server/src/protocol';
import { TemplateEngines } from '../server/src/templates/engines';
import { FakeGithubServer, fakeSha, type CheckConclusion, type LoggedRequest } from '../test/fakes/github';
import { log, now, seededRandom, tempDir } from './common';
import { NaiveGithubPoller } from './peers/naiveGithubPoller';
import { SteppedClock } from '../test/helpers/steppedClock';
import type { Row } from './report';

const PULLS = 20;
const AGENTS_PER_PULL = 2;
const INTERVAL_S = 30;
const HOUR_S = 3600;
const SEED = 0x5eed;
const OWNER = 'acme';
const REPO = 'app';
const FULL_NAME = `${OWNER}/${REPO}`;
const TOKEN = 'bench-bot-token';
/**
 * The same quota for both sides, large enough that neither is ever refused
 * within the hour: the naive peer needs about 29,000 requests on one token,
 * far past GitHub's 5,000 an hour, and would otherwise spend most of it waiting.
 */
const RATE_LIMIT = 1_000_000;
/** Each pull request tells each agent two things in the hour: its CI result and the new comment. */
const CHANGES_PER_PULL = 2;
const SECTION = `GitHub, ${PULLS} PRs x ${AGENTS_PER_PULL} agents, 1 h polled every ${INTERVAL_S} s (peer: a naive poller per agent, no conditional requests)`;

interface WatchedPull {
  number: number;
  branch: string;
  checkRunId: number;
}

/** What happens to one pull request during the hour (seconds from the start). */
interface PullPlan {
  checkFinishesAtS: number;
  conclusion: CheckConclusion;
  commentAtS: number;
}

interface SideResult {
  requests: LoggedRequest[];
  /** Messages handed to agents (superkick) or changes the pollers noticed (peer). */
  told: number;
  seconds: number;
}

interface SuperkickResult extends SideResult {
  warnings: string[];
  /** Agents told anything other than their own pull request's CI result and new comment, once each. */
  misinformed: string[];
}


function planTheHour(): PullPlan[] {
  const random = seededRandom(SEED);
  // Whole minutes from 1 to 59, so every change is seen before the hour ends.
  const minute = () => 60 * (1 + Math.floor(random() * 59));
  return Array.from({ length: PULLS }, () => ({ checkFinishesAtS: minute(), conclusion: random() < 0.5 ? 'failure' : 'success', commentAtS: minute() }));
}

/** A fake GitHub with the twenty pull requests, each with a running check and some history. */
async function openFakeGithub(): Promise<{ github: FakeGithubServer; pulls: WatchedPull[] }> {
  const github = await FakeGithubServer.start({ rateLimit: RATE_LIMIT });
  // Only `advance` moves its time: timestamps follow the simulated hour.
  github.clock.freeze();
  const { state } = github;
  state.addUser({ login: 'superkick-bot', token: TOKEN });
  state.addRepository({ owner: OWNER, name: REPO, collaborators: { 'superkick-bot': 'write', ana: 'write', ben: 'write' } });
  const pulls: WatchedPull[] = [];
  for (let i = 1; i <= PULLS; i++) {
    const branch = `feature/change-${i}`;
    const sha = fakeSha(`${FULL_NAME}@${branch}`);
    const { number } = state.openPullRequest(FULL_NAME, { title: `Change ${i}`, author: 'superkick-bot', head: { ref: branch, sha } });
    const run = state.createCheckRun(FULL_NAME, { headSha: sha, name: 'test', status: 'in_progress' });
    state.commentOnIssue(FULL_NAME, number, { author: 'ana', body: 'Thanks, I will look at it today.' });
    state.addReview(FULL_NAME, number, { author: 'ben', state: 'COMMENTED', body: 'A first pass.' });
    state.addReviewComment(FULL_NAME, number, { author: 'ben', body: 'Could this be a constant?', path: 'src/index.ts', line: 12 });
    pulls.push({ number, branch, checkRunId: run.id });
  }
  return { github, pulls };
}

/** Applies the changes planned at `atS`: a check run finishing, a collaborator's comment. */
function applyChanges(github: FakeGithubServer, pulls: WatchedPull[], plans: PullPlan[], atS: number): void {
  pulls.forEach((pull, i) => {
    const plan = plans[i];
    if (plan.checkFinishesAtS === atS) {
      const failed = plan.conclusion === 'failure';
      github.state.finishCheckRun(FULL_NAME, pull.checkRunId, plan.conclusion, {
        output: { title: failed ? '1 test failed' : 'All tests passed' },
        log: failed ? 'PASS a.test\nFAIL b.test\nAssertionError: expected 1, got 2\n' : 'PASS a.test\nPASS b.test\n',
      });
    }
    if (plan.commentAtS === atS) github.state.commentOnIssue(FULL_NAME, pull.number, { author: 'ana', body: `Please also handle the empty case in change ${i + 1}.` });
  });
}

/** Plays the hour: every 30 s the fake's time moves, the planned changes land, then `step` lets the watchers poll. */
async function playTheHour(github: FakeGithubServer, pulls: WatchedPull[], plans: PullPlan[], step: () => Promise<void>): Promise<void> {
  for (let atS = INTERVAL_S; atS <= HOUR_S; atS += INTERVAL_S) {
    github.clock.advance(INTERVAL_S * 1000);
    applyChanges(github, pulls, plans, atS);
    await step();
  }
}

function agentRecord(id: string, pull: WatchedPull, workspace: string): AgentRecord {
  return {
    id, name: id, driver: 'claude', command: 'claude', args: [], cwd: workspace, state: 'working', pid: null, childPid: null,
    createdAt: new Date().toISOString(), exitedAt: null, exitCode: null, signal: null, viewers: 0, connected: true,
    attachSocket: null, recording: null, workspace, assignment: { branch: pull.branch }, goal: null, hold: null, progress: null, cost: null,
  };
}

/** Who watches each pull request: AGENTS_PER_PULL agents on its branch. */
const ROLES = ['author', 'reviewer'].slice(0, AGENTS_PER_PULL);

async function runSuperkick(plans: PullPlan[]): Promise<SuperkickResult> {
  const started = now();
  const { github, pulls } = await openFakeGithub();
  const workspace = tempDir('skgh');
  const warnings: string[] = [];
  const quiet: Logger = { error: (tag, message) => warnings.push(`${tag}: ${message}`), warn: (tag, message) => warnings.push(`${tag}: ${message}`), info: () => {}, debug: () => {} };
  const watchers = pulls.flatMap((pull, i) => ROLES.map((role) => ({ record: agentRecord(`${role}-${pull.number}`, pull, workspace), pull, plan: plans[i] })));
  const agents = watchers.map((watcher) => watcher.record);
  const monitors = { pr: { type: 'github', repository: FULL_NAME, token: TOKEN, base_url: github.url, poll_interval: INTERVAL_S } };
  const clock = new SteppedClock(github.clock.now());
  const told = new Map<string, string[]>(agents.map((agent) => [agent.id, []]));
  const manager = new MonitorManager({
    registry: { list: () => agents, on: () => undefined },
    configs: { configOf: (): EffectiveConfig => ({ monitors }), allStatuses: () => [], on: () => undefined },
    queue: {
      enqueue: (agentId, message) => {
        told.get(agentId)?.push(message.dedupeKey ?? '');
        return { message: {} as never, position: 1 };
      },
      agentChanged: () => {},
    },
    templates: new TemplateEngines(quiet),
    file: path.join(workspace, 'monitors.json'),
    log: quiet,
    clock,
    // The middle of the jitter range: every poll exactly 30 s after the last.
    random: () => 0.5,
  });
  try {
    manager.start();
    await manager.settled();
    await clock.advance(0, () => manager.settled());
    await playTheHour(github, pulls, plans, () => clock.advance(INTERVAL_S * 1000, () => manager.settled()));
    const misinformed = watchers
      .filter(({ record, pull, plan }) => !toldRightly(told.get(record.id)!, pull, plan))
      .map(({ record }) => `${record.id}: ${told.get(record.id)!.join(', ') || 'nothing'}`);
    const count = [...told.values()].reduce((sum, keys) => sum + keys.length, 0);
    return { requests: [...github.log.entries], told: count, misinformed, warnings, seconds: (now() - started) / 1000 };
  } finally {
    manager.stop();
    await manager.settled();
    await github.stop();
  }
}

/**
 * An agent's messages (their dedupe keys, `monitor:github:<url>/<repo>#<n>#<event id>`)
 * are its own pull request's CI result, with the planned conclusion, and the one new comment.
 */
function toldRightly(dedupeKeys: string[], pull: WatchedPull, plan: PullPlan): boolean {
  const events = dedupeKeys.map((key) => new RegExp(`^monitor:github:.*/${FULL_NAME}#${pull.number}#(\\w+):`).exec(key)?.[1] ?? key).sort();
  return JSON.stringify(events) === JSON.stringify([`ci_${plan.conclusion}`, 'pr_comment'].sort());
}

async function runNaivePeer(plans: PullPlan[]): Promise<SideResult> {
  const started = now();
  const { github, pulls } = await openFakeGithub();
  const pollers = pulls.flatMap((pull) => ROLES.map(() => new NaiveGithubPoller({ baseUrl: github.url, token: TOKEN, owner: OWNER, repo: REPO, branch: pull.branch })));
  const pollAll = async () => void (await Promise.all(pollers.map((poller) => poller.poll())));
  try {
    await Promise.all(pollers.map((poller) => poller.start()));
    await pollAll();
    await playTheHour(github, pulls, plans, pollAll);
    return { requests: [...github.log.entries], told: pollers.reduce((sum, poller) => sum + poller.changesNoticed, 0), seconds: (now() - started) / 1000 };
  } finally {
    await github.stop();
  }
}

/** What a request was for, to show where the counted ones go. */
function purpose(request: LoggedRequest): string {
  const pathname = request.path.split('?')[0];
  if (/\/pulls$/.test(pathname)) return 'finding the PR';
  if (pathname.includes('/collaborators/')) return 'permission lookups';
  if (pathname.includes('/actions/jobs/') || pathname.startsWith('/_fake/job-logs/')) return 'job logs';
  return 'polls';
}

function breakdown(requests: LoggedRequest[]): string {
  const counted = new Map<string, number>();
  for (const request of requests) if (request.counted) counted.set(purpose(request), (counted.get(purpose(request)) ?? 0) + 1);
  return [...counted].map(([what, count]) => `${what} ${count}`).join(', ');
}

const share = (part: number, whole: number) => (whole ? (100 * part) / whole : Number.NaN);

export async function runGithub(): Promise<Row[]> {
  const plans = planTheHour();
  const superkick = await runSuperkick(plans);
  log(`  superkick: ${superkick.requests.length} requests in ${superkick.seconds.toFixed(1)} s`);
  const peer = await runNaivePeer(plans);
  log(`  naive peer: ${peer.requests.length} requests in ${peer.seconds.toFixed(1)} s`);
  if (superkick.warnings.length) log(`  the monitor logged ${superkick.warnings.length} warnings, the first: ${superkick.warnings[0]}`);
  for (const wrong of superkick.misinformed) log(`  told the wrong things: ${wrong}`);

  const notModified = (side: SideResult) => side.requests.filter((request) => request.status === 304).length;
  const counted = (side: SideResult) => side.requests.filter((request) => request.counted).length;
  const failed = (side: SideResult) => side.requests.filter((request) => request.status >= 400).length;
  const expected = PULLS * AGENTS_PER_PULL * CHANGES_PER_PULL;
  const skShare = share(notModified(superkick), superkick.requests.length);
  const countedRatio = counted(superkick) / counted(peer);
  return [
    {
      section: SECTION,
      figure: 'requests made',
      unit: 'req',
      superkick: superkick.requests.length,
      tmux: peer.requests.length,
      note: `answered 4xx/5xx: superkick ${failed(superkick)}, peer ${failed(peer)}. Both sides had a quota of ${RATE_LIMIT.toLocaleString('en-US')} an hour on the one token, so neither was refused or waited.`,
    },
    {
      section: SECTION,
      figure: 'share answered 304 Not Modified',
      unit: '%',
      superkick: skShare,
      tmux: share(notModified(peer), peer.requests.length),
      target: '>= 90 %',
      met: skShare >= 90,
    },
    {
      section: SECTION,
      figure: 'requests counted against the rate limit',
      unit: 'req',
      superkick: counted(superkick),
      tmux: counted(peer),
      target: '< 0.10x peer',
      met: countedRatio < 0.1,
      note: `superkick: ${breakdown(superkick.requests)}; peer: ${breakdown(peer.requests)}.`,
    },
    {
      section: SECTION,
      figure: 'changes told to agents',
      unit: 'msg',
      superkick: superkick.told,
      tmux: peer.told,
      target: `= ${expected} (CI result + comment, per PR, per agent)`,
      met: superkick.told === expected && !superkick.misinformed.length,
      note: `superkick: messages the manager queued for agents (${superkick.misinformed.length ? `${superkick.misinformed.length} agents told the wrong things, see the log` : `each agent its own PR's CI result and comment, once`}); peer: changes the pollers noticed.`,
    },
  ];
}
