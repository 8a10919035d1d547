/** The local runtime: agents run as detached processes on this machine. */
import type { Integration } from '../integration';
import { createLocalRuntime } from './localRuntime';

export const localRuntime: Integration = {
  type: 'local',
  section: 'runtime',
  summary: 'Spawned agents run as processes on this machine, in a git worktree of their repository.',
  configSchema: {
    type: 'object',
    properties: {
      worktree_root: { description: 'Where fresh worktrees are made (default $SUPERKICK_DIR/worktrees).', type: 'string', minLength: 1 },
      keep_worktrees: { description: 'Keep spawned agents\' worktrees when their goal is met (default false: removed then, unless they hold uncommitted or unpushed work or a live process). `superkick worktrees prune` still removes them.', type: 'boolean' },
    },
  },
  runtime: createLocalRuntime,
  setupSnippet: `type: local
# worktree_root: ~/.superkick/worktrees
`,
};
