/**
 * What a commit's CI says, once all of it has finished: failed (naming the
 * failing checks) or passed. CI is the check runs (GitHub Actions and apps)
 * and the commit statuses (older CI services), the latter read as runs by
 * `statusesAsRuns`. Only the newest run of each check counts, as a re-run
 * adds a run with the same name. The pull request
 * monitor, the failing-check spawner and the `github` goal all judge CI here,
 * so they never disagree about a commit.
 */
type Json = Record<string, unknown>;

/** Conclusions that mean the check did not pass. */
const FAILING = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);
/** Conclusions that count as passing (GitHub's own merge box treats neutral and skipped as fine). */
const PASSING = new Set(['success', 'neutral', 'skipped']);

export interface CheckRunFacts extends Json {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string;
}

export type ChecksVerdict =
  | { state: 'none' }
  | { state: 'running'; runs: CheckRunFacts[] }
  | { state: 'failed'; runs: CheckRunFacts[]; failed: CheckRunFacts[] }
  | { state: 'passed'; runs: CheckRunFacts[] }
  /** Finished, none failed, but not all passed (a conclusion GitHub may add later). */
  | { state: 'unclear'; runs: CheckRunFacts[] };

export function checksVerdict(checkRuns: Json[]): ChecksVerdict {
  const runs = latestRunPerName(checkRuns);
  if (!runs.length) return { state: 'none' };
  if (runs.some((run) => run.status !== 'completed')) return { state: 'running', runs };
  const failed = runs.filter((run) => run.conclusion !== null && FAILING.has(run.conclusion));
  if (failed.length) return { state: 'failed', runs, failed };
  if (runs.every((run) => run.conclusion !== null && PASSING.has(run.conclusion))) return { state: 'passed', runs };
  return { state: 'unclear', runs };
}

/**
 * Commit statuses (`GET /commits/{ref}/status`'s `statuses`, the newest per
 * context) as check runs: pending is still running, error counts as failure,
 * the description is the title and the target URL the link. Marked `status`,
 * as they have no job log to read.
 */
export function statusesAsRuns(statuses: Json[]): Json[] {
  return statuses.map((status) => ({
    id: status.id,
    name: status.context,
    status: status.state === 'pending' ? 'in_progress' : 'completed',
    conclusion: status.state === 'pending' ? null : status.state === 'success' ? 'success' : 'failure',
    started_at: status.created_at,
    completed_at: status.state === 'pending' ? null : status.updated_at,
    html_url: status.target_url,
    output: { title: status.description ?? null },
    head_sha: null,
    commitStatus: true,
  }));
}

/** A run read from a commit status (no log to fetch). */
export function isCommitStatus(run: Json): boolean {
  return run.commitStatus === true;
}

function latestRunPerName(runs: Json[]): CheckRunFacts[] {
  const byName = new Map<string, CheckRunFacts>();
  for (const raw of runs) {
    const run: CheckRunFacts = { ...raw, id: Number(raw.id), name: String(raw.name ?? ''), status: String(raw.status ?? ''), conclusion: typeof raw.conclusion === 'string' ? raw.conclusion : null, started_at: String(raw.started_at ?? '') };
    const known = byName.get(run.name);
    if (!known || run.started_at > known.started_at || (run.started_at === known.started_at && run.id > known.id)) byName.set(run.name, run);
  }
  return [...byName.values()];
}
