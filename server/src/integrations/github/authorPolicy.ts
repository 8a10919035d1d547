/**
 * Who may steer an agent through GitHub: by default, people with write
 * access to the repository (what GitHub's own `/collaborators/{user}/permission`
 * says); or exactly the logins an entry lists. A lookup that fails (a 404 for
 * an outsider, a 500, a timeout) means not allowed: when in doubt, a stranger's
 * comment is not typed into an agent. Answers are remembered for a while, so
 * a busy pull request costs one lookup per person, not one per comment.
 */

/** GitHub's permission levels that may push (`maintain` and `admin` include write). */
const CAN_WRITE = new Set(['admin', 'maintain', 'write']);
const REMEMBER_MS = 10 * 60_000;

export type PermissionLookup = (login: string) => Promise<string | null>;

export class AuthorPolicy {
  private readonly known = new Map<string, { allowed: boolean; until: number }>();
  private readonly asking = new Map<string, Promise<boolean>>();

  /**
   * `allowlist`: the entry's `allowed_authors`, when it has one (then no lookup is made).
   * `lookup`: the login's permission on the repository, or null when it has none.
   */
  constructor(private readonly lookup: PermissionLookup, private readonly allowlist: readonly string[] | null = null, private readonly now: () => number = Date.now) {}

  async allows(login: string | null): Promise<boolean> {
    if (!login) return false;
    if (this.allowlist) return this.allowlist.some((name) => name.toLowerCase() === login.toLowerCase());
    const remembered = this.known.get(login);
    if (remembered && remembered.until > this.now()) return remembered.allowed;
    // Pull requests polled at the same moment ask about the same people: one lookup each.
    let pending = this.asking.get(login);
    if (!pending) {
      pending = this.ask(login).finally(() => this.asking.delete(login));
      this.asking.set(login, pending);
    }
    return pending;
  }

  private async ask(login: string): Promise<boolean> {
    let allowed: boolean;
    try {
      const permission = await this.lookup(login);
      allowed = permission !== null && CAN_WRITE.has(permission);
    } catch {
      allowed = false;
    }
    this.known.set(login, { allowed, until: this.now() + REMEMBER_MS });
    return allowed;
  }

  /** Everyone among `logins` who may steer the agent (looked up once each). */
  async allowedAmong(logins: Iterable<string | null>): Promise<Set<string>> {
    const allowed = new Set<string>();
    for (const login of new Set(logins)) if (login && (await this.allows(login))) allowed.add(login);
    return allowed;
  }
}
