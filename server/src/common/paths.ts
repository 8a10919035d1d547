/**
 * The layout of `$SUPERKICK_DIR` (default `~/.superkick`). Every path the
 * host, the agent processes and the CLI share is named here.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export interface SuperkickPaths {
  root: string;
  /** Sockets only; 0700. The Docker runtime bind-mounts it, so it holds no secrets. */
  run: string;
  hostSocket: string;
  hostLock: string;
  agentSockets: string;
  /** Tokens; 0700 directory, 0600 files. */
  auth: string;
  clientToken: string;
  hostKey: string;
  state: string;
  agentsState: string;
  /** The cost ledger (cost/costLedger.ts). */
  costState: string;
  /** Which agent reads which CLI session file (cost/usageClaims.ts). */
  usageClaims: string;
  queues: string;
  exits: string;
  screens: string;
  logs: string;
  hostLog: string;
  agentLogs: string;
  recordings: string;
  /** The user's configuration, merged under every workspace's superkick.yml. */
  userConfig: string;
  /** Registered workspaces. */
  workspacesState: string;
  /** What the user trusted in each workspace. */
  trustState: string;
  /** Questions agents asked people (superkick_ask_human) and their answers. */
  questionsState: string;
  /** Each team's log and artifacts, one folder per team (today every agent is its own team). */
  teams: string;
  /** Private per-agent folders (0700): the files that hand the agent's CLI the MCP server. */
  agentFiles: string;
  /** Which notifier was told which event (de-duplication across restarts), and each notifier's last send. */
  notifiedState: string;
  /** Monitors' poll state and what each agent was already given. */
  monitorsState: string;
  /** Which events were turned into agents (spawn/dispatchLedger.ts): exactly-once spawning. */
  dispatchesState: string;
  /** Pending and recent approvals (spawn/approvalStore.ts), and their append-only audit trail. */
  approvalsState: string;
  approvalsAudit: string;
  /** Cache clones of repositories spawned agents work in when they are given by URL. */
  repositoryCache: string;
  /** Spawned agents' worktrees (a runtime's `worktree_root` may put them elsewhere). */
  worktrees: string;
  /** Each dispatch's setup command output. */
  spawnLogs: string;
  /** Webhook delivery ids already taken (webhooks/deliveryLog.ts). */
  webhookDeliveries: string;
  /** Where the webhook receiver listens, while it does. */
  webhooksAddress: string;
}

export function superkickPaths(root = process.env.SUPERKICK_DIR || path.join(os.homedir(), '.superkick')): SuperkickPaths {
  root = path.resolve(root);
  const run = path.join(root, 'run');
  const auth = path.join(root, 'auth');
  const state = path.join(root, 'state');
  const logs = path.join(root, 'logs');
  return {
    root,
    run,
    hostSocket: path.join(run, 'host.sock'),
    hostLock: path.join(run, 'host.lock'),
    agentSockets: path.join(run, 'agents'),
    auth,
    clientToken: path.join(auth, 'client.token'),
    hostKey: path.join(auth, 'host.key'),
    state,
    agentsState: path.join(state, 'agents.json'),
    costState: path.join(state, 'cost.json'),
    usageClaims: path.join(state, 'usage-claims'),
    queues: path.join(state, 'queues.json'),
    exits: path.join(state, 'exits'),
    screens: path.join(state, 'screens'),
    logs,
    hostLog: path.join(logs, 'host.log'),
    agentLogs: path.join(logs, 'agents'),
    recordings: path.join(root, 'recordings'),
    userConfig: path.join(root, 'config.yml'),
    workspacesState: path.join(state, 'workspaces.json'),
    trustState: path.join(state, 'trust.json'),
    questionsState: path.join(state, 'questions.json'),
    teams: path.join(state, 'teams'),
    agentFiles: path.join(state, 'agents'),
    notifiedState: path.join(state, 'notified.json'),
    monitorsState: path.join(state, 'monitors.json'),
    dispatchesState: path.join(state, 'dispatches.json'),
    approvalsState: path.join(state, 'approvals.json'),
    approvalsAudit: path.join(state, 'approvals-audit.jsonl'),
    repositoryCache: path.join(root, 'repositories'),
    worktrees: path.join(root, 'worktrees'),
    spawnLogs: path.join(logs, 'spawns'),
    webhookDeliveries: path.join(state, 'webhook-deliveries.json'),
    webhooksAddress: path.join(run, 'webhooks.json'),
  };
}

export function agentSocketPath(paths: SuperkickPaths, id: string): string {
  return path.join(paths.agentSockets, `${id}.sock`);
}

/** An agent's private folder under `state/agents/`; it also holds the MCP server's record of calls. */
export function agentFilesDir(paths: SuperkickPaths, id: string): string {
  return path.join(paths.agentFiles, id);
}
