/** The local runtime: agents run as detached processes on this machine. */
import type { Integration } from '../integration';

export const localRuntime: Integration = {
  type: 'local',
  section: 'runtime',
  summary: 'Spawned agents run as processes on this machine, in a git worktree of their repository.',
  configSchema: {
    type: 'object',
    properties: {
      worktree_root: { description: 'Where fresh worktrees are made (default $SUPERKICK_DIR/worktrees).', type: 'string', minLength: 1 },
      keep_worktrees: { description: 'Keep an agent\'s worktree after it is pruned (default false: removed when clean).', type: 'boolean' },
    },
  },
  setupSnippet: `type: local
# worktree_root: ~/.superkick/worktrees
`,
};
