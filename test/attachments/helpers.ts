import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A small real PDF head and `size` bytes in all: what the content check reads as application/pdf. */
export function pdfBytes(size: number, seed = 1): Uint8Array {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
  const out = new Uint8Array(size);
  out.set(head.subarray(0, Math.min(head.length, size)));
  let x = seed >>> 0 || 1;
  for (let i = head.length; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const sm3 = (bytes: Uint8Array): string => `sm3:${createHash('sm3').update(bytes).digest('hex')}`;

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** An ELF executable's first bytes, padded: refused whatever its name says. */
export function elfBytes(size = 8192): Uint8Array {
  const out = new Uint8Array(size);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  out.set(randomBytes(64), 64);
  return out;
}

export function example(domain: string, dialect: string, type: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(`contracts/${domain}/1.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;
}

/** A tus client in a few lines: create, then PATCH in pieces (optionally cut after some). */
export async function tusUpload(
  url: string,
  apiKey: string,
  bytes: Uint8Array,
  options: { name?: string; type?: string; chunk?: number; expected?: string } = {},
): Promise<{ id: string; location: string }> {
  const meta = [`filename ${b64(options.name ?? '案件材料.pdf')}`];
  if (options.type !== undefined) meta.push(`filetype ${b64(options.type)}`);
  if (options.expected !== undefined)
    meta.push(
      options.expected.startsWith('sm3:')
        ? `sm3 ${b64(options.expected.slice(4))}`
        : `sha256 ${b64(options.expected)}`,
    );
  const created = await fetch(`${url}/v1/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': meta.join(','),
    },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const location = created.headers.get('location')!;
  const chunk = options.chunk ?? bytes.length;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const res = await fetch(`${url}${location}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes.slice(offset, Math.min(bytes.length, offset + chunk)) as Uint8Array<ArrayBuffer>,
    });
    if (res.status !== 204)
      throw Object.assign(new Error(`patch: ${res.status}`), { response: res, body: await res.text() });
  }
  return { id: location.split('/').at(-1)!, location };
}
