import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentToken, verifyAgentToken } from '../../server/src/common/tokens';

describe('agent tokens', () => {
  const key = 'k'.repeat(64);
  it('name the one agent they were made for', () => {
    assert.equal(verifyAgentToken(key, agentToken(key, 'abc123')), 'abc123');
    assert.equal(verifyAgentToken(key, agentToken(key, 'with_underscore')), 'with_underscore');
  });
  it('are refused when forged, altered or made with another key', () => {
    const token = agentToken(key, 'abc123');
    assert.equal(verifyAgentToken(key, token.replace('abc123', 'abc124')), undefined);
    assert.equal(verifyAgentToken(key, `${token.slice(0, -1)}0`), token.endsWith('0') ? 'abc123' : undefined);
    assert.equal(verifyAgentToken('other', token), undefined);
    assert.equal(verifyAgentToken(key, 'ska__'), undefined);
    assert.equal(verifyAgentToken(key, 'garbage'), undefined);
  });
});
