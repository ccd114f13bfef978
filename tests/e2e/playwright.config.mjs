// Browser tests for the reader: `npm run e2e` (after `make dist`).
// The suite serves dist/ itself (global-setup.mjs) and drives Debian's chromium.
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './chromium.mjs';
import { ports } from './servers.mjs';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: 'artifacts/results',
  globalSetup: './global-setup.mjs',
  workers: 2,
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${ports.root}/`,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    colorScheme: 'light',
    // Route interception does not see requests a service worker answers.
    serviceWorkers: 'block',
    launchOptions: CHROMIUM,
  },
});
