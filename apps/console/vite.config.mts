// The console is a static single-page app: built to dist/console, served by the gateway at
// /console/ (same origin as the API, so the session cookie and CSRF token need no CORS).
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../../dist/console'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npx vite -c apps/console/vite.config.ts` for UI work: the API comes from a running gateway.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
  test: {
    root,
    include: ['src/**/*.spec.{ts,tsx}'],
    environment: 'node',
  },
});
