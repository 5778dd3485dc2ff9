import { YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';

/**
 * A file name as people write it (Chinese kept, never normalised), checked so that no receiving system
 * that saves it can be led astray: it is never a path here, but a local system may write it to disk on
 * Windows or Linux. Refused: empty or over 255 characters, control characters, path separators,
 * `.`/`..`, Windows' reserved characters and device names, bidirectional overrides (which disguise
 * an extension, `报告‮fdp.exe`), leading or trailing spaces and trailing dots.
 */
export const MAX_NAME_LENGTH = 255;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const SEPARATOR = /[/\\]/u;
const WINDOWS_RESERVED = /[<>:"|?*]/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/iu;

const REASONS = {
  empty: { zh: '文件名为空。', en: 'the name is empty.' },
  long: {
    zh: `文件名超过 ${MAX_NAME_LENGTH} 个字符。`,
    en: `the name is longer than ${MAX_NAME_LENGTH} characters.`,
  },
  control: { zh: '文件名含控制字符。', en: 'the name holds a control character.' },
  separator: {
    zh: '文件名含路径分隔符（/ 或 \\），附件名不能是路径。',
    en: 'the name holds a path separator (/ or \\); an attachment name is never a path.',
  },
  dots: { zh: '文件名不能是 . 或 ..。', en: 'the name cannot be . or ...' },
  reserved: {
    zh: '文件名含 Windows 不允许的字符（< > : " | ? *）。',
    en: 'the name holds a character Windows forbids (< > : " | ? *).',
  },
  device: {
    zh: '文件名是 Windows 的设备名（CON、NUL、COM1 等）。',
    en: 'the name is a Windows device name (CON, NUL, COM1…).',
  },
  bidi: {
    zh: '文件名含双向文本控制符，可能伪装扩展名。',
    en: 'the name holds a bidirectional control character, which can disguise its extension.',
  },
  edges: {
    zh: '文件名不能以空格开头或结尾，也不能以点结尾。',
    en: 'the name cannot begin or end with a space, or end with a dot.',
  },
  surrogate: { zh: '文件名含无效的 Unicode 字符。', en: 'the name holds an invalid Unicode character.' },
} as const satisfies Record<string, LocalText>;

export type NameFault = keyof typeof REASONS;

/** The first rule the name breaks, or undefined for a good name. */
export function nameFault(name: string): NameFault | undefined {
  if (name.length === 0) return 'empty';
  if ([...name].length > MAX_NAME_LENGTH) return 'long';
  if (LONE_SURROGATE.test(name)) return 'surrogate';
  if (CONTROL.test(name)) return 'control';
  if (SEPARATOR.test(name)) return 'separator';
  if (name === '.' || name === '..') return 'dots';
  if (WINDOWS_RESERVED.test(name)) return 'reserved';
  if (BIDI.test(name)) return 'bidi';
  if (DEVICE.test(name)) return 'device';
  if (name.trim() !== name || name.endsWith('.')) return 'edges';
  return undefined;
}

/** Throws `attachment_name_invalid` with the rule the name breaks. */
export function checkName(name: string): string {
  const fault = nameFault(name);
  if (fault !== undefined)
    throw new YrdxError('attachment_name_invalid', { params: { reason: REASONS[fault] } });
  return name;
}

/** The extension of a good name, lower case without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}
