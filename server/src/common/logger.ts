/**
 * Levelled, tagged logs (`host.socket`, `agent.pty`) that a person can grep.
 * The level comes from SUPERKICK_LOG_LEVEL (error, warn, info, debug).
 */
import * as fs from 'node:fs';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Rotate the log file past this size, keeping one previous file. */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

export interface Logger {
  error(tag: string, message: string): void;
  warn(tag: string, message: string): void;
  info(tag: string, message: string): void;
  debug(tag: string, message: string): void;
}

export function levelFromEnv(): LogLevel {
  const level = (process.env.SUPERKICK_LOG_LEVEL || 'info').toLowerCase();
  return level in LEVELS ? (level as LogLevel) : 'info';
}

export function fileLogger(file: string, level: LogLevel = levelFromEnv()): Logger {
  let written = 0;
  try {
    written = fs.statSync(file).size;
  } catch {
    written = 0;
  }
  const write = (at: LogLevel, tag: string, message: string) => {
    if (LEVELS[at] > LEVELS[level]) return;
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${tag}] ${message}\n`;
    if (written + line.length > MAX_LOG_BYTES) {
      try {
        fs.renameSync(file, `${file}.1`);
      } catch {
        // Nothing to rotate yet.
      }
      written = 0;
    }
    try {
      fs.appendFileSync(file, line);
      written += line.length;
    } catch {
      // Logging must never take the process down.
    }
  };
  return {
    error: (tag, message) => write('error', tag, message),
    warn: (tag, message) => write('warn', tag, message),
    info: (tag, message) => write('info', tag, message),
    debug: (tag, message) => write('debug', tag, message),
  };
}
