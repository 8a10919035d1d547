/**
 * The recorded-screen corpus: screens of each real CLI in each state, taken
 * from the real programs (test/integration/realCliLoop.test.ts records them
 * with SUPERKICK_RECORD_CORPUS=1). It ships in the bundle, so `doctor` can
 * say which version the patterns were checked against and whether a user's
 * pattern overrides still read these screens right.
 */
import type { ScreenState } from './profile';
import claude from './corpus/claude.json';
import codex from './corpus/codex.json';
import gemini from './corpus/gemini.json';

export interface RecordedScreen {
  state: ScreenState;
  /** When it was taken (`after start-up`, `while the model answers`, …). */
  moment: string;
  /** The visible rows, as the screen worker reads them. */
  text: string;
}

export interface ScreenCorpus {
  driver: string;
  /** The npm package and the exact version the screens come from. */
  program: string;
  version: string;
  cols: number;
  rows: number;
  screens: RecordedScreen[];
}

export const SCREEN_CORPUS: readonly ScreenCorpus[] = [claude, codex, gemini] as ScreenCorpus[];

export function corpusFor(driver: string): ScreenCorpus | undefined {
  return SCREEN_CORPUS.find((corpus) => corpus.driver === driver);
}
