/**
 * What every test of the real agent CLIs shares: they run only inside a
 * loopback-only network namespace (outside it, the test file re-runs itself
 * inside one), against a fake model server, with a private HOME, under a
 * host in a sandbox.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from './sandbox';
import { HostWatch } from './hostWatch';
import { IN_LOOPBACK_NAMESPACE, runInLoopbackNamespace } from './loopbackNamespace';
import { realCliBin, realCliEnvironment } from './realClis';
import { FakeModelServer } from '../fakes/models/fakeModelServer';

/** `describe(title, body)` inside the namespace; outside, one test that runs this file in it and passes its output through. */
export function describeWithRealClis(title: string, testFile: string, body: () => void): void {
  if (IN_LOOPBACK_NAMESPACE) {
    describe(title, body);
    return;
  }
  describe(title, () => {
    it('passes its tests inside a loopback-only network namespace', async () => {
      realCliBin(); // installs them (once, into the cache) out here, where the npm registry is reachable
      const { code, output } = await runInLoopbackNamespace(testFile);
      assert.equal(code, 0, output);
    });
  });
}

/**
 * A sandboxed host, the fake model server and the real CLIs on PATH with a
 * private HOME: made before the enclosing describe's tests, ended after them.
 */
export class RealCliWorld {
  readonly sandbox: Sandbox;
  /** The CLIs' private HOME (their settings, sessions and usage files). */
  readonly home: string;
  fake!: FakeModelServer;
  watch!: HostWatch;
  /** The environment to start agents with (`{ env }`). */
  env!: NodeJS.ProcessEnv;

  constructor(sandboxPrefix?: string) {
    this.sandbox = new Sandbox(sandboxPrefix);
    this.home = path.join(this.sandbox.work, 'home');
    before(async () => {
      this.fake = await FakeModelServer.start();
      fs.mkdirSync(this.home);
      this.env = { ...realCliEnvironment(this.home, this.sandbox.work, this.fake.url), PATH: `${realCliBin()}:${process.env.PATH}` };
      await this.sandbox.runOk(['list'], { env: this.env });
      this.watch = await HostWatch.open(this.sandbox.dir);
    });
    after(async () => {
      this.watch?.close();
      await this.sandbox.cleanup();
      await this.fake?.stop();
    });
  }
}
