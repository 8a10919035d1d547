/** The interactive prompts of `superkick setup`, built as dist/prompts.js (see common/sideBundle.ts). */
export { checkbox, confirm, number, select, Separator } from '@inquirer/prompts';
