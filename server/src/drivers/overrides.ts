/**
 * A driver profile changed from configuration (`drivers:` in superkick.yml),
 * for when a CLI changes its screens before Superkick does. The keys are the
 * config's (snake_case); every list given replaces the profile's list.
 */
import type { DriverProfile } from './profile';

import type { DriverOverride } from '../protocol';

export type { DriverOverride };

/** A new profile with the override applied; the profile given is left as it was. */
export function applyDriverOverride(profile: DriverProfile, override: DriverOverride | null | undefined): DriverProfile {
  if (!override) return profile;
  return {
    ...profile,
    commands: override.commands ? [...override.commands] : profile.commands,
    states: {
      waiting: override.states?.waiting ? [...override.states.waiting] : profile.states.waiting,
      working: override.states?.working ? [...override.states.working] : profile.states.working,
      idle: override.states?.idle ? [...override.states.idle] : profile.states.idle,
    },
    idleSettleMs: override.idle_settle_ms ?? profile.idleSettleMs,
  };
}

/** Every profile with the `drivers:` section applied. */
export function applyDriverOverrides(profiles: readonly DriverProfile[], section: Record<string, DriverOverride> | undefined): DriverProfile[] {
  return profiles.map((profile) => applyDriverOverride(profile, section?.[profile.name]));
}
