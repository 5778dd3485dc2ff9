import type { PathContributor } from '../types.js';
import { adminPaths } from './admin.js';
import { consolePaths } from './console.js';
import { exchangePaths } from './exchange.js';
import { filePaths } from './files.js';
import { operationsPaths } from './operations.js';
import { wellKnownPaths } from './well-known.js';

/** Every route group's part of the OpenAPI document, in the order they appear. A new group adds its file here. */
export const PATH_CONTRIBUTORS: readonly PathContributor[] = [
  wellKnownPaths,
  exchangePaths,
  filePaths,
  adminPaths,
  consolePaths,
  operationsPaths,
];
