/** What each driver hands its CLI so that it starts the Superkick MCP server (shapes as observed in REAL-CLIS.md). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { driverNamed } from '../../server/src/drivers';
import { mcpHandOff } from '../../server/src/drivers/mcpHandOff';
import { statesWithMcpHandedOff } from '../../server/src/drivers/mcpHandOff';
import { compilePatterns, detectState } from '../../server/src/drivers/detectState';

const server = { command: '/usr/bin/node', args: ['/opt/superkick/dist/cli.js', 'mcp'], envNames: ['SUPERKICK_AGENT_ID', 'SUPERKICK_AGENT_TOKEN', 'SUPERKICK_DIR'] };
const dir = '/run/sk/agent-1';

describe('MCP hand-off', () => {
  it('gives Claude Code an --mcp-config file and pre-allows the server\'s tools', () => {
    const handOff = mcpHandOff(driverNamed('claude'), server, dir);
    // The `=` form: both options are variadic, and would otherwise swallow a prompt the user put after them.
    assert.deepEqual(handOff.args, ['--mcp-config=/run/sk/agent-1/claude-mcp.json', '--allowedTools=mcp__superkick']);
    assert.deepEqual(JSON.parse(handOff.files[0].contents), {
      mcpServers: { superkick: { type: 'stdio', command: '/usr/bin/node', args: ['/opt/superkick/dist/cli.js', 'mcp'] } },
    });
  });

  it('gives Codex -c overrides, naming the variables it must pass and approving the tools', () => {
    const handOff = mcpHandOff(driverNamed('codex'), server, dir);
    assert.deepEqual(handOff.args, [
      '-c', 'mcp_servers.superkick.command="/usr/bin/node"',
      '-c', 'mcp_servers.superkick.args=["/opt/superkick/dist/cli.js", "mcp"]',
      '-c', 'mcp_servers.superkick.env_vars=["SUPERKICK_AGENT_ID", "SUPERKICK_AGENT_TOKEN", "SUPERKICK_DIR"]',
      '-c', 'mcp_servers.superkick.default_tools_approval_mode="approve"',
    ]);
    assert.deepEqual(handOff.files, []);
  });

  it("gives Gemini a private home overlaying the user's: their settings plus a trusted server with the token variables listed, and links to the rest", () => {
    const user = { home: '/home/u', entries: ['settings.json', 'oauth_creds.json', 'tmp'], settings: { security: { auth: { selectedType: 'oauth-personal' } }, mcpServers: { theirs: { command: 'x' } } } };
    const handOff = mcpHandOff(driverNamed('gemini'), server, dir, user);
    assert.deepEqual(handOff.env, { GEMINI_CLI_HOME: '/run/sk/agent-1/gemini-home' });
    assert.equal(handOff.files[0].path, '/run/sk/agent-1/gemini-home/.gemini/settings.json');
    const settings = JSON.parse(handOff.files[0].contents);
    assert.deepEqual(settings.security, user.settings.security);
    assert.deepEqual(settings.mcpServers.theirs, { command: 'x' });
    assert.equal(settings.mcpServers.superkick.trust, true);
    assert.equal(settings.mcpServers.superkick.env.SUPERKICK_AGENT_TOKEN, '$SUPERKICK_AGENT_TOKEN');
    assert.deepEqual(settings.mcpServers.superkick.args, server.args);
    assert.deepEqual(handOff.links, [
      { path: '/run/sk/agent-1/gemini-home/.gemini/oauth_creds.json', target: '/home/u/.gemini/oauth_creds.json' },
      { path: '/run/sk/agent-1/gemini-home/.gemini/tmp', target: '/home/u/.gemini/tmp' },
    ]);
  });

  it('gives Copilot and Goose their documented forms, and a plain command nothing', () => {
    assert.deepEqual(mcpHandOff(driverNamed('copilot'), server, dir).args, ['--additional-mcp-config', '@/run/sk/agent-1/copilot-mcp.json']);
    assert.deepEqual(mcpHandOff(driverNamed('goose'), { ...server, args: ["/opt/it's here/cli.js", 'mcp'] }, dir).args, [
      '--with-extension',
      "/usr/bin/node '/opt/it'\\''s here/cli.js' mcp",
    ]);
    assert.deepEqual(mcpHandOff(driverNamed('command'), server, dir), { args: [], env: {}, files: [] });
  });
});

describe('MCP hand-off: ready before idle', () => {
  it("with the server handed off, Gemini counts as idle only once its footer counts the connected servers", () => {
    const patterns = compilePatterns(statesWithMcpHandedOff(driverNamed('gemini')));
    const input = ' >   Type your message or @path/to/file\n';
    assert.equal(detectState(input + ' ~/project    no sandbox    Auto\n', patterns), undefined, 'its input box is up, its servers are not');
    assert.equal(detectState(input + ' ~/project    1 MCP server    Auto\n', patterns), 'idle');
    assert.equal(detectState(' 2 MCP servers\n' + input, patterns), 'idle');
    // Without a hand-off, and for a CLI without such a signal, the profile's own patterns stand.
    assert.deepEqual(statesWithMcpHandedOff(driverNamed('claude')), driverNamed('claude').states);
  });
});
