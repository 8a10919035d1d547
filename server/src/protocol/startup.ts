/**
 * What a freshly started daemon (the host, or an agent process) writes on the
 * readiness pipe (fd 3) given by the process that started it: one JSON line.
 */
export type ReadyMessage =
  | { ok: true; pid: number; socket: string }
  | { ok: false; error: string; exitCode: number };

/** File descriptor of the readiness pipe in the started process. */
export const READY_FD = 3;
