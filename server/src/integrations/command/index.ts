/** Plain commands: a goal met when a command exits 0, a notifier that runs a command per event. */
import type { Integration } from '../integration';
import { commandGoalKind } from './commandGoal';
import { commandNotifierFactory } from './notifier';

export const commandGoal: Integration = {
  type: 'command',
  section: 'goals',
  summary: 'Met when a command, run now and then in the agent\'s working directory, exits 0.',
  runsCommands: true,
  configSchema: {
    type: 'object',
    properties: {
      command: { description: 'The command, run with `sh -c` in the agent\'s working directory; exit 0 means the goal is met.', type: 'string', minLength: 1 },
      poll_interval: { description: 'Seconds between runs (default 60).', type: 'integer', minimum: 1 },
      timeout: { description: 'Seconds after which one run is killed and counted as not met (default 300).', type: 'integer', minimum: 1 },
      fail_on_exit_code: { description: 'Exit codes that mean the goal failed rather than "not yet".', type: 'array', items: { type: 'integer', minimum: 1, maximum: 255 } },
    },
    required: ['command'],
  },
  setupSnippet: `tests_pass:
  type: command
  command: npm test --silent   # exit 0 means done
  # poll_interval: 60
  # timeout: 300
`,
  goal: commandGoalKind,
};

export const commandNotifier: Integration = {
  type: 'command',
  section: 'notifiers',
  summary: 'Runs a command for each event, with the rendered text on its standard input and the event in SUPERKICK_* variables.',
  runsCommands: true,
  notifier: commandNotifierFactory,
  configSchema: {
    type: 'object',
    properties: {
      command: {
        description:
          'The command, run with `sh -c` in the workspace folder. The notification text is on its standard input; the event is in SUPERKICK_EVENT_TYPE, SUPERKICK_EVENT_ID, SUPERKICK_EVENT_SUMMARY, SUPERKICK_EVENT_URL, SUPERKICK_EVENT_JSON, SUPERKICK_AGENT_ID, SUPERKICK_AGENT_NAME, SUPERKICK_WORKSPACE, SUPERKICK_NOTIFIER and SUPERKICK_NOTIFICATION_TEXT. Event fields never become part of the command itself: quote the variables ("$SUPERKICK_AGENT_NAME") and their contents are never run.',
        type: 'string',
        minLength: 1,
        // Marked on the key too: a workspace that only sets `command:` on the user's own notifier of this name must wait for trust as well.
        'x-superkick-runs-commands': true,
      },
      timeout: { description: 'Seconds after which it is stopped, with everything it started (default 30); a timeout counts as a failed send.', type: 'integer', minimum: 1 },
      stdin: { description: 'What goes to its standard input: `text` (the rendered notification, the default) or `json` (the event as JSON, with `text` and `agent`).', enum: ['text', 'json'] },
    },
    required: ['command'],
  },
  setupSnippet: `desktop:
  type: command
  command: notify-send Superkick "$(cat)"   # the text arrives on stdin
  # events: [agent_waiting, question_asked, goal_met, goal_failed, budget_exceeded]
  # timeout: 30
`,
};
