/**
 * What the three hand-written zj 2.0.0 translators (food-safety, road-transport, ip-protection)
 * share: the field set of the case part is the same in each (administrative_cp rows, assistance
 * keys), and so are the few conversions. A bad date, amount, result or code throws at once. Like
 * the translators, it assumes the document passed the zj schema.
 */

export type Json = Record<string, unknown>;

export interface ZjParty {
  administrative_cp_type?: string;
  administrative_cp_cert_type?: string;
  administrative_cp_cert_code?: string;
  legal_representative?: string;
  legal_representative_idcard?: string;
  administrative_cp_name?: string;
  administrative_cp_tel?: string;
  address_registerd?: string;
  area_code_registerd?: string;
}

/** The case part every zj 2.0.0 domain document carries. */
export interface ZjCase {
  punish_case_code?: string;
  case_name?: string;
  punish_action_name?: string;
  case_source_type?: string;
  filing_date?: string;
  punish_decide_tm?: string;
  close_date?: string;
  admin_punish_doc?: string;
  administrative_cp?: ZjParty[];
  case_desc?: string;
  law_basis?: string;
  punish_type?: string;
  punish_content?: string;
  punish_money?: string;
  illegality_money?: string;
  implement_institution?: string;
  implement_institution_code?: string;
  admini_division_code?: string;
  contact_name?: string;
  contact_tel?: string;
  assist_matter?: string;
  assist_content?: string;
  feedback_deadline?: string;
  assist_result?: string;
  feedback_content?: string;
  feedback_date?: string;
  /** 数据来源 / 数据来源代码: filled from the envelope towards zj, no canonical meaning. */
  cf_sjly?: string;
  cf_sjlydm?: string;
}

export const CASE_SOURCE: Record<string, string> = {
  监督检查: 'inspection',
  投诉: 'complaint',
  举报: 'report',
  其他部门或地区移送: 'transfer',
  上级交办: 'assigned',
  '监测/抽检': 'monitoring',
  其他: 'other',
};
export const PARTY_KIND: Record<string, string> = {
  法人及非法人组织: 'organisation',
  个体工商户: 'individual-business',
  自然人: 'individual',
};
const PENALTY_LABELS: Record<string, string> = {
  警告: 'warning',
  通报批评: 'public-criticism',
  罚款: 'fine',
  没收违法所得: 'confiscate-illegal-gains',
  没收非法财物: 'confiscate-illegal-property',
  暂扣许可证件: 'suspend-permit',
  降低资质等级: 'lower-qualification',
  吊销许可证件: 'revoke-permit',
  限制开展生产经营活动: 'restrict-business',
  责令停产停业: 'suspend-production',
  责令关闭: 'order-closure',
  限制从业: 'restrict-practice',
  行政拘留: 'detention',
};
/** food-safety writes "other" as 其他行政处罚, road-transport and ip-protection as 其他. */
export const PENALTY_FOOD: Record<string, string> = { ...PENALTY_LABELS, 其他行政处罚: 'other' };
export const PENALTY: Record<string, string> = { ...PENALTY_LABELS, 其他: 'other' };
const REPLY_RESULT: Record<string, string> = {
  属实: 'confirmed',
  不属实: 'not-confirmed',
  部分属实: 'partly-confirmed',
  已转办: 'transferred',
  已立案: 'case-filed',
  其他: 'other',
};

/** How a domain's mapping cleans party fields (each domain's zj mapping differs here). */
export interface PartyText {
  /** Certificate codes (uscc, id numbers). */
  readonly code: (s: string) => string;
  readonly name: (s: string) => string;
}

const asIs = (s: string) => s;
export const AS_SENT: PartyText = { code: asIs, name: asIs };

/**
 * The case part: case, parties, facts, legal basis, decision, agency, request, reply, written into
 * `out`. The domain adds its own parts.
 */
