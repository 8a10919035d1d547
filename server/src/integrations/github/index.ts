/**
 * GitHub: the monitor of an agent's pull request (checks, reviews, comments,
 * conflicts). The issue and failing-check spawners, the goals and webhook
 * intake build on the same client (githubClient.ts), drops and templates.
 */
import type { Integration } from '../integration';
import { githubMonitorKind } from './githubMonitorKind';

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
