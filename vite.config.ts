// Builds the browser pages (src/web) into src/web/dist, which the server serves.
// Plain TypeScript and DOM: small pages that load fast on one bar of signal.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('./src/web/', import.meta.url));

export default defineConfig({
  root: web,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // NOTE: a small stylesheet (print.css) would be inlined as a data: URL, which the
    // Content-Security-Policy refuses; stylesheets always stay files of this server.
    assetsInlineLimit: (file: string) => (file.endsWith('.css') ? false : undefined),
    rollupOptions: {
      input: {
        index: `${web}index.html`,
        rally: `${web}rally.html`,
        marshal: `${web}marshal.html`,
        hq: `${web}hq.html`,
        notices: `${web}notices.html`,
        history: `${web}history.html`,
        standings: `${web}standings.html`,
        organise: `${web}organise.html`,
        import: `${web}import.html`,
      },
    },
  },
});