export function casePart(d: ZjCase, out: Json, penalties: Record<string, string>, text: PartyText): void {
  const kase: Json = {};
  if (d.punish_case_code != null) kase.caseNumber = d.punish_case_code;
  if (d.case_name != null) kase.title = d.case_name;
  if (d.punish_action_name != null) kase.cause = d.punish_action_name;
  if (d.case_source_type != null) kase.source = code(CASE_SOURCE, d.case_source_type, 'case_source_type');
  if (d.filing_date != null) kase.filedOn = date(d.filing_date, 'filing_date');
  if (d.punish_decide_tm != null) kase.decidedOn = date(d.punish_decide_tm, 'punish_decide_tm');
  if (d.close_date != null) kase.closedOn = date(d.close_date, 'close_date');
  if (d.admin_punish_doc != null) kase.decisionNumber = d.admin_punish_doc;
  if (!isEmpty(kase)) out.case = kase;

  if (d.administrative_cp != null) out.parties = d.administrative_cp.map((p) => party(p, text));
  if (d.case_desc != null) out.facts = d.case_desc;
  if (d.law_basis != null) out.legalBasis = list(d.law_basis, '；');

  const decision: Json = {};
  if (d.punish_type != null)
    decision.penalties = list(d.punish_type, '、').map((p) => code(penalties, p, 'punish_type'));
  if (d.punish_content != null) decision.content = d.punish_content;
  if (d.punish_money != null) decision.fine = yuan(d.punish_money, 'punish_money');
  if (d.illegality_money != null) decision.confiscatedGains = yuan(d.illegality_money, 'illegality_money');
  if (!isEmpty(decision)) out.decision = decision;

  const agency: Json = {};
  if (d.implement_institution != null) agency.name = d.implement_institution;
  if (d.implement_institution_code != null) agency.uscc = d.implement_institution_code;
  if (d.admini_division_code != null) agency.divisionCode = d.admini_division_code;
  if (d.contact_name != null) agency.contact = d.contact_name;
  if (d.contact_tel != null) agency.phone = d.contact_tel;
  if (!isEmpty(agency)) out.agency = agency;

  const request: Json = {};
  if (d.assist_matter != null) request.subject = d.assist_matter;
  if (d.assist_content != null) request.actions = d.assist_content;
  if (d.feedback_deadline != null) request.dueDate = date(d.feedback_deadline, 'feedback_deadline');
  if (!isEmpty(request)) out.request = request;

  const reply: Json = {};
  if (d.assist_result != null) reply.result = code(REPLY_RESULT, d.assist_result, 'assist_result');
  if (d.feedback_content != null) reply.summary = d.feedback_content;
  if (d.feedback_date != null) reply.repliedOn = date(d.feedback_date, 'feedback_date');
  if (!isEmpty(reply)) out.reply = reply;
  // cf_sjly and cf_sjlydm (provenance) have no canonical meaning.
}

/** One administrative_cp row; the certificate type label is implied by the kind. */
function party(p: ZjParty, text: PartyText): Json {
  const out: Json = {};
  if (p.administrative_cp_type != null) {
    const kind = code(PARTY_KIND, p.administrative_cp_type, 'administrative_cp_type');
    out.kind = kind;
    if (kind === 'individual') {
      if (p.administrative_cp_cert_code != null) out.idNumber = text.code(p.administrative_cp_cert_code);
    } else {
      if (p.administrative_cp_cert_code != null) out.uscc = text.code(p.administrative_cp_cert_code);
      if (p.legal_representative != null) out.legalRepresentative = p.legal_representative;
      if (p.legal_representative_idcard != null)
        out.legalRepresentativeIdNumber = text.code(p.legal_representative_idcard);
    }
  }
  if (p.administrative_cp_name != null) out.name = text.name(p.administrative_cp_name);
  if (p.administrative_cp_tel != null) out.phone = p.administrative_cp_tel;
  if (p.address_registerd != null) out.address = p.address_registerd;
  if (p.area_code_registerd != null) out.divisionCode = p.area_code_registerd;
  return out;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `yyyy-MM-dd`, checked to be a calendar date; already canonical. */
export function date(text: string, field: string): string {
  const m = DATE.exec(text);
  if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new Error(`${field}: "${text}" is not a valid yyyy-MM-dd date`);
  return text;
}

const LOCAL_WHEN = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** `yyyy-MM-dd HH:mm:ss` (China time) or `yyyy-MM-dd` → a canonical `when` of the same precision. */
export function localWhen(text: string, field: string): string {
  const m = LOCAL_WHEN.exec(text);
  if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3])) || !validTime(m[4], m[5], m[6]))
    throw new Error(`${field}: "${text}" is not yyyy-MM-dd HH:mm:ss`);
  return m[4] === undefined ? text : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with any offset → canonical, in China time (+08:00), to the second. */
export function isoDateTime(text: string, field: string): string {
  const m = ISO.exec(text);
  if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3])) || !validTime(m[4], m[5], m[6]))
    throw new Error(`${field}: "${text}" is not an ISO 8601 date-time with an offset`);
  const offset = m[7]!;
  if (offset === '+08:00' && text.length === 25) return text;
  const minutes =
    offset === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
  const t = new Date(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) +
      (480 - minutes) * 60_000,
  );
  return `${t.toISOString().slice(0, 19)}+08:00`;
}

function validTime(hh: string | undefined, mm: string | undefined, ss: string | undefined): boolean {
  return hh === undefined || (Number(hh) <= 23 && Number(mm) <= 59 && Number(ss) <= 59);
}

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** An amount in 元 as sent (`"52000"`, `"3680.5"`) → canonical `"52000.00"`; at most two decimals. */
export function yuan(text: string, field: string): string {
  const m = AMOUNT.exec(text);
  if (m === null) throw new Error(`${field}: "${text}" is not an amount in 元`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw new Error(`${field}: "${text}" has more than two decimals`);
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** A dialect label → its canonical code, or an error naming the field. */
export function code<T>(table: Readonly<Record<string, T>>, label: string, field: string): T {
  if (!Object.hasOwn(table, label)) throw new Error(`${field}: "${label}" is not a known value`);
  return table[label]!;
}

/** A joined list; an empty string is an empty list. */
export function list(text: string, separator: string): string[] {
  return text === '' ? [] : text.split(separator);
}

/** An identifier typed by hand: trimmed, full-width ASCII and ideographic spaces made half-width, upper case. */
export function identifier(text: string): string {
  return text
    .trim()
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toUpperCase();
}

/** A name typed by hand: trimmed, runs of white space made one space. */
export function tidyName(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
