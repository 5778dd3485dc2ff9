/**
 * The part of Cloudflare's R2 binding the blob store uses (declared here, as src/store/d1/db.ts does
 * for D1, so that yrdx compiles without the Workers type package).
 */
export interface R2Bucket {
  head(key: string): Promise<R2Object | null>;
  get(key: string, options?: { range?: { offset: number; length?: number } }): Promise<R2ObjectBody | null>;
  put(key: string, value: ArrayBuffer | ArrayBufferView | string | null): Promise<R2Object | null>;
  /** Up to 1000 keys at once. */
  delete(keys: string | string[]): Promise<void>;
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<R2Objects>;
}

export interface R2Object {
  readonly key: string;
  readonly size: number;
}

export interface R2ObjectBody extends R2Object {
  readonly body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
}

export type R2Objects = {
  readonly objects: R2Object[];
} & ({ readonly truncated: true; readonly cursor: string } | { readonly truncated: false });
