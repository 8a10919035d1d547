/**
 * A repository source turns a configured source (a local path, a git URL, later
 * `github: owner/repo`) into a local git repository that worktrees are made from.
 */

/** A local repository ready for `git worktree add`. */
export interface ResolvedRepository {
  /** The source kind it came from (`local`, `git`, …). */
  kind: string;
  /** The repository's git directory (a bare cache clone, or a checkout's `.git`). */
  gitDir: string;
  /**
   * A checkout whose files `include` lists are copied from (`.env` and friends), or
   * undefined when there is none (a bare cache clone has no working files).
   */
  checkoutDir: string | undefined;
  /** The commit-ish new worktrees start from when no base is asked for (the source's default branch). */
  defaultBase: string;
  /** How a base name the user gave (`main`, `v1.2`, a sha) is spelled in this repository. */
  baseRefFor(name: string): Promise<string>;
  /** What resolving did: `local` (nothing), `cloned` (first time) or `fetched` (cache reused). */
  action: 'local' | 'cloned' | 'fetched';
}

export interface RepositorySource {
  readonly kind: string;
  /** Resolves the source; for remote sources this clones or refreshes the cache. */
  resolve(): Promise<ResolvedRepository>;
}

/** What a source needs from its caller. */
export interface RepositorySourceContext {
  /** Where remote sources keep their cache clones, e.g. `$SUPERKICK_DIR/cache/repos`. */
  cacheDir: string;
}
