/** What each driver hands its CLI so that it starts the Superkick MCP server (shapes as observed in REAL-CLIS.md). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { driverNamed } from '../../server/src/drivers';
import { mcpHandOff } from '../../server/src/drivers/mcpHandOff';

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

  it('gives Gemini a trusted server in a settings file of its own, with the token variables listed', () => {
    const handOff = mcpHandOff(driverNamed('gemini'), server, dir);
    assert.deepEqual(handOff.env, { GEMINI_CLI_SYSTEM_SETTINGS_PATH: '/run/sk/agent-1/gemini-settings.json' });
    const settings = JSON.parse(handOff.files[0].contents);
    assert.equal(settings.mcpServers.superkick.trust, true);
    assert.equal(settings.mcpServers.superkick.env.SUPERKICK_AGENT_TOKEN, '$SUPERKICK_AGENT_TOKEN');
    assert.deepEqual(settings.mcpServers.superkick.args, server.args);
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
