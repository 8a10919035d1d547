/** Who may steer an agent through GitHub: write access by default, an allowlist if given; a failed lookup means no. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorPolicy } from '../../server/src/integrations/github/authorPolicy';

describe('github author policy', () => {
  const permissions: Record<string, string> = { ana: 'admin', bo: 'write', cy: 'maintain', dee: 'read', eve: 'triage' };
  const asked: string[] = [];
  const lookup = async (login: string) => {
    asked.push(login);
    if (login === 'flaky') throw new Error('500 from GitHub');
    return permissions[login] ?? null;
  };

  it('allows write access and above, refuses read, triage, outsiders and a failed lookup', async () => {
    const policy = new AuthorPolicy(lookup);
    const allowed = await policy.allowedAmong(['ana', 'bo', 'cy', 'dee', 'eve', 'stranger', 'flaky', null, 'ana']);
    assert.deepEqual([...allowed].sort(), ['ana', 'bo', 'cy']);
  });

  it('remembers answers for a while, then asks again', async () => {
    let now = 0;
    asked.length = 0;
    const policy = new AuthorPolicy(lookup, null, () => now);
    await policy.allows('bo');
    await policy.allows('bo');
    assert.deepEqual(asked, ['bo']);
    now += 11 * 60_000;
    await policy.allows('bo');
    assert.deepEqual(asked, ['bo', 'bo']);
  });

  it('asks once for a login looked up by several polls at the same moment', async () => {
    asked.length = 0;
    const policy = new AuthorPolicy(lookup);
    const answers = await Promise.all([policy.allows('bo'), policy.allows('bo'), policy.allowedAmong(['bo', 'dee']), policy.allows('dee')]);
    assert.deepEqual(answers.slice(0, 2), [true, true]);
    assert.deepEqual([...(answers[2] as Set<string>)], ['bo']);
    assert.deepEqual(asked.sort(), ['bo', 'dee']);
  });

  it('uses only the allowlist when an entry gives one (no lookup, case-insensitive)', async () => {
    asked.length = 0;
    const policy = new AuthorPolicy(lookup, ['Dee']);
    assert.equal(await policy.allows('dee'), true);
    assert.equal(await policy.allows('ana'), false);
    assert.deepEqual(asked, []);
  });
});
