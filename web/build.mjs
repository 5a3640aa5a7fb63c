// build.mjs — builds web/dist without a bundler: copies the hand-written ES
// modules, pages and styles from src/, and the UMD builds of the chart and
// graph libraries from node_modules (installed by tools/install-web-deps.sh).
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const vendor = {
  'chart.umd.min.js': 'node_modules/chart.js/dist/chart.umd.min.js',
  'cytoscape.min.js': 'node_modules/cytoscape/dist/cytoscape.min.js',
};
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'vendor'), { recursive: true });
cpSync(join(here, 'src'), dist, { recursive: true });
for (const [name, from] of Object.entries(vendor)) {
  const src = join(here, from);
  if (!existsSync(src)) {
    console.error(`build: ${from} missing; run tools/install-web-deps.sh`);
    process.exit(1);
  }
  cpSync(src, join(dist, 'vendor', name));
}
console.log(`build: wrote ${dist}`);
