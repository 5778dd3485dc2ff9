import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type/core';
import { describe, expect, it } from 'vitest';
import {
  checkMedia,
  DEFAULT_MEDIA_TYPES,
  detectMedia,
  EARLY_HEAD_BYTES,
  HEAD_BYTES,
  MEDIA,
  MEDIA_EXTENSIONS,
  MEDIA_TEXT,
  mediaEssence,
  refuseEarly,
} from '../../src/attachments/media.js';
import { MAX_DIRECTORY_BYTES } from '../../src/attachments/zip-directory.js';
import { isYrdxError } from '../../src/errors/errors.js';
import { tableFaults } from '../helpers/one-language.js';
import { tempDir } from '../helpers/tmp.js';
import { type ZipEntry, zip } from './zip-writer.js';

/**
 * Real minimal files of each format, written to a temporary directory and read back through a file
 * handle (counting every byte read), then detected and checked against the default allow-list.
 */

const encoder = new TextEncoder();
function bytes(...parts: (number[] | string | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
const zeros = (n: number) => new Uint8Array(n);

const PDF = bytes(
  '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
  '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const PNG = bytes(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0, 0, 0, 13],
  'IHDR',
  [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89],
  [0, 0, 0, 0],
  'IEND',
  [0xae, 0x42, 0x60, 0x82],
);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0], [0xff, 0xd9]);
// A little-endian TIFF header with one empty IFD (no tags), and a big-endian one.
const TIFF = bytes('II', [42, 0, 8, 0, 0, 0], [0, 0], [0, 0, 0, 0]);
const TIFF_BE = bytes('MM', [0, 42, 0, 0, 0, 8], [0, 0], [0, 0, 0, 0]);
const MP4 = bytes([0, 0, 0, 24], 'ftypisom', [0, 0, 2, 0], 'isomiso2', [0, 0, 0, 8], 'mdat');
const QUICKTIME = bytes([0, 0, 0, 20], 'ftypqt  ', [0, 0, 2, 0], 'qt  ', [0, 0, 0, 8], 'mdat');
const ELF = bytes([0x7f], 'ELF', [2, 1, 1, 0], zeros(8), [2, 0, 0x3e, 0, 1, 0, 0, 0], zeros(40));
const PE = bytes(
  'MZ',
  [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff],
  zeros(46),
  [0x40, 0, 0, 0],
  'PE\0\0',
  zeros(20),
);
const SCRIPT = bytes('#!/bin/sh\nrm -rf "$HOME"\n');
const HTML = bytes('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');

