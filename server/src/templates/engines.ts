/**
 * One template engine per workspace (its `.superkick/templates/` overrides the
 * shipped ones), made on first use. Agents without a workspace use the
 * shipped templates alone.
 */
import * as os from 'node:os';
import type { Logger } from '../common/logger';
import { TemplateEngine } from './engine';

export class TemplateEngines {
  private readonly engines = new Map<string, TemplateEngine>();

  constructor(private readonly log: Logger) {}

  for(workspace: string | null): TemplateEngine {
    // A workspace-less engine is rooted at the home directory, which has no .superkick/templates of its own to find.
    const root = workspace ?? os.homedir();
    let engine = this.engines.get(root);
    if (!engine) {
      engine = new TemplateEngine({ workspaceRoot: root, log: this.log });
      this.engines.set(root, engine);
    }
    return engine;
  }
}
