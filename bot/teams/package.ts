/**
 * Builds the Teams app package: a zip of the filled-in manifest, its language files and the two
 * icons, after checking every JSON file against the published Teams schema of the manifest's
 * version. Teams' own upload repeats these checks; failing here says what to fix, and where.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildManifest, ManifestError, TEAMS_DIR, type Manifest, type ManifestOptions } from './manifest.js';
import { schemaProblems } from './validate.js';
import { zip, type ZipEntry } from './zip.js';

export interface TeamsPackage {
  manifest: Manifest;
  /** The files inside the zip, in order, `manifest.json` first. */
  files: ZipEntry[];
  zip: Buffer;
}

interface LocalizationInfo {
  additionalLanguages?: { languageTag: string; file: string }[];
}

export function buildTeamsPackage(options: ManifestOptions, dir: string = TEAMS_DIR): TeamsPackage {
  const manifest = buildManifest(options, readFileSync(path.join(dir, 'manifest.template.json'), 'utf8'));
  const problems = schemaProblems('manifest', manifest.manifestVersion, manifest).map((p) => `manifest.json: ${p}`);
  const files: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];

  for (const { file } of (manifest.localizationInfo as LocalizationInfo | undefined)?.additionalLanguages ?? []) {
    const data = readFileSync(path.join(dir, file));
    problems.push(
      ...schemaProblems('localization', manifest.manifestVersion, JSON.parse(data.toString('utf8'))).map(
        (p) => `${file}: ${p}`,
      ),
    );
    files.push({ name: file, data });
  }
  const icons = manifest.icons as { color: string; outline: string };
  for (const icon of [icons.color, icons.outline])
    files.push({ name: icon, data: readFileSync(path.join(dir, 'icons', icon)) });

  if (problems.length > 0)
    throw new ManifestError(`the Teams manifest does not match its published schema:\n  ${problems.join('\n  ')}`);
  return { manifest, files, zip: zip(files) };
}
