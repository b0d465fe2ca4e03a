/**
 * A function's deployment package: the bytes GetFunction's code location serves and CodeSha256
 * describes. Uploaded code keeps the exact bytes uploaded; a folder from a functions file becomes
 * a reproducible zip, so uploading the downloaded bytes again gives the same CodeSha256, as on AWS.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DeploymentPackage } from '../model/types.js';
import { writeZip, type ZipEntry } from './zip.js';

/** AWS's CodeSha256 (base64 SHA-256) and CodeSize of exactly these bytes. */
export function deploymentPackage(bytes: Buffer): DeploymentPackage {
  return {
    deploymentPackage: bytes,
    sha256: createHash('sha256').update(bytes).digest('base64'),
    size: bytes.length,
  };
}

/** Every file below `directory`, in a stable order, as a zip: the same files give the same bytes. */
export function packageDirectory(directory: string): DeploymentPackage {
  const entries: ZipEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        walk(path);
      } else {
        const entryName = relative(directory, path).split(sep).join('/');
        entries.push({ name: entryName, data: readFileSync(path), mode: stat.mode & 0o777 });
      }
    }
  };
  walk(directory);
  return deploymentPackage(writeZip(entries));
}
