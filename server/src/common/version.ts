/** The product version, set at bundle time from package.json. */
declare const SUPERKICK_VERSION: string | undefined;
export const VERSION: string = typeof SUPERKICK_VERSION === 'string' ? SUPERKICK_VERSION : '0.0.0-dev';
