/**
 * Where kefu's own files are, whether it runs from the TypeScript sources (tsx, in development
 * and tests) or from the build in `dist/`. The build holds compiled modules only: data/ and the
 * static assets beside the sources (the console, the widget, the Teams template) are read where
 * they are, so nothing is copied and an edited asset needs no rebuild.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The build's output folder under the project root (`outDir` in tsconfig.build.json). */
export const BUILD_DIR = 'dist';

/** The nearest folder holding a package.json above `from`: the project root, from a source or a compiled module. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`kefu: no package.json in any folder above ${from}`);
  }
}

/** The project folder: package.json, data/, the sources, and dist/ when built. */
export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path under the project root, e.g. `projectPath('data', 'rules.yaml')`. */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}

/**
 * `relative` resolved against the source file of the module whose `import.meta.url` is given,
 * also when that module runs compiled from dist/: for files that live beside a module's source,
 * such as `besideSource(import.meta.url, 'assets/lead.js')`.
 */
export function besideSource(moduleUrl: string, relative: string): string {
  const file = fileURLToPath(moduleUrl);
  const inBuild = path.relative(projectPath(BUILD_DIR), file);
  const source = inBuild.startsWith('..') || path.isAbsolute(inBuild) ? file : projectPath(inBuild);
  return path.resolve(path.dirname(source), relative);
}