/** Padding that pushes the entries after it past the head file-type reads. */
const PAD: ZipEntry = { name: 'media/pad.bin', data: zeros(HEAD_BYTES + 16 * 1024) };
/** `[Content_Types].xml` of an Office package whose main part has the given content type. */
function contentTypes(part: string, main: string, deflate = false): ZipEntry {
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Override PartName="${part}" ContentType="${main}"/></Types>`;
  return { name: '[Content_Types].xml', data: xml, deflate };
}
const WORD_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const EXCEL_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const DOCM_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';
const CONTENT_TYPES: ZipEntry = { name: '[Content_Types].xml', data: '<Types/>' };
const RELS: ZipEntry = { name: '_rels/.rels', data: '<?xml version="1.0"?><Relationships/>' };
const DOCX = zip([
  RELS,
  PAD,
  { name: 'word/document.xml', data: '<w:document/>' },
  contentTypes('/word/document.xml', WORD_MAIN),
]);
const XLSX = zip([
  RELS,
  PAD,
  { name: 'xl/workbook.xml', data: '<workbook/>' },
  contentTypes('/xl/workbook.xml', EXCEL_MAIN, true),
]);
const DOCM = zip([
  RELS,
  PAD,
  { name: 'word/document.xml', data: '<w:document/>' },
  { name: 'word/vbaProject.bin', data: zeros(64) },
  contentTypes('/word/document.xml', DOCM_MAIN, true),
]);
const OFD = zip([
  { name: 'Doc_0/Document.xml', data: '<ofd:Document/>' },
  { name: 'Doc_0/Pages/Page_0/Content.xml', data: '<ofd:Page/>' },
  PAD,
  { name: 'OFD.xml', data: '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>' },
]);
const ZIP = zip([
  { name: '案卷/现场照片.png', data: PNG },
  { name: '案卷/说明.txt', data: '检查记录' },
]);

interface Counted {
  readonly read: (start: number, end: number) => Promise<Uint8Array>;
  readonly size: number;
  /** Bytes read so far, and the largest single read. */
  readonly stats: { bytes: number; largest: number; calls: number };
  close(): Promise<void>;
}

const dir = tempDir('yrdx-media-');
let files = 0;

/** The bytes written to a real file, read back through a file handle. */
async function onDisk(content: Uint8Array): Promise<Counted> {
  const path = join(dir, `f${files++}`);
  await writeFile(path, content);
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  const stats = { bytes: 0, largest: 0, calls: 0 };
  return {
    size,
    stats,
    async read(start, end) {
      expect(0 <= start && start <= end && end <= size).toBe(true);
      const out = new Uint8Array(end - start);
      const { bytesRead } = await handle.read(out, 0, out.length, start);
      stats.bytes += bytesRead;
      stats.largest = Math.max(stats.largest, bytesRead);
      stats.calls++;
      return out.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

async function detect(content: Uint8Array): Promise<string | undefined> {
  const file = await onDisk(content);
  try {
    return await detectMedia(file.read, file.size);
  } finally {
    await file.close();
  }
}

const allowed = DEFAULT_MEDIA_TYPES;

/** The code `checkMedia` throws for the file under the name (and declared type), or the type it signs. */
async function verdict(content: Uint8Array, name: string, declared?: string): Promise<string> {
  const detected = await detect(content);
  try {
    return checkMedia({ name, declared, detected, allowed });
  } catch (e) {
    if (isYrdxError(e)) return e.code;
    throw e;
  }
}

describe('the allow-list', () => {
  it('holds the formats bureaus use, each with its extensions', () => {
    expect([...DEFAULT_MEDIA_TYPES].sort()).toEqual(
      [
        'application/pdf',
        'application/ofd',
        'image/jpeg',
        'image/png',
        'image/tiff',
        'video/mp4',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/zip',
      ].sort(),
    );
    for (const type of DEFAULT_MEDIA_TYPES) expect(MEDIA_EXTENSIONS[type]?.length).toBeGreaterThan(0);
    expect(MEDIA_EXTENSIONS[MEDIA.jpeg]).toEqual(['jpg', 'jpeg']);
    expect(MEDIA_EXTENSIONS[MEDIA.tiff]).toEqual(['tif', 'tiff']);
  });

  it('writes its texts in one language each', () => {
    expect(tableFaults('MEDIA_TEXT', MEDIA_TEXT)).toEqual([]);
  });

  it('reads declared types by their essence and common aliases', () => {
    expect(mediaEssence(' Application/PDF; charset=binary ')).toBe(MEDIA.pdf);
    expect(mediaEssence('image/jpg')).toBe(MEDIA.jpeg);
    expect(mediaEssence('application/x-zip-compressed')).toBe(MEDIA.zip);
  });
});

describe('detectMedia', () => {
  it.each([
    ['PDF', PDF, MEDIA.pdf],
    ['PNG', PNG, MEDIA.png],
    ['JPEG', JPEG, MEDIA.jpeg],
    ['TIFF (II)', TIFF, MEDIA.tiff],
    ['TIFF (MM)', TIFF_BE, MEDIA.tiff],
    ['MP4', MP4, MEDIA.mp4],
    ['DOCX with its telling entries last', DOCX, MEDIA.docx],
    ['XLSX with its telling entries last', XLSX, MEDIA.xlsx],
    ['OFD with OFD.xml last', OFD, MEDIA.ofd],
    ['a ZIP of case files', ZIP, MEDIA.zip],
    ['an empty ZIP', zip([]), MEDIA.zip],
    ['QuickTime', QUICKTIME, 'video/quicktime'],
    ['ELF', ELF, 'application/x-elf'],
    ['PE', PE, 'application/x-msdownload'],
    ['a shell script', SCRIPT, undefined],
    ['HTML', HTML, undefined],
    ['an empty file', new Uint8Array(0), undefined],
  ])('reads %s from the content', async (_, content, type) => {
    expect(await detect(content)).toBe(type);
  });

  it('tells DOCX from ZIP by the central directory where the head alone sees a plain ZIP', async () => {
    expect((await fileTypeFromBuffer(DOCX.subarray(0, HEAD_BYTES)))?.mime).toBe(MEDIA.zip);
    expect(await detect(DOCX)).toBe(MEDIA.docx);
  });

  it('believes the central directory, not the local headers (what a ZIP reader opens)', async () => {
    // The local headers say a Word document; the directory, which Office and unzip read, names none.
    const polyglot = zip([
      { ...contentTypes('/word/document.xml', WORD_MAIN), centralName: 'a.txt' },
      { name: 'word/document.xml', data: '<w:document/>', centralName: 'b.txt' },
    ]);
    expect((await fileTypeFromBuffer(polyglot))?.mime).toBe(MEDIA.docx);
    expect(await detect(polyglot)).toBe(MEDIA.zip);
    const hidden = zip([{ name: 'readme.txt', data: 'x', centralName: 'OFD.xml' }]);
    expect(await detect(hidden)).toBe(MEDIA.ofd);
  });

  it('reads the Office format from [Content_Types].xml (stored or deflated), so a DOCM is no DOCX', async () => {
    expect(await detect(DOCM)).toBe('application/vnd.ms-word.document.macroenabled.12');
    expect(await detect(XLSX)).toBe(MEDIA.xlsx);
  });

  it('falls back to the folders of the parts when [Content_Types].xml names no main part', async () => {
    expect(await detect(zip([RELS, { name: 'word/document.xml', data: 'x' }, CONTENT_TYPES]))).toBe(
      MEDIA.docx,
    );
    expect(await detect(zip([{ name: 'xl/workbook.xml', data: 'x' }, CONTENT_TYPES]))).toBe(MEDIA.xlsx);
    // Folders without [Content_Types].xml are no Office package.
    expect(await detect(zip([{ name: 'word/document.xml', data: 'x' }]))).toBe(MEDIA.zip);
  });

  it('recognises nothing in a ZIP that names an entry twice (readers differ on which they open)', async () => {
    const twice = zip([
      contentTypes('/word/document.xml', WORD_MAIN),
      { name: 'word/document.xml', data: 'x' },
      contentTypes('/word/document.xml', DOCM_MAIN),
    ]);
    expect(await detect(twice)).toBeUndefined();
  });

  it('recognises nothing in a ZIP that tells two formats at once', async () => {
    const both = zip([
      CONTENT_TYPES,
      { name: 'word/document.xml', data: 'x' },
      { name: 'OFD.xml', data: 'x' },
    ]);
    expect(await detect(both)).toBeUndefined();
  });

  it('reads a Java archive in a ZIP as one, wherever its manifest lies', async () => {
    const jar = zip([
      { name: 'a/Main.class', data: zeros(10) },
      PAD,
      { name: 'META-INF/MANIFEST.MF', data: 'x' },
    ]);
    expect(await detect(jar)).toBe('application/java-archive');
  });

  it('finds the end record behind a comment, even one that holds a fake end record', async () => {
    // A comment may hold an end record's bytes; one that does not reach the end of the file is not it.
    const fake = bytes([0x50, 0x4b, 5, 6], zeros(18), ' 备注');
    expect(await detect(zip([{ name: 'OFD.xml', data: 'x' }], { comment: fake }))).toBe(MEDIA.ofd);
    expect(await detect(zip([{ name: 'OFD.xml', data: 'x' }], { comment: '备注'.repeat(1000) }))).toBe(
      MEDIA.ofd,
    );
  });

  it('reads ZIP64 end records', async () => {
    const docx64 = zip([RELS, PAD, { name: 'word/document.xml', data: 'x' }, CONTENT_TYPES], { zip64: true });
    expect(await detect(docx64)).toBe(MEDIA.docx);
  });

  it.each([
    ['a ZIP cut short (no end record)', DOCX.subarray(0, DOCX.length - 10)],
    [
      'a directory said to lie past the end record',
      zip([{ name: 'a', data: 'x' }], { claimOffset: 1_000_000 }),
    ],
    ['more entries claimed than the directory holds', zip([{ name: 'a', data: 'x' }], { claimEntries: 2 })],
    ['a directory that starts mid-entry', zip([{ name: 'a', data: 'xyz' }], { claimOffset: 3 })],
    ['a lone ZIP signature', bytes([0x50, 0x4b, 3, 4])],
  ])('recognises nothing in %s', async (_, content) => {
    expect(await detect(content)).toBeUndefined();
  });

  it('reads a bounded part of a large file, never the whole', async () => {
    const big = zip([
      { name: 'video.bin', data: zeros(8 * 1024 * 1024) },
      { name: 'OFD.xml', data: 'x' },
    ]);
    const file = await onDisk(big);
    try {
      expect(await detectMedia(file.read, file.size)).toBe(MEDIA.ofd);
      expect(file.stats.bytes).toBeLessThanOrEqual(HEAD_BYTES + 22 + 0xffff + 1024);
      expect(file.stats.calls).toBeLessThanOrEqual(3);
    } finally {
      await file.close();
    }
  });

  it('caps the central directory it reads (and then reports what it saw)', async () => {
    const many: ZipEntry[] = [];
    for (let i = 0; i < 12_000; i++)
      many.push({ name: `scans/page-${String(i).padStart(5, '0')}.bin`, data: '' });
    const file = await onDisk(zip([...many, { name: 'OFD.xml', data: 'x' }]));
    try {
      // OFD.xml lies past the cap: the file is read as the ZIP it also is.
      expect(await detectMedia(file.read, file.size)).toBe(MEDIA.zip);
      expect(file.stats.largest).toBeLessThanOrEqual(MAX_DIRECTORY_BYTES);
      expect(file.stats.bytes).toBeLessThanOrEqual(HEAD_BYTES + 22 + 0xffff + MAX_DIRECTORY_BYTES);
    } finally {
      await file.close();
    }
  });

  it('refuses a size that is no size', async () => {
    await expect(detectMedia(async () => new Uint8Array(0), -1)).rejects.toThrow(RangeError);
  });
});

describe('checkMedia', () => {
  it.each([
    [PDF, '报告.pdf', undefined],
    [PDF, '报告.PDF', 'application/pdf'],
    [PDF, '报告', undefined],
    [PDF, '报告.pdf', 'application/octet-stream'],
    [PDF, '报告.pdf', 'Application/PDF; charset=binary'],
    [JPEG, '现场照片.jpg', 'image/jpeg'],
    [JPEG, '现场照片.jpeg', 'image/jpg'],
    [PNG, '现场照片.png', 'image/png'],
    [TIFF, '扫描件.tif', undefined],
    [TIFF_BE, '扫描件.tiff', 'image/tiff'],
    [MP4, '执法记录.mp4', 'video/mp4'],
    [DOCX, '检查报告.docx', MEDIA.docx],
    [XLSX, '监测数据.xlsx', undefined],
    [OFD, '处罚决定书.ofd', 'application/ofd'],
    [ZIP, '案卷.zip', 'application/x-zip-compressed'],
  ])('accepts %#: %s declared %s', async (content, name, declared) => {
    const type = await verdict(content, name, declared);
    expect(DEFAULT_MEDIA_TYPES).toContain(type);
    expect(type).toBe(await detect(content));
  });

  it.each([
    ['an ELF executable named .pdf', ELF, '报告.pdf', 'application/pdf'],
    ['a Windows executable named .pdf', PE, '报告.pdf', undefined],
    ['a shell script named .pdf', SCRIPT, '报告.pdf', 'application/pdf'],
    ['an HTML page named .pdf', HTML, '报告.pdf', undefined],
    ['QuickTime named .mp4', QUICKTIME, '执法记录.mp4', 'video/mp4'],
    ['an empty file', new Uint8Array(0), '空.pdf', undefined],
    ['a damaged ZIP', DOCX.subarray(0, 1000), '检查报告.docx', undefined],
    ['a macro-enabled Word document named .docx', DOCM, '检查报告.docx', MEDIA.docx],
  ])('refuses %s (attachment_type_refused)', async (_, content, name, declared) => {
    expect(await verdict(content, name, declared)).toBe('attachment_type_refused');
  });

  it.each([
    ['a PNG named .jpg', PNG, '现场照片.jpg', undefined],
    ['a PNG declared image/jpeg', PNG, '现场照片.png', 'image/jpeg'],
    ['a PDF named .exe', PDF, '报告.exe', undefined],
    ['a PDF declared text/html', PDF, '报告.pdf', 'text/html'],
    // An OFD is a ZIP underneath, but it is signed as what it is: renamed .zip it would reach an unzip tool.
    ['an OFD named .zip', OFD, '处罚决定书.zip', undefined],
    ['a DOCX declared application/zip', DOCX, '检查报告.docx', 'application/zip'],
    ['a ZIP named .docx', ZIP, '检查报告.docx', undefined],
    ['an XLSX named .docx', XLSX, '监测数据.docx', undefined],
    [
      'a DOCX declared as a macro-enabled document',
      DOCX,
      '检查报告.docx',
      'application/vnd.ms-word.document.macroenabled.12',
    ],
  ])('refuses %s (attachment_type_mismatch)', async (_, content, name, declared) => {
    expect(await verdict(content, name, declared)).toBe('attachment_type_mismatch');
  });

  it('names the content, the claim and the allowed formats in the refusal', () => {
    const refused = () => checkMedia({ name: '报告.pdf', detected: 'application/x-elf', allowed });
    expect(refused).toThrow(expect.objectContaining({ code: 'attachment_type_refused', status: 415 }));
    try {
      refused();
    } catch (e) {
      if (!isYrdxError(e)) throw e;
      expect(e.detail('zh')).toContain('报告.pdf');
      expect(e.detail('zh')).toContain('application/x-elf');
      expect(e.detail('zh')).toContain('PDF、OFD');
      expect(e.detail('en')).toContain('PDF, OFD');
    }
    try {
      checkMedia({ name: '报告', detected: undefined, allowed });
    } catch (e) {
      if (!isYrdxError(e)) throw e;
      expect(e.detail('zh')).toContain('无法识别的格式');
      expect(e.detail('en')).toContain('an unrecognised format');
    }
    try {
      checkMedia({ name: '照片.jpg', detected: MEDIA.png, allowed });
    } catch (e) {
      if (!isYrdxError(e)) throw e;
      expect(e.code).toBe('attachment_type_mismatch');
      expect(e.params).toMatchObject({ name: '照片.jpg', declared: '.jpg', detected: MEDIA.png });
    }
  });

  it('follows the node’s allow-list, not the default', () => {
    expect(() => checkMedia({ name: 'a.zip', detected: MEDIA.zip, allowed: [MEDIA.pdf] })).toThrow(
      expect.objectContaining({ code: 'attachment_type_refused' }),
    );
    // A type allowed by configuration with no extension in the table has its extension unchecked.
    expect(checkMedia({ name: 'a.gif', detected: 'image/gif', allowed: ['image/gif'] })).toBe('image/gif');
    expect(
      checkMedia({
        name: 'a.gif',
        detected: 'image/gif',
        allowed: ['image/gif'],
        extensions: { 'image/gif': ['gif'] },
      }),
    ).toBe('image/gif');
    expect(() =>
      checkMedia({
        name: 'a.png',
        detected: 'image/gif',
        allowed: ['image/gif'],
        extensions: { 'image/gif': ['gif'] },
      }),
    ).toThrow(expect.objectContaining({ code: 'attachment_type_mismatch' }));
  });
});

describe('refuseEarly', () => {
  const head = (content: Uint8Array) => bytes(content, zeros(Math.max(0, EARLY_HEAD_BYTES - content.length)));
  const code = async (h: Uint8Array, options?: { size?: number; name?: string }) => {
    try {
      await refuseEarly(h, allowed, options);
      return 'quiet';
    } catch (e) {
      if (isYrdxError(e)) return e.code;
      throw e;
    }
  };

  it('refuses a disguised executable at its first bytes', async () => {
    expect(await code(head(ELF), { name: '报告.pdf' })).toBe('attachment_type_refused');
    expect(await code(head(PE))).toBe('attachment_type_refused');
    expect(await code(head(QUICKTIME))).toBe('attachment_type_refused');
  });

  it('judges a short head only when it is the whole file', async () => {
    expect(await code(PE)).toBe('quiet');
    expect(await code(PE, { size: PE.length })).toBe('attachment_type_refused');
    expect(await code(PE, { size: PE.length + 1 })).toBe('quiet');
  });

  it('lets allowed formats, ZIPs and unknown heads go on', async () => {
    for (const content of [PDF, PNG, JPEG, TIFF, MP4]) expect(await code(head(content))).toBe('quiet');
    // A ZIP's format is told at its end: not even a ZIP-less allow-list refuses its head early.
    await expect(refuseEarly(DOCX.subarray(0, EARLY_HEAD_BYTES), [MEDIA.docx])).resolves.toBeUndefined();
    expect(await code(head(SCRIPT))).toBe('quiet');
    expect(await code(new Uint8Array(0), { size: 0 })).toBe('quiet');
  });
});
