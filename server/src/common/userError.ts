/**
 * An error meant for a person: its message names the thing, what is wrong and
 * what to do. The CLI prints it without a stack and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
