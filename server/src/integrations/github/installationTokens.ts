/**
 * A GitHub App installation's access token: minted with the app's JWT
 * (POST /app/installations/{id}/access_tokens), good for an hour, reused until
 * shortly before it expires. Concurrent requests share one mint.
 */
import type { KeyObject } from 'node:crypto';
import { appJwt } from './appJwt';

/** Mint again this long before expiry, so a token never runs out during a request or a paginated read. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface MintedToken {
  token: string;
  expiresAt: Date;
}

/** Sends the mint request with `authorization: Bearer <jwt>`. */
export type MintInstallationToken = (installationId: number, jwt: string) => Promise<MintedToken>;

export interface GithubAppCredentials {
  appId: string;
  privateKey: KeyObject;
  installationId: number;
}

export class InstallationTokens {
  private current: MintedToken | undefined;
  private minting: Promise<MintedToken> | undefined;

  constructor(
    private readonly app: GithubAppCredentials,
    private readonly mint: MintInstallationToken,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.current && this.current.expiresAt.getTime() - RENEW_BEFORE_MS > this.now()) return this.current.token;
    this.minting ??= this.mint(this.app.installationId, appJwt(this.app.appId, this.app.privateKey, this.now())).finally(() => {
      this.minting = undefined;
    });
    this.current = await this.minting;
    return this.current.token;
  }

  /** GitHub refused the token (revoked, the installation suspended): mint a new one next time. */
  forget(): void {
    this.current = undefined;
  }
}
