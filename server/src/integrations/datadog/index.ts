/** Datadog: the Error Tracking spawner (alerts, the monitor, the goal and the notifier arrive with their issue). */
import type { Integration } from '../integration';

export const datadogSpawner: Integration = {
  type: 'datadog',
  section: 'spawners',
  summary: 'Watches Datadog Error Tracking for open error groups and starts an agent to fix each new one; filters by service, environment, source and event count.',
  configSchema: {
    type: 'object',
    properties: {
      api_key: { description: 'Datadog API key (default: $DD_API_KEY). Write it as <%= env("DD_API_KEY") %>, never in the file.', type: 'string', minLength: 1 },
      application_key: { description: 'Datadog application key (default: $DD_APP_KEY).', type: 'string', minLength: 1 },
      site: { description: 'The Datadog site your account lives on (default datadoghq.com).', type: 'string', pattern: '^[a-z0-9.-]+$' },
      service: { description: 'Only errors of this service.', type: 'string', minLength: 1 },
      environment: { description: 'Only errors of this environment (default production; empty for all).', type: 'string' },
      source: { description: 'Only errors from this source (ruby, python, browser, …).', type: 'string', minLength: 1 },
      minimum_events: { description: 'Errors seen fewer times than this are left alone (default 1).', type: 'integer', minimum: 1 },
      query: { description: 'A raw Datadog search query added to the filters above.', type: 'string' },
    },
  },
  setupSnippet: `datadog_errors:
  type: datadog
  # api_key: <%= env("DD_API_KEY") %>
  # application_key: <%= env("DD_APP_KEY") %>
  # site: datadoghq.com          # Datadog site (default)
  # service: my-service          # filter by service name
  # environment: production      # default
  # source: ruby                 # error source filter
  # minimum_events: 1            # events seen before spawning
  # max_duration: 3600
`,
};
