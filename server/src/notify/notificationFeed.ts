/**
 * The host-side hook for clients that show notifications themselves (the VS
 * Code extension): every notifiable event, once, with its text and the actions
 * a person can take. Clients subscribe through `host/routes/notify.ts`.
 */
import { EventEmitter } from 'node:events';
import type { ShownNotification } from '../protocol/notify';

/** What a window that reloads gets to catch up on. */
const RECENT_KEPT = 50;

export class NotificationFeed extends EventEmitter<{ shown: [ShownNotification] }> {
  private readonly kept: ShownNotification[] = [];

  publish(notification: ShownNotification): void {
    this.kept.push(notification);
    if (this.kept.length > RECENT_KEPT) this.kept.shift();
    this.emit('shown', notification);
  }

  /** Oldest first. */
  recent(): ShownNotification[] {
    return [...this.kept];
  }
}
