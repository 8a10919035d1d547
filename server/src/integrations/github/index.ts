/**
 * GitHub: the monitor of an agent's pull request (checks, reviews, comments,
 * conflicts), the spawner of labelled issues, and the goal of a closed issue,
 * on one client (githubClient.ts), drops and templates. Registered in
 * ../index.ts, one entry per section.
 */
import type { Integration } from '../integration';
import { githubMonitorKind } from './githubMonitorKind';
import { issueGoalKind } from './issueGoalKind';
import { issueSpawnerKind } from './issueSpawnerKind';

/** Keys every GitHub entry takes to reach GitHub. */
export const GITHUB_CONNECTION_KEYS = {
  token: { description: 'A GitHub token (default: $GITHUB_TOKEN). Write it as <%= env("GITHUB_TOKEN") %>, never in the file.', type: 'string', minLength: 1 },
  app_id: { description: 'A GitHub App instead of a token: its id (with private_key and installation_id).', type: ['string', 'integer'] },
  private_key: { description: "The GitHub App's private key (PEM), as <%= env(\"GITHUB_APP_KEY\") %>.", type: 'string', minLength: 1 },
  installation_id: { description: "The App's installation on your account or organization.", type: 'integer', minimum: 1 },
  base_url: { description: 'GitHub Enterprise Server: its API, https://HOST/api/v3 (default https://api.github.com, or $GITHUB_API_URL).', type: 'string', pattern: '^https?://' },
} as const;

export const githubMonitor: Integration = {
  type: 'github',
  section: 'monitors',
  summary: "Watches the open pull request of the agent's branch: failing or passing checks (with the failing job's log), new reviews and comments from people with write access, and conflicts.",
  configSchema: {
    type: 'object',
    properties: {
      ...GITHUB_CONNECTION_KEYS,
      repository: { description: "owner/name (default: the agent's repository, or its clone's origin on GitHub).", type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' },
      allowed_authors: { description: "Only these logins' reviews and comments reach the agent (default: everyone with write access to the repository).", type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
  },
  monitor: githubMonitorKind,
  setupSnippet: `pull_request:
  type: github
  # token: <%= env("GITHUB_TOKEN") %>   # default: $GITHUB_TOKEN
  # allowed_authors: [alice, bob]        # default: people with write access
  poll_interval: 60
`,
};

export const githubIssueSpawner: Integration = {
  type: 'github_issue',
  section: 'spawners',
  summary: 'Starts an agent for each open GitHub issue with the given labels (and assignee) in the listed repositories; its kickoff has the issue and its latest comments, framed as outside text.',
  configSchema: {
    type: 'object',
    properties: {
      ...GITHUB_CONNECTION_KEYS,
      repos: { description: 'The repositories whose issues become work, owner/name each.', type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' } },
      labels: { description: 'Only issues with every one of these labels (default [superkick]).', type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
      assignee: { description: 'Only issues assigned to this login.', type: 'string', minLength: 1 },
    },
    required: ['repos'],
  },
  spawner: issueSpawnerKind,
  setupSnippet: `github_issues:
  type: github_issue
  repos: [owner/name]
  labels: [superkick]                  # issues with this label become agents
  # token: <%= env("GITHUB_TOKEN") %>   # default: $GITHUB_TOKEN
  # approval: required                  # ask a person before each spawn
  # goal: issue_closed
`,
};

export const githubIssueGoal: Integration = {
  type: 'github_issue',
  section: 'goals',
  summary: "Met when the agent's GitHub issue is closed (failed when it is closed as not planned).",
  configSchema: {
    type: 'object',
    properties: {
      ...GITHUB_CONNECTION_KEYS,
      issue: { description: 'owner/name#number (default: the issue the agent was spawned for).', type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+$' },
      poll_interval: { description: 'Seconds between looks at the issue (default 60).', $ref: '#/$defs/seconds' },
    },
  },
  goal: issueGoalKind,
  setupSnippet: `issue_closed:
  type: github_issue
  # token: <%= env("GITHUB_TOKEN") %>   # default: $GITHUB_TOKEN
`,
};
