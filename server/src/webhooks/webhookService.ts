/**
 * Wires the receiver into the host: its settings come from the user's
 * config.yml (`server.webhooks`) and follow its changes (a bad change is
 * reported and the receiver goes on as it was); each delivery's hints wake
 * the monitors, spawners and goals they concern.
 */
import type { Logger } from '../common/logger';
import type { SuperkickPaths } from '../common/paths';
import { INTEGRATIONS } from '../integrations';
import { DeliveryLog } from './deliveryLog';
import type { WebhookHint } from './webhookIntake';
import { WebhookReceiver } from './webhookReceiver';
import { webhookSettings } from './webhookSettings';

export interface WebhookServiceDeps {
  configs: {
    configOf(workspace: null): { server?: unknown };
    on(event: 'section', listener: (change: { workspace: string | null; section: string }) => void): unknown;
    off(event: 'section', listener: (change: { workspace: string | null; section: string }) => void): unknown;
  };
  monitors: { wake(hint: WebhookHint): number };
  spawners: { wakeFor(hint: WebhookHint): number };
  goals: { wake(hint: WebhookHint): number };
  paths: Pick<SuperkickPaths, 'webhookDeliveries' | 'webhooksAddress'>;
  log: Logger;
}

export function startWebhooks(deps: WebhookServiceDeps): { stop(): Promise<void> } {
  const receiver = new WebhookReceiver({
    intakes: INTEGRATIONS.flatMap((integration) => (integration.webhook ? [integration.webhook] : [])),
    deliveries: new DeliveryLog(deps.paths.webhookDeliveries, deps.log),
    onHints: (hints) => {
      for (const hint of hints) {
        const woken = deps.monitors.wake(hint) + deps.spawners.wakeFor(hint);
        const goals = deps.goals.wake(hint);
        deps.log.debug('webhooks', `${hint.service} ${hint.event}: ${woken} monitor(s) and spawner(s) woken, ${goals} goal(s) asked`);
      }
    },
    log: deps.log,
    addressFile: deps.paths.webhooksAddress,
  });
  const apply = () => {
    try {
      void receiver.apply(webhookSettings(deps.configs.configOf(null).server));
    } catch (error) {
      deps.log.error('webhooks', `${(error as Error).message}; the receiver stays as it was`);
    }
  };
  const onSection = ({ workspace, section }: { workspace: string | null; section: string }) => {
    if (workspace === null && section === 'server') apply();
  };
  deps.configs.on('section', onSection);
  apply();
  return {
    stop() {
      deps.configs.off('section', onSection);
      return receiver.close();
    },
  };
}
