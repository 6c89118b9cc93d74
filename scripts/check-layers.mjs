// Layers import downwards only: src → protocol, launcher; launcher → protocol's
// transports and errors; protocol → nothing of ours outside itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const rules = {
  protocol: (target) => target.startsWith('protocol/'),
  launcher: (target) =>
    target.startsWith('launcher/') ||
    ['protocol/transport.ts', 'protocol/pipe-transport.ts', 'protocol/websocket-transport.ts', 'protocol/errors.ts'].includes(target),
  src: (target) => ['src/', 'protocol/', 'launcher/'].some((layer) => target.startsWith(layer)),
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

const problems = [];
for (const [layer, allowed] of Object.entries(rules)) {
  for (const file of files(join(root, layer))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(root, resolve(dirname(file), match[1])).replace(/\.js$/, '.ts');
      if (!allowed(target)) problems.push(`${relative(root, file)} imports ${target}`);
    }
  }
}
if (problems.length) {
  console.error(`Layer violations (imports must point down: src → protocol/launcher; launcher → protocol transports/errors):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layers: ok');
