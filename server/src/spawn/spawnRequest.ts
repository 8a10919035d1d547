/**
 * One request to turn a piece of work into an agent: what the spawn pipeline
 * needs, as JSON. It is saved in the dispatch ledger when the key is claimed,
 * so a host that restarts mid-spawn resumes from exactly what was asked.
 */
import type { RepositorySourceConfig } from '../repository';

/** Where the agent works: an entry under `repositories:`, or a source given directly (`{ local: "/src/app" }`, `{ git: "https://…" }`). */
export type RepositoryChoice = { entry: string } | RepositorySourceConfig;

export interface SpawnRequest {
  /** The dispatch key: the same work always has the same key. */
  key: string;
  workspace: string | null;
  /** The spawner entry whose settings apply; null for `superkick spawn` without --spawner. */
  spawner: string | null;
  /** One line for people: what the work is. */
  summary: string;
  /** The kickoff template (a name like `core/kickoff`); null: the spawner's or the shipped default. */
  template: string | null;
  /**
   * The kickoff's variables: the event as seen when it arrived (outside text
   * included). This is what an approval freezes and what the agent is told.
   */
  vars: Record<string, unknown>;
  /** Null: the spawner's `repository`, else the workspace's own repository. */
  repository: RepositoryChoice | null;
  /** A branch, tag or commit to start from (a failing check's branch); null: the repository's base. */
  baseRef: string | null;
  /** The new branch's name; null: rendered from the repository's pattern. */
  branch: string | null;
  /** Over the spawner's and the workspace's `agents:` settings. */
  agent: { driver?: string; command?: string; args?: string[] };
  /** Over the spawner's goal. */
  goal: string | null;
  /** For a workflow step: the agent of the step before. */
  previousAgent: string | null;
  /** Who asked: `cli`, `spawner`, `workflow`. */
  requestedBy: string;
}
