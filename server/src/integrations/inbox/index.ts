/** The inbox spawner: work arrives as JSON files in a folder (from scripts, cron jobs, other tools). */
import type { Integration } from '../integration';
import { inboxSpawnerKind } from './inboxSpawner';

export const inboxSpawner: Integration = {
  type: 'inbox',
  section: 'spawners',
  summary: 'Starts an agent for each JSON file dropped into a folder ({"title", "body", "url", "key"}): a way for scripts and other tools to hand work over.',
  configSchema: {
    type: 'object',
    properties: {
      folder: { description: 'The folder watched for *.json work files (relative to this file). Each file is one agent, once; the file may stay.', type: 'string', minLength: 1 },
    },
    required: ['folder'],
  },
  spawner: inboxSpawnerKind,
  setupSnippet: `inbox:
  type: inbox
  folder: .superkick/inbox        # drop {"title": "…", "body": "…"} files here
  # approval: required            # ask a person before each spawn
  # setup: ["npm ci"]             # run in each fresh worktree first
`,
};
