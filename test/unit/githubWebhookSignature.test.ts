/** X-Hub-Signature-256 as GitHub documents it: HMAC-SHA256 of the raw body with the secret, "sha256=" and hex. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhookSignature, webhookSignature } from '../../server/src/integrations/github/webhookSignature';

describe('github webhook signature', () => {
  it("matches GitHub's documented example", () => {
    // From GitHub's docs ("Validating webhook deliveries"): secret "It's a Secret to Everybody", payload "Hello, World!".
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    assert.equal(webhookSignature("It's a Secret to Everybody", 'Hello, World!'), header);
    assert.equal(verifyWebhookSignature("It's a Secret to Everybody", Buffer.from('Hello, World!'), header), true);
  });

  it('refuses a changed body, a wrong secret, a missing or malformed header', () => {
    const body = '{"action":"labeled"}';
    const header = webhookSignature('s3cret', body);
    assert.equal(verifyWebhookSignature('s3cret', body, header), true);
    assert.equal(verifyWebhookSignature('s3cret', '{"action":"closed"}', header), false);
    assert.equal(verifyWebhookSignature('other', body, header), false);
    assert.equal(verifyWebhookSignature('s3cret', body, undefined), false);
    assert.equal(verifyWebhookSignature('s3cret', body, header.replace('sha256=', 'sha1=')), false);
    assert.equal(verifyWebhookSignature('s3cret', body, `${header}00`), false);
    assert.equal(verifyWebhookSignature('', body, header), false);
  });
});
