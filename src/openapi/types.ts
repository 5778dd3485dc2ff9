import type { NodeConfig } from '../config/types.js';
import type { ContractRegistry } from '../contracts/registry.js';

/** What the path groups of the OpenAPI document may describe themselves from. */
export interface OpenApiContext {
  readonly config: NodeConfig;
  readonly version: string;
  /** The exchange's contracts; absent on a node that serves only its well-known documents. */
  readonly contracts?: ContractRegistry;
  readonly metrics: boolean;
  /** Whether the admin API (`/admin/v1`) is mounted: only then are its paths described. */
  readonly admin?: boolean;
}

/** An OpenAPI 3.1 Path Item Object (kept loose: the document is data, checked by tests). */
export type PathItem = Readonly<Record<string, unknown>>;

/** The part of the document one route group contributes: its tag, paths and component schemas. */
export interface PathContribution {
  readonly tag: { readonly name: string; readonly description: string };
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly schemas?: Readonly<Record<string, unknown>>;
}

/** One route group's description; `undefined` when the group is not mounted on this node. */
export type PathContributor = (context: OpenApiContext) => PathContribution | undefined;
