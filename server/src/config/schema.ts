/**
 * The one configuration schema: `schemas/superkick.schema.json` (the base,
 * with every core key) plus each registered integration's fragment, composed
 * when the configuration is loaded. An entry's `type` selects its fragment,
 * so `type: datadog` validates Datadog's keys and an unknown type is reported
 * with the known ones.
 */
import baseSchema from '../../../schemas/superkick.schema.json';
import type { Integration, IntegrationSection } from '../integrations';
import { ENTRY_SECTIONS } from './sections';

export type JsonSchema = Record<string, unknown>;

/** Marks a string value that is a Liquid template (checked by the template hook). */
export const TEMPLATE_KEYWORD = 'x-superkick-template';
/** Marks a key whose value makes Superkick run a command: held back in an untrusted workspace. */
export const RUNS_COMMANDS_KEYWORD = 'x-superkick-runs-commands';
/** Marks a name that must exist in another section (`goal: tests_pass` → `goals.tests_pass`). */
export const REFERENCE_KEYWORD = 'x-superkick-reference';
/** Marks a link from one entry to another of the same section (`next:` of a workflow step) whose chain must not loop. */
export const ACYCLIC_KEYWORD = 'x-superkick-acyclic';
/** Marks a string that must compile as a regular expression. */
export const REGEXP_KEYWORD = 'x-superkick-regexp';
/** On an entry's `type`: which section's registered types it may name. */
export const TYPE_OF_KEYWORD = 'x-superkick-type-of';
/** On a `oneOf`: the one message to show instead of every branch's errors. */
export const ONE_OF_MESSAGE_KEYWORD = 'x-superkick-one-of-message';
/** On `propertyNames`: what the names are, for messages (`unknown driver "claud"`). */
export const NAME_OF_KEYWORD = 'x-superkick-name-of';
/** On `server.webhooks.secrets`: its keys are the registered webhook intakes' services. */
export const WEBHOOK_SERVICES_KEYWORD = 'x-superkick-webhook-services';
/** Annotations that only guide composition and tools. */
export const ANNOTATION_KEYWORDS = ['x-superkick-entry', 'x-superkick-drivers', 'x-superkick-driver-name', WEBHOOK_SERVICES_KEYWORD, RUNS_COMMANDS_KEYWORD, TYPE_OF_KEYWORD, ONE_OF_MESSAGE_KEYWORD, NAME_OF_KEYWORD];

export function baseConfigSchema(): JsonSchema {
  return structuredClone(baseSchema) as JsonSchema;
}

/** Base schema + every integration's fragment + the driver names, as one draft 2020-12 schema. */
export function composeSchema(integrations: readonly Integration[], driverNames: readonly string[]): JsonSchema {
  const schema = baseConfigSchema();
  const defs = schema.$defs as Record<string, JsonSchema>;
  const properties = schema.properties as Record<string, JsonSchema>;
  for (const section of [...ENTRY_SECTIONS, 'runtime'] as IntegrationSection[]) {
    defs[`${section}Entry`] = entrySchema(section, defs[`${section}Common`], integrations.filter((i) => i.section === section));
  }
  properties.runtime = { description: properties.runtime.description, $ref: '#/$defs/runtimeEntry' };
  properties.drivers.propertyNames = { enum: [...driverNames], [NAME_OF_KEYWORD]: 'driver' };
  const webhookServices = integrations.flatMap((integration) => (integration.webhook ? [integration.webhook.service] : []));
  walk(schema, (node) => {
    if (node['x-superkick-driver-name']) node.enum = [...driverNames];
    if (node[WEBHOOK_SERVICES_KEYWORD]) node.propertyNames = { enum: webhookServices, [NAME_OF_KEYWORD]: 'webhook service' };
  });
  return schema;
}

function entrySchema(section: IntegrationSection, common: JsonSchema, integrations: readonly Integration[]): JsonSchema {
  const commonProperties = (common.properties ?? {}) as Record<string, JsonSchema>;
  const commonRequired = (common.required ?? []) as string[];
  const types = integrations.map((integration) => integration.type);
  return {
    type: 'object',
    properties: {
      type: { ...commonProperties.type, enum: types, [TYPE_OF_KEYWORD]: section },
    },
    required: ['type'],
    allOf: integrations.map((integration) => {
      const fragment = integration.configSchema;
      const own = (fragment.properties ?? {}) as Record<string, JsonSchema>;
      return {
        if: { properties: { type: { const: integration.type } }, required: ['type'] },
        then: {
          ...fragment,
          type: 'object',
          description: integration.summary,
          properties: { ...commonProperties, ...own },
          required: [...new Set([...commonRequired, ...((fragment.required ?? []) as string[])])],
          additionalProperties: false,
        },
      };
    }),
  };
}

/** Visits every schema object (not arrays of values such as `enum`). */
export function walk(node: unknown, visit: (node: JsonSchema) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as JsonSchema);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'required') continue;
    walk(value, visit);
  }
}

/**
 * Where keys that run commands can sit, as path patterns (`*` for an entry's
 * name): `agents/command`, `spawners/* /setup`, … Read from the schema, so a
 * key marked there is gated by workspace trust without another list to keep.
 */
export function commandKeyPatterns(schema: JsonSchema): string[][] {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const found: string[][] = [];
  const resolve = (node: JsonSchema): JsonSchema => {
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return { ...defs[ref.slice('#/$defs/'.length)], ...node, $ref: undefined };
    return node;
  };
  const visit = (raw: JsonSchema, path: string[], depth: number): void => {
    if (depth > 8) return;
    const node = resolve(raw);
    if (node[RUNS_COMMANDS_KEYWORD]) {
      found.push(path);
      return;
    }
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, child] of Object.entries(props)) visit(child, [...path, key], depth + 1);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(node.additionalProperties as JsonSchema, [...path, '*'], depth + 1);
    for (const branch of (node.allOf ?? []) as JsonSchema[]) {
      if (branch.then) visit(branch.then as JsonSchema, path, depth + 1);
    }
  };
  visit(schema, [], 0);
  // The same key reached through several types' branches is one pattern.
  return [...new Map(found.map((p) => [p.join('/'), p])).values()];
}
