import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeConfigSchema } from '../../src/config/schema.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { YrdxError } from '../../src/errors/errors.js';
import { loadConfigFile } from '../../src/runtime/node/config-file.js';
import { nodeStoreConfig } from '../../src/runtime/node/store.js';
import { tempDir } from '../helpers/tmp.js';

const minimal = {
  id: '330500',
  name: '湖州市',
  province: 'zj',
  publicUrl: 'https://yrdx.huzhou.example',
  keys: { source: 'file' },
  partners: [
    {
      id: '320500',
      name: '苏州市',
      baseUrl: 'https://yrdx.suzhou.example/',
      keys: { jwksUrl: 'https://yrdx.suzhou.example/.well-known/jwks.json', pins: ['A'.repeat(43)] },
      maySend: { domains: ['food-safety'], types: ['assistance-request'] },
    },
  ],
};

function faultsOf(value: unknown): { pointer: string; detail: string; file?: string }[] {
  try {
    validateNodeConfig(value, { file: 'node.json' });
  } catch (error) {
    expect(error).toBeInstanceOf(YrdxError);
    expect((error as YrdxError).code).toBe('config_invalid');
    return (error as YrdxError).errors.map((e) => ({ ...e, detail: e.detail.en }));
  }
  throw new Error('expected the configuration to be refused');
}

const with_ = (patch: (c: typeof minimal & Record<string, unknown>) => void) => {
  const copy = structuredClone(minimal) as typeof minimal & Record<string, unknown>;
  patch(copy);
  return copy;
};

