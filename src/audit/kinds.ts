import type { LocalText } from '../errors/text.js';
import { AUDIT_KINDS, type AuditEntry, type AuditKind } from '../store/audit-chain.js';

/** What each kind of audit entry records, as `yrdx audit verify` and the console's audit page name it. */
export const AUDIT_KIND_TEXT = {
  zh: {
    'message-out': '发出的报文',
    'message-in': '收到的报文',
    'receipt-out': '签发的回执',
    'receipt-in': '收到的回执',
    'files-receipt-out': '签发的文件回执',
    'files-receipt-in': '收到的文件回执',
    admin: '管理操作',
  },
  en: {
    'message-out': 'messages sent',
    'message-in': 'messages received',
    'receipt-out': 'receipts signed',
    'receipt-in': 'receipts received',
    'files-receipt-out': 'files receipts signed',
    'files-receipt-in': 'files receipts received',
    admin: 'admin actions',
  },
} as const satisfies { zh: Record<AuditKind, string>; en: Record<AuditKind, string> };

/** The name of a kind in `lang`; a kind this version does not know is named by itself. */
export function kindLabel(kind: string, lang: 'zh' | 'en'): string {
  return (AUDIT_KIND_TEXT[lang] as Readonly<Record<string, string>>)[kind] ?? kind;
}

/** The heading of the tally. */
export const KINDS_HEADING: LocalText = { zh: '各类记录', en: 'Entries by kind' };

/** How many entries of each kind, in the order of `AUDIT_KINDS` (a kind this version does not know is counted under its own name). */
export type KindTally = readonly { readonly kind: string; readonly count: number }[];

/** Adds a page of entries to a tally. */
export function tallyKinds(tally: KindTally, entries: readonly AuditEntry[]): KindTally {
  const counts = new Map(tally.map((t) => [t.kind, t.count]));
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const known = AUDIT_KINDS.filter((k) => counts.has(k));
  const other = [...counts.keys()].filter((k) => !(AUDIT_KINDS as readonly string[]).includes(k)).sort();
  return [...known, ...other].map((kind) => ({ kind, count: counts.get(kind) ?? 0 }));
}
