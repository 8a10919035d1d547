/**
 * Writes the composed configuration schema (the base plus every integration's
 * fragment and the driver names) to the file named on the command line, for
 * the extension's `yamlValidation` (plain YAML tooling). Run by the build.
 */
import * as fs from 'node:fs';
import { composeSchema } from '../server/src/config/schema';
import { DRIVERS } from '../server/src/drivers';
import { INTEGRATIONS } from '../server/src/integrations';

const file = process.argv[2];
if (!file) throw new Error('usage: composedSchema <output file>');
fs.writeFileSync(file, `${JSON.stringify(composeSchema(INTEGRATIONS, DRIVERS.map((driver) => driver.name)), null, 1)}\n`);
