import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The entry loads the app with a dynamic import, after it has started the session refresh
 * (`src/app/boot.ts`). Vite preloads only an entry's static imports; this preloads the app and what
 * it imports as well, so it downloads beside the entry instead of after it.
 */
function preloadApp(): Plugin {
  return {
    name: 'k8sm-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.facadeModuleId?.endsWith('/src/app/start.tsx'));
        if (!app) throw new Error('the build has no chunk for src/app/start.tsx');
        const files = new Set<string>();
        const add = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          for (const i of chunks.find((c) => c.fileName === file)?.imports ?? []) add(i);
        };
        add(app.fileName);
        // The entry and its own imports already have their tags.
        const entry = ctx.chunk;
        for (const done of [entry?.fileName, ...(entry?.imports ?? [])]) if (done) files.delete(done);
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), preloadApp()],
  // `npm run web:dev`: hot reload against the API of a local `npm start`, on one origin as in production.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    outDir: resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    // Each page is its own chunk (React.lazy); the first page loads only what it needs.
    chunkSizeWarningLimit: 800,
  },
});
