/**
 * GitHub: the monitor of an agent's pull request (checks, reviews, comments,
 * conflicts), the spawners of labelled issues and of failing checks, and the
 * goals of a merged pull request (or green checks) and of a closed issue, on
 * one client (githubClient.ts), drops and templates. Registered in
 * ../index.ts as `GITHUB`.
 */
import type { Integration } from '../integration';
import { checkFailedSpawnerKind } from './checkFailedSpawnerKind';
import { githubMonitorKind } from './githubMonitorKind';
import { githubWebhook } from './githubWebhook';
import { issueGoalKind } from './issueGoalKind';
import { issueSpawnerKind } from './issueSpawnerKind';
import { pullRequestGoalKind } from './pullRequestGoalKind';
import { REPOSITORY_PATTERN } from './repositoryNames';

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
      repository: { description: "owner/name (default: the agent's repository, or its clone's origin on GitHub).", type: 'string', pattern: REPOSITORY_PATTERN },
      allowed_authors: { description: "Only these logins' reviews and comments reach the agent (default: everyone with write access to the repository).", type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
  },
  monitor: githubMonitorKind,
  webhook: githubWebhook,
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
      repos: { description: 'The repositories whose issues become work, owner/name each.', type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: REPOSITORY_PATTERN } },
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

export const githubCheckFailedSpawner: Integration = {
  type: 'github_check_failed',
  section: 'spawners',
  summary: 'Starts a fixer agent from a watched branch when the checks on its head commit have finished and some failed (one per failing commit), with the failing checks and the end of their logs in its kickoff.',
  configSchema: {
    type: 'object',
    properties: {
      ...GITHUB_CONNECTION_KEYS,
      repos: { description: 'The repositories whose branches are watched, owner/name each.', type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: REPOSITORY_PATTERN } },
      branches: { description: "The branches watched (default: each repository's default branch).", type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
      checks: { description: 'Only these checks, by name, start a fixer (default: any check).', type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
    },
    required: ['repos'],
  },
  spawner: checkFailedSpawnerKind,
  setupSnippet: `red_main:
  type: github_check_failed
  repos: [owner/name]
  branches: [main]                     # default: the default branch
  # checks: [test]                      # only these checks start a fixer
  # token: <%= env("GITHUB_TOKEN") %>   # default: $GITHUB_TOKEN
  max_agents: 1
`,
};

export const githubGoal: Integration = {
  type: 'github',
  section: 'goals',
  summary: "Met when the pull request from the agent's branch is merged (or, with when: checks_green, once every check on its head passed); failed when it is closed without merging.",
  configSchema: {
    type: 'object',
    properties: {
      ...GITHUB_CONNECTION_KEYS,
      when: { description: 'merged (default), or checks_green: every check on the head commit passed.', enum: ['merged', 'checks_green'] },
      repository: { description: "owner/name (default: the agent's repository, or its clone's origin on GitHub).", type: 'string', pattern: REPOSITORY_PATTERN },
      poll_interval: { description: 'Seconds between looks at the pull request (default 60).', $ref: '#/$defs/seconds' },
    },
  },
  goal: pullRequestGoalKind,
  setupSnippet: `merged:
  type: github
  # when: checks_green                 # default: merged
  # token: <%= env("GITHUB_TOKEN") %>   # default: $GITHUB_TOKEN
`,
};

/** Everything GitHub brings, for the one registry. */
export const GITHUB: readonly Integration[] = [githubMonitor, githubIssueSpawner, githubCheckFailedSpawner, githubGoal, githubIssueGoal];