describe('node configuration', () => {
  it('applies safe defaults and freezes the result', () => {
    const config = validateNodeConfig(minimal, { file: 'node.json' });
    expect(config.envelope).toMatchObject({
      clockSkewSeconds: 60,
      maxTokenBytes: 1048576,
      algorithms: ['ES256', 'EdDSA', 'SM2'],
    });
    expect(config.keys).toEqual({ source: 'file', path: 'keys/keyring.json', algorithm: 'ES256' });
    expect(config.cryptoProfile).toBe('international');
    expect(config.partners[0]).toMatchObject({ status: 'active', baseUrl: 'https://yrdx.suzhou.example' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.partners[0]?.maySend.domains)).toBe(true);
    expect(() => {
      (config as { id: string }).id = '320500';
    }).toThrow(TypeError);
  });

  it.each([
    [
      'a missing member',
      with_((c) => {
        delete (c as Partial<typeof c>).publicUrl;
      }),
      '/publicUrl',
      'missing',
    ],
    [
      'an unknown member',
      with_((c) => {
        c.prot = 1;
      }),
      '/prot',
      'allowed here: $schema, id',
    ],
    [
      'a node id that is not six digits',
      with_((c) => {
        c.id = '3305';
      }),
      '/id',
      'six-digit GB/T 2260',
    ],
    [
      'a division code outside the Delta',
      with_((c) => {
        c.id = '110000';
      }),
      '/id',
      "Delta's 41 cities",
    ],
    [
      'a county code, not a city',
      with_((c) => {
        c.id = '330502';
      }),
      '/id',
      "Delta's 41 cities",
    ],
    [
      'a province that does not fit the id',
      with_((c) => {
        c.province = 'js';
      }),
      '/province',
      'expected "zj"',
    ],
    [
      'an unknown province',
      with_((c) => {
        c.province = 'bj';
      }),
      '/province',
      'one of: "sh", "js", "zj", "ah"',
    ],
    [
      'plain http to a remote host',
      with_((c) => {
        c.publicUrl = 'http://yrdx.huzhou.example';
      }),
      '/publicUrl',
      'expected https',
    ],
    [
      'a URL with credentials',
      with_((c) => {
        c.publicUrl = 'https://u:p@yrdx.huzhou.example';
      }),
      '/publicUrl',
      'without credentials',
    ],
    [
      'an unknown key source',
      with_((c) => {
        c.keys = { source: 'hsm' } as never;
      }),
      '/keys/source',
      '"file", "env", "secret"',
    ],
    [
      'an env key source without a variable',
      with_((c) => {
        c.keys = { source: 'env' } as never;
      }),
      '/keys/variable',
      'environment variable',
    ],
    [
      'an algorithm outside the allow-list',
      with_((c) => {
        c.keys = { source: 'file', algorithm: 'HS256' } as never;
      }),
      '/keys/algorithm',
      '"ES256", "EdDSA", "PS256"',
    ],
    [
      'a signing algorithm the node would not accept',
      with_((c) => {
        c.keys = { source: 'file', algorithm: 'PS256' } as never;
      }),
      '/keys/algorithm',
      'envelope.algorithms',
    ],
    [
      'a skew that is not a number',
      with_((c) => {
        c.envelope = { clockSkewSeconds: '60' };
      }),
      '/envelope/clockSkewSeconds',
      'expected integer',
    ],
    [
      'a message lifetime over the maximum',
      with_((c) => {
        c.envelope = { maxLifetimeSeconds: 3600, messageLifetimeSeconds: 7200 };
      }),
      '/envelope/messageLifetimeSeconds',
      'at most maxLifetimeSeconds',
    ],
    [
      'the node as its own partner',
      with_((c) => {
        c.partners[0]!.id = '330500';
      }),
      '/partners/0/id',
      'not its own partner',
    ],
    [
      'a partner outside the Delta',
      with_((c) => {
        c.partners[0]!.id = '440300';
      }),
      '/partners/0/id',
      "Delta's 41 cities",
    ],
    [
      'a partner twice',
      with_((c) => {
        c.partners.push(structuredClone(c.partners[0]!));
      }),
      '/partners/1/id',
      'repeats /partners/0/id',
    ],
    [
      'a partner with two key sources',
      with_((c) => {
        (c.partners[0]!.keys as Record<string, unknown>).jwksFile = 'x.json';
      }),
      '/partners/0/keys',
      'exactly one of',
    ],
    [
      'a JWKS URL without pins',
      with_((c) => {
        c.partners[0]!.keys.pins = [];
      }),
      '/partners/0/keys/pins',
      'pinned thumbprint',
    ],
    [
      'a malformed pin',
      with_((c) => {
        c.partners[0]!.keys.pins = ['short'];
      }),
      '/partners/0/keys/pins/0',
      'thumbprint',
    ],
    [
      'a message type that is not a name',
      with_((c) => {
        c.partners[0]!.maySend.types = ['Gossip!'];
      }),
      '/partners/0/maySend/types/0',
      'case-transfer',
    ],
  ])('names the pointer and what was expected for %s', (_name, value, pointer, expected) => {
    const faults = faultsOf(value);
    const fault = faults.find((f) => f.pointer === pointer);
    expect(fault, JSON.stringify(faults)).toBeDefined();
    expect(fault?.detail).toContain(expected);
    expect(fault?.file).toBe('node.json');
  });

  it('keeps messages in SQLite unless the store says PostgreSQL, with the URL of its database', () => {
    expect(validateNodeConfig(minimal, { file: 'node.json' }).store).toEqual({ kind: 'sqlite' });
    const sqlite = with_((c) => {
      c.store = { kind: 'sqlite' };
    });
    expect(validateNodeConfig(sqlite, { file: 'node.json' }).store).toEqual({ kind: 'sqlite' });
    const url = 'postgres://yrdx@db.huzhou.example:5432/yrdx';
    const postgres = with_((c) => {
      c.store = { kind: 'postgres', url };
    });
    expect(validateNodeConfig(postgres, { file: 'node.json' }).store).toEqual({ kind: 'postgres', url });
    const fault = (store: unknown) =>
      faultsOf(
        with_((c) => {
          c.store = store;
        }),
      ).map((f) => [f.pointer, f.detail]);
    expect(fault({ kind: 'postgres' })).toEqual([
      ['/store/url', expect.stringMatching(/^expected the URL of the PostgreSQL database .*DATABASE_URL/)],
    ]);
    expect(fault({ kind: 'postgres', url: 'mysql://db/yrdx' })).toEqual([
      ['/store/url', 'expected a PostgreSQL connection URL (postgres://user@host:5432/database)'],
    ]);
    expect(fault({ kind: 'postgres', url: 'postgres://db.example' })).toEqual([
      ['/store/url', 'expected the database name at the end of the URL (…/database)'],
    ]);
    expect(fault({ kind: 'sqlite', url })).toEqual([
      ['/store/url', 'expected no URL for the SQLite store (it is a file in dataDir)'],
    ]);
    expect(fault({ kind: 'd2' })).toEqual([['/store/kind', 'expected one of: "sqlite", "postgres"']]);
    expect(fault({ url })).toEqual([['/store/kind', 'expected this member; it is missing']]);
  });

  it('sizes the PostgreSQL pool from the file, or from DATABASE_POOL_SIZE, which wins', () => {
    const url = 'postgres://yrdx@db.huzhou.example:5432/yrdx';
    const config = validateNodeConfig(
      with_((c) => {
        c.store = { kind: 'postgres', url, poolSize: 25 };
      }),
      { file: 'node.json' },
    );
    expect(config.store).toEqual({ kind: 'postgres', url, poolSize: 25 });
    expect(nodeStoreConfig(config, {})).toEqual({ kind: 'postgres', url, poolSize: 25 });
    expect(nodeStoreConfig(config, { DATABASE_POOL_SIZE: '40' })).toEqual({
      kind: 'postgres',
      url,
      poolSize: 40,
    });
    // DATABASE_URL replaces the URL only; the file's pool size stays unless the environment sets one.
    const other = 'postgres://yrdx@db2.huzhou.example/yrdx';
    expect(nodeStoreConfig(config, { DATABASE_URL: other })).toEqual({
      kind: 'postgres',
      url: other,
      poolSize: 25,
    });
    const sqlite = validateNodeConfig(minimal, { file: 'node.json' });
    expect(nodeStoreConfig(sqlite, { DATABASE_URL: other, DATABASE_POOL_SIZE: '3' })).toEqual({
      kind: 'postgres',
      url: other,
      poolSize: 3,
    });
    // SQLite has no pool: the variable is ignored there.
    expect(nodeStoreConfig(sqlite, { DATABASE_POOL_SIZE: '3' })).toEqual({ kind: 'sqlite' });
    for (const bad of ['0', '101', '2.5', 'ten']) {
      let thrown: unknown;
      try {
        nodeStoreConfig(config, { DATABASE_POOL_SIZE: bad });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({
        code: 'config_invalid',
        errors: [
          {
            pointer: '/DATABASE_POOL_SIZE',
            detail: expect.objectContaining({ en: expect.stringContaining(`not "${bad}"`) }),
          },
        ],
      });
    }
    const fault = (store: unknown) =>
      faultsOf(
        with_((c) => {
          c.store = store;
        }),
      ).map((f) => f.pointer);
    expect(fault({ kind: 'postgres', url, poolSize: 0 })).toEqual(['/store/poolSize']);
    expect(fault({ kind: 'postgres', url, poolSize: 101 })).toEqual(['/store/poolSize']);
    expect(fault({ kind: 'sqlite', poolSize: 5 })).toEqual(['/store/poolSize']);
  });

  it('reports every fault at once', () => {
    const faults = faultsOf(
      with_((c) => {
        c.id = '110000';
        c.publicUrl = 'http://x.example';
        c.partners[0]!.id = '440300';
      }),
    );
    expect(faults.map((f) => f.pointer).sort()).toEqual(['/id', '/partners/0/id', '/publicUrl']);
  });

  it('allows plain http on loopback, or when the administrator says so', () => {
    expect(
      validateNodeConfig(
        with_((c) => {
          c.publicUrl = 'http://127.0.0.1:8787';
        }),
        { file: 'x' },
      ).publicUrl,
    ).toBe('http://127.0.0.1:8787');
    expect(
      validateNodeConfig(
        with_((c) => {
          c.publicUrl = 'http://gw.internal';
          c.allowInsecureHttp = true;
        }),
        { file: 'x' },
      ),
    ).toBeDefined();
  });

  it('names the file for unreadable and non-JSON files', () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.json');
    require_(() => loadConfigFile(join(dir, 'missing.json')), 'missing.json', 'cannot be read');
    require_(() => loadConfigFile(writeText(broken, '{"id": "330500",}')), 'broken.json', 'expected JSON');
  });

  it('loads the sample configurations in config/', () => {
    for (const file of [
      'config/node.json',
      'config/federation/330500.json',
      'config/federation/320500.json',
      'config/federation/310000.json',
      'config/federation/340100.json',
    ]) {
      const config = loadConfigFile(file);
      expect(config.id).toMatch(/^\d{6}$/);
    }
    const huzhou = loadConfigFile('config/federation/330500.json');
    expect(huzhou.partners.map((p) => p.id).sort()).toEqual(['310000', '320500', '340100']);
    expect(huzhou.partners[0]?.keys.jwksFile).toMatch(/data\/federation\/\d{6}\/jwks\.json$/);
  });

  it('keeps config/node.schema.json equal to the schema the loader uses', () => {
    expect(JSON.parse(readFileSync('config/node.schema.json', 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(nodeConfigSchema)),
    );
  });
});

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

function require_(fn: () => unknown, file: string, detail: string): void {
  try {
    fn();
  } catch (error) {
    expect((error as YrdxError).code).toBe('config_invalid');
    expect((error as YrdxError).errors[0]?.file).toContain(file);
    expect((error as YrdxError).errors[0]?.detail.en).toContain(detail);
    return;
  }
  throw new Error('expected a config_invalid error');
}
