import { fileTypeFromBuffer } from 'file-type/core';
import { extensionOf } from '../envelope/file-name.js';
import { YrdxError } from '../errors/errors.js';
import { type LocalText, listOf, type TextTable, textOf } from '../errors/text.js';
import { entryBytes, type ReadRange, type ZipDirectory, zipDirectory } from './zip-directory.js';

/**
 * The format of an attachment, read from its content (never from its name or the type a client
 * declares), then checked against the node's allow-list and against what the name and the declared
 * type claim. file-type's core (runtime-neutral, no `node:`) reads the head; ZIP-based formats are
 * told apart by the central directory at the end of the file (zip-directory.ts), so a DOCX, XLSX or
 * OFD is recognised whatever order its entries were written in.
 *
 * Decisions:
 * - Content not recognised counts as refused (a shell script, a text file, a damaged ZIP).
 * - A refused type is refused whatever its name: `attachment_type_refused` comes before
 *   `attachment_type_mismatch`, so an executable named 报告.pdf is refused as an executable.
 * - A ZIP-based format is its own type, not a ZIP: an OFD (or DOCX) named .zip is a mismatch — the
 *   receiving system would hand it to an unzip tool. A ZIP whose directory tells two formats at once
 *   (OFD.xml beside word/…) is not recognised.
 * - A name without an extension makes no claim and is accepted; `application/octet-stream` (what
 *   clients send when they do not know) is no declared type either.
 * - An APNG is a PNG (PNG 3rd edition; every PNG reader shows its first frame).
 */

export const MEDIA = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  mp4: 'video/mp4',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
} as const;

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const JAR = 'application/java-archive';
const APK = 'application/vnd.android.package-archive';

/** The formats bureaus exchange: what a node allows unless its configuration says otherwise. */
export const DEFAULT_MEDIA_TYPES: readonly string[] = Object.values(MEDIA);

/** The extensions a file of each type may carry (lower case, without the dot). */
export const MEDIA_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  [MEDIA.pdf]: ['pdf'],
  [MEDIA.ofd]: ['ofd'],
  [MEDIA.jpeg]: ['jpg', 'jpeg'],
  [MEDIA.png]: ['png'],
  [MEDIA.tiff]: ['tif', 'tiff'],
  [MEDIA.mp4]: ['mp4'],
  [MEDIA.docx]: ['docx'],
  [MEDIA.xlsx]: ['xlsx'],
  [MEDIA.zip]: ['zip'],
};

/** Short names people know the formats by, for the list of allowed formats in a refusal. */
const LABELS: Readonly<Record<string, string>> = {
  [MEDIA.pdf]: 'PDF',
  [MEDIA.ofd]: 'OFD',
  [MEDIA.jpeg]: 'JPEG',
  [MEDIA.png]: 'PNG',
  [MEDIA.tiff]: 'TIFF',
  [MEDIA.mp4]: 'MP4',
  [MEDIA.docx]: 'DOCX',
  [MEDIA.xlsx]: 'XLSX',
  [MEDIA.zip]: 'ZIP',
};

export const MEDIA_TEXT = {
  zh: { unknown: '无法识别的格式', unnamed: '（未命名）' },
  en: { unknown: 'an unrecognised format', unnamed: '(unnamed)' },
} as const satisfies TextTable;

/** How much of the head is read for detection. */
export const HEAD_BYTES = 64 * 1024;
/** How much of an upload's head `refuseEarly` needs before it judges (file-type's own sample size). */
export const EARLY_HEAD_BYTES = 4100;

/** Names clients give a type beside the registered one. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': MEDIA.jpeg,
  'image/pjpeg': MEDIA.jpeg,
  'image/x-png': MEDIA.png,
  'image/apng': MEDIA.png,
  'application/x-pdf': MEDIA.pdf,
  'application/x-zip-compressed': MEDIA.zip,
  'application/x-zip': MEDIA.zip,
};
const UNDECLARED = 'application/octet-stream';
/** Types the central directory decides: file-type's guess from the head alone is not taken for them. */
const DIRECTORY_TYPES = new Set<string>([MEDIA.ofd, MEDIA.docx, MEDIA.xlsx, PPTX, JAR, APK]);

/** A media type's essence (no parameters, lower case), under its registered name. */
export function mediaEssence(type: string): string {
  const essence = type.split(';', 1)[0]!.trim().toLowerCase();
  return ALIASES[essence] ?? essence;
}

async function sniff(head: Uint8Array): Promise<string | undefined> {
  try {
    const found = await fileTypeFromBuffer(head);
    return found === undefined ? undefined : mediaEssence(found.mime);
  } catch {
    // file-type gives up on some hostile inputs (limits, damaged containers): not recognised.
    return undefined;
  }
}

const isZipStart = (head: Uint8Array) =>
  head.length >= 4 &&
  head[0] === 0x50 &&
  head[1] === 0x4b &&
  (head[2] === 3 || head[2] === 5) &&
  head[3] === head[2] + 1;

/** The most of `[Content_Types].xml` read (its bytes as stored) to tell an Office document. */
const MAX_CONTENT_TYPES_BYTES = 256 * 1024;

/**
 * The Office format a package declares: file-type reads the main part's content type from
 * `[Content_Types].xml` (so a macro-enabled DOCM is not taken for a DOCX); when it cannot, the
 * folder of the parts tells, as file-type itself falls back to.
 */
