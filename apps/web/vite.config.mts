// Builds the firm app (/app) and the portal (/portal) as two pages of one bundle graph: shared
// code is split into common chunks, and the portal loads nothing of the firm app.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: { app: resolve(here, 'app/index.html'), portal: resolve(here, 'portal/index.html') },
    },
  },
  server: {
    // `npx vite apps/web` during development: the API is the running gateway.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
