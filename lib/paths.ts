/**
 * Where kefu's own files are, whether it runs from the TypeScript sources (tsx, in development
 * and tests) or from the build in `dist/`. The build holds compiled modules only: data/ and the
 * static assets beside the sources (the console, the widget, the Teams template) are read where
 * they are, by their path under the project root, so nothing is copied, an edited asset needs no
 * rebuild, and it does not matter which bundle a module was compiled into.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder holding a package.json above `from`: the project root, from a source or a compiled module. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`kefu: no package.json in any folder above ${from}`);
  }
}

/** The project folder: package.json, data/, the sources, and dist/ when built. */
export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * A path under the project root, e.g. `projectPath('data', 'rules.yaml')` or, for an asset kept
 * beside its module's source, `projectPath('bot', 'web', 'assets')`.
 */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
