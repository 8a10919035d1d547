/** Liquid templates: checking, resolving and rendering; the drops templates see. */
export { checkTemplate, lineColumn, type TemplateDiagnostic } from './checkTemplate';
export { TemplateEngine, TemplateError, overrideFromConfig, type FileDiagnostic, type RenderOptions, type ResolvedTemplate, type TemplateEngineOptions, type TemplateOrigin, type TemplateOverride } from './engine';
export { agentDrop, eventDrop, teamLogEntryDrop, untrustedObject, type AgentDrop, type AgentExtras, type EventDrop, type EventInput, type TeamLogEntryDrop, type TeamLogEntryInput, type TemplateContext } from './drops';
export { superkickFilters, type FilterEnvironment } from './filters';
export { shippedTemplatesDir, shippedTemplateNames } from './shippedTemplates';
