/** `superkick monitor list` as a person reads it: one row per watched resource, then the entries that watch nothing and why. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatMonitors } from '../../server/src/cli/commands/monitor';

const NOW = Date.parse('2026-01-01T12:00:00Z');

describe('monitor list', () => {
  it('shows polls, backoff with its error, and entries that do not watch', () => {
    const text = formatMonitors(
      {
        resources: [
          { key: 'shell:["/src/app","npm test"]', type: 'shell', label: 'npm test in /src/app', workspaces: ['/src/app'], entries: ['tests'], agents: ['a1', 'b2'], intervalS: 60, polls: 4, polling: false, lastPollAt: '2026-01-01T11:59:30Z', lastError: null, nextPollAt: '2026-01-01T12:00:30Z', backingOffUntil: null },
          { key: 'github:acme/app#12', type: 'github', label: 'acme/app#12', workspaces: ['/src/app'], entries: ['pr'], agents: ['a1'], intervalS: 60, polls: 9, polling: false, lastPollAt: '2026-01-01T11:58:00Z', lastError: 'rate limited', nextPollAt: '2026-01-01T12:10:00Z', backingOffUntil: '2026-01-01T12:10:00Z' },
        ],
        entries: [
          { workspace: '/src/app', agentId: 'a1', agentName: 'fixer', entry: 'tests', type: 'shell', state: 'watching', message: null, resources: ['shell:["/src/app","npm test"]'], nextProbeAt: null },
          { workspace: '/src/app', agentId: 'a1', agentName: 'fixer', entry: 'ci', type: null, state: 'error', message: 'no monitor named "ci" in the configuration (known: tests, pr)', resources: [], nextProbeAt: null },
          { workspace: '/src/app', agentId: 'b2', agentName: 'helper', entry: 'pr', type: 'github', state: 'not_applicable', message: 'no pull request for branch main', resources: [], nextProbeAt: '2026-01-01T12:01:00Z' },
        ],
      },
      NOW,
    );
    assert.equal(
      text,
      [
        'MONITOR  TYPE    WATCHING              AGENTS  EVERY  LAST POLL  NEXT POLL  STATUS',
        'tests    shell   npm test in /src/app  a1,b2   60s    30s ago    in 30s     ok',
        'pr       github  acme/app#12           a1      60s    2m ago     in 10m     backing off until 12:10:00 UTC: rate limited',
        '',
        'Not watching:',
        '  fixer (a1): ci: error — no monitor named "ci" in the configuration (known: tests, pr)',
        '  helper (b2): pr: not applicable — no pull request for branch main (asked again in 1m)',
      ].join('\n'),
    );
  });

  it('says when nothing is watched', () => {
    assert.equal(formatMonitors({ resources: [], entries: [] }, NOW), 'no monitor is watching anything');
  });
});