async function officeType(
  read: ReadRange,
  size: number,
  directory: ZipDirectory,
): Promise<string | undefined> {
  const contentTypes = directory.entries.find((e) => e.name === '[Content_Types].xml');
  if (contentTypes === undefined) return undefined;
  const entry = await entryBytes(read, size, contentTypes, MAX_CONTENT_TYPES_BYTES);
  const declared = entry === undefined ? undefined : await sniff(entry);
  if (declared !== undefined && declared !== MEDIA.zip) return declared;
  const folders = new Set(directory.entries.map((e) => e.name.slice(0, e.name.indexOf('/') + 1)));
  if (folders.has('word/')) return MEDIA.docx;
  if (folders.has('xl/')) return MEDIA.xlsx;
  if (folders.has('ppt/')) return PPTX;
  return undefined;
}

/**
 * The format a ZIP's entries tell, else `fromHead` (an EPUB, an ODF document… read from the first
 * entry), else plain ZIP; undefined when it tells two formats, or names an entry twice (ZIP readers
 * differ on which copy they open).
 */
async function containerType(
  read: ReadRange,
  size: number,
  directory: ZipDirectory,
  fromHead: string | undefined,
): Promise<string | undefined> {
  const names = new Set(directory.entries.map((e) => e.name));
  if (names.size !== directory.entries.length) return undefined;
  const told = new Set<string>();
  if (names.has('OFD.xml')) told.add(MEDIA.ofd);
  const office = await officeType(read, size, directory);
  if (office !== undefined) told.add(office);
  if (names.has('AndroidManifest.xml')) told.add(APK);
  else if (names.has('META-INF/MANIFEST.MF')) told.add(JAR);
  if (told.size > 1) return undefined;
  const [one] = told;
  if (one !== undefined) return one;
  return fromHead !== undefined && !DIRECTORY_TYPES.has(fromHead) && !isOffice(fromHead)
    ? fromHead
    : MEDIA.zip;
}

const isOffice = (type: string) =>
  type.startsWith('application/vnd.openxmlformats-officedocument.') || type.startsWith('application/vnd.ms-');

/**
 * The media type of a file of `size` bytes read from its content, or undefined when it is not
 * recognised. Reads the first `HEAD_BYTES` and, for a ZIP, its end record and (part of) its central
 * directory — never the whole of a large file.
 */
export async function detectMedia(read: ReadRange, size: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`not a file size: ${size}`);
  if (size === 0) return undefined;
  const head = await read(0, Math.min(size, HEAD_BYTES));
  const fromHead = await sniff(head);
  if (!isZipStart(head)) return fromHead;
  // A small file is whole in its head: no second read.
  const within: ReadRange = size <= head.length ? async (start, end) => head.subarray(start, end) : read;
  const directory = await zipDirectory(within, size);
  return directory === undefined ? undefined : containerType(within, size, directory, fromHead);
}

export interface MediaCheck {
  /** The attachment's file name (already checked by `checkName`). */
  readonly name: string;
  /** The type the client declared (tus metadata `filetype`), if any. */
  readonly declared?: string | undefined;
  /** What `detectMedia` read from the content. */
  readonly detected: string | undefined;
  /** The node's allow-list. */
  readonly allowed: readonly string[];
  /** The extensions of each type; a type without an entry has its extension unchecked. */
  readonly extensions?: Readonly<Record<string, readonly string[]>>;
}

const allowedText = (allowed: readonly string[]): LocalText => listOf(allowed.map((t) => LABELS[t] ?? t));
const unknownText = (): LocalText => textOf(MEDIA_TEXT, 'unknown');

function refused(
  name: string | LocalText,
  detected: string | undefined,
  allowed: readonly string[],
): YrdxError {
  return new YrdxError('attachment_type_refused', {
    params: { name, detected: detected ?? unknownText(), allowed: allowedText(allowed) },
  });
}

/** A declared type as shown in a refusal: bounded, since it came from the client. */
const shown = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}…` : text);

/**
 * The media type to sign for the attachment: the detected one, once it is allowed and agrees with the
 * name's extension and the declared type. Throws `attachment_type_refused` or `attachment_type_mismatch`.
 */
export function checkMedia(check: MediaCheck): string {
  const { name, detected, allowed } = check;
  if (detected === undefined || !allowed.includes(detected)) throw refused(name, detected, allowed);
  const extension = extensionOf(name);
  const expected = (check.extensions ?? MEDIA_EXTENSIONS)[detected];
  if (extension !== '' && expected !== undefined && !expected.includes(extension))
    throw new YrdxError('attachment_type_mismatch', {
      params: { name, declared: `.${shown(extension)}`, detected },
    });
  if (check.declared !== undefined) {
    const declared = mediaEssence(check.declared);
    if (declared !== '' && declared !== UNDECLARED && declared !== detected)
      throw new YrdxError('attachment_type_mismatch', {
        params: { name, declared: shown(check.declared.trim()), detected },
      });
  }
  return detected;
}

export interface EarlyCheck {
  /** The upload's file name, for the refusal. */
  readonly name?: string | undefined;
  /** The upload's length: a head that holds the whole file is judged however short it is. */
  readonly size?: number | undefined;
}

/**
 * A check on the first bytes of an upload, so that an executable is refused at its first PATCH rather
 * than after gigabytes: throws `attachment_type_refused` when file-type recognises a type that is not
 * allowed, and returns quietly when unsure — a ZIP (its format is told by the directory at the end),
 * nothing recognised, or a head shorter than `EARLY_HEAD_BYTES` that is not the whole file (the check
 * of the finished upload decides then).
 */
export async function refuseEarly(
  head: Uint8Array,
  allowed: readonly string[],
  early: EarlyCheck = {},
): Promise<void> {
  if (head.length === 0 || head.length < Math.min(EARLY_HEAD_BYTES, early.size ?? EARLY_HEAD_BYTES)) return;
  if (isZipStart(head)) return;
  const found = await sniff(head);
  if (found !== undefined && !allowed.includes(found))
    throw refused(early.name ?? textOf(MEDIA_TEXT, 'unnamed'), found, allowed);
}
