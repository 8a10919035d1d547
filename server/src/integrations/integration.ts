/**
 * What one integration (GitHub, Datadog, Slack, the shell monitor, …) tells
 * the core about itself. Each integration lives in its own folder here and is
 * listed once in `index.ts`; nothing in the core names a service.
 */
import type { NotifierFactory } from '../notify/notifier';

import type { GoalKind } from '../goals/goalKind';

import type { AnyMonitorKind } from '../monitors/monitorKind';

import type { RuntimeFactory } from '../runtime/agentRuntime';

import type { AnySpawnerKind } from '../spawn/spawnerKind';

import type { WebhookIntake } from '../webhooks/webhookIntake';

/** The config sections an integration can contribute entries to. */
export type IntegrationSection = 'spawners' | 'monitors' | 'notifiers' | 'goals' | 'runtime';

export interface Integration {
  /** The `type:` value that selects it in `superkick.yml`. */
  type: string;
  /** The config section its entries live in (one integration may be registered once per section). */
  section: IntegrationSection;
  /** One line for completion, hover and the setup wizard. */
  summary: string;
  /** JSON Schema (draft 2020-12) for one entry's keys besides `type`, with a `description` on each key. */
  configSchema: Record<string, unknown>;
  /** A commented YAML snippet (one named entry) that `superkick setup` writes into a starter file. */
  setupSnippet: string;
  /**
   * Entries of this type run commands on this machine (the shell monitor, a
   * `command` goal or notifier), so one from a workspace's superkick.yml waits
   * until the user trusts that workspace.
   */
  runsCommands?: boolean;
  /**
   * Ticked in `superkick setup` from the start, and written by `setup --yes`.
   * Only for entries that need no account, no secret and run no command, so
   * the default starter file works as soon as it is written.
   */
  setupDefault?: boolean;
  /** For a `goals` entry: how it decides (see goals/goalKind.ts). */
  goal?: GoalKind;
  /**
   * For a `notifiers` integration: makes the notifier for one configured entry.
   * Absent: the type validates but sends nothing yet.
   */
  notifier?: NotifierFactory;
  /** For a `notifiers` integration: the template its text is rendered with (default `core/notification`). */
  notificationTemplate?: string;
  /**
   * For section `monitors`: how entries of this type probe and poll (see
   * monitors/monitorKind.ts). Absent: the type is configured but watches nothing yet.
   * Each kind has its own params and state; the manager treats them as opaque JSON.
   */
  monitor?: AnyMonitorKind;
  /** For section `runtime`: starts spawned agents' processes (see runtime/agentRuntime.ts). */
  runtime?: RuntimeFactory;
  /**
   * For section `spawners`: how entries of this type find new work (see
   * spawn/spawnerKind.ts). Absent: the type validates but spawns nothing yet.
   */
  spawner?: AnySpawnerKind;
  /**
   * Takes the service's webhook deliveries (webhooks/webhookIntake.ts), at
   * `/webhooks/<service>` once `server.webhooks.secrets` has its secret.
   * Once per service, on whichever of its integrations.
   */
  webhook?: WebhookIntake;
}
