// Measures the initial JavaScript of each web area (the entry script and every chunk its page
// preloads), gzip-compressed, and fails when the portal's passes its budget.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'web', 'dist');
const BUDGET_KB = { portal: 200 };

const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
let failed = false;
for (const area of ['app', 'portal']) {
  const html = readFileSync(join(dist, area, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const src of new Set(scripts)) {
    const bytes = readFileSync(join(dist, src.replace(/^\//, '')));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const budget = BUDGET_KB[area];
  const over = budget !== undefined && kb(gzip) > budget;
  failed ||= over;
  console.log(
    `/${area}: initial JS ${kb(gzip)} KB gzip (${kb(raw)} KB raw, ${scripts.length} files)` +
      (budget !== undefined ? ` — budget ${budget} KB${over ? ': OVER BUDGET' : ''}` : ''),
  );
}
if (failed) process.exit(1);
