// prepack: the package ships Mermaid's browser bundle (one file, for the HTML report and the web
// explorer) instead of depending on mermaid, whose 120-odd dependencies the bundle does not need
// and which made the tarball 40 MB. Mermaid stays a devDependency, pinned: this copies its file.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve('mermaid/package.json'));
mkdirSync('dist/vendor', { recursive: true });
copyFileSync(join(pkg, 'dist', 'mermaid.min.js'), 'dist/vendor/mermaid.min.js');
copyFileSync(join(pkg, 'LICENSE'), 'dist/vendor/mermaid.LICENSE');
