/**
 * ip-protection, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/ip-protection/1.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
export interface ZjIpProtection {
  AJBH?: string;
  AJMC?: string;
  AY?: string;
  AJLY?: string;
  LASJ?: string;
  JASJ?: string;
  CFJDSWH?: string;
  CFJDRQ?: string;
  DSRLX?: string;
  DSRMC?: string;
  TYSHXYDM?: string;
  SFZH?: string;
  FDDBR?: string;
  DSRDZ?: string;
  DSRXZQH?: string;
  DSRLXDH?: string;
  WFSS?: string;
  CFYJ?: string;
  CFZL?: string;
  FKJE?: string;
  MSWFSD?: string;
  CFNR?: string;
  BAJG?: string;
  BAJGDM?: string;
  BAJGXZQH?: string;
  LXR?: string;
  LXDH?: string;
  XYFXFL?: string;
  ZSCQLX?: string;
  QLMC?: string;
  ZLH?: string;
  ZLLX?: string;
  SBZCH?: string;
  HDLB?: string;
  QLR?: string;
  QLRDM?: string;
  QQLX?: string;
  SACP?: string;
  SL?: number;
  HZ?: string;
  WLPT?: string;
  XZSX?: string;
  XZNR?: string;
  FKQX?: string;
  HFJG?: string;
  HFNR?: string;
  HFRQ?: string;
  SJLY?: string;
  BZ?: string;
}

const CASE_SOURCE: Record<string, string> = {
  依职权检查: 'inspection',
  投诉: 'complaint',
  举报: 'report',
  移送: 'transfer',
  上级交办: 'assigned',
  监测发现: 'monitoring',
  其他: 'other',
};
const PARTY_KIND: Record<string, string> = { 法人或其他组织: 'organisation', 自然人: 'individual' };
const PENALTY: Record<string, string> = {
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
  其他: 'other',
};
const RISK_CLASS: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const REPLY_RESULT: Record<string, string> = {
  属实: 'confirmed',
  不属实: 'not-confirmed',
  部分属实: 'partly-confirmed',
  已转办: 'transferred',
  已立案: 'case-filed',
  其他: 'other',
};
const RIGHT_KIND: Record<string, string> = {
  专利: 'patent',
  注册商标: 'trademark',
  地理标志: 'geographical-indication',
};
const PATENT_TYPE: Record<string, string> = {
  发明: 'invention',
  实用新型: 'utility-model',
  外观设计: 'design',
};
const INFRINGEMENT: Record<string, string> = {
  相同商品使用相同商标: 'TM-SAME',
  近似商标或类似商品易混淆: 'TM-CONFUSE',
  销售侵权商品: 'TM-SELL',
  伪造或擅自制造商标标识: 'TM-LABEL',
  反向假冒: 'TM-REVERSE',
  帮助侵权: 'TM-ASSIST',
  其他商标侵权: 'TM-OTHER',
  假冒专利: 'PATENT-COUNTERFEIT',
  专利侵权纠纷: 'PATENT-DISPUTE',
  地理标志误用: 'GI-MISUSE',
};

const PATENT_PLAIN = /^(\d{12}|\d{8})([\dX])$/;
/** `2017106018623` → `201710601862.3` (also the legacy 8-digit form). */
function patentNumber(text: string): string {
  const m = PATENT_PLAIN.exec(text);
  if (m === null) throw new Error(`ZLH: "${text}" is not a patent application number such as 2017106018623`);
  return `${m[1]}.${m[2]}`;
}

const NICE_CLASS = /^第([1-9]|[1-3]\d|4[0-5])类$/;
/** `第25类` → 25 (尼斯分类 1–45). */
function niceClass(text: string): number {
  const m = NICE_CLASS.exec(text);
  if (m === null) throw new Error(`HDLB: "${text}" is not a Nice class such as 第25类`);
  return Number(m[1]);
}

type Json = Record<string, unknown>;

export function zjToCanonical(d: ZjIpProtection): Json {
  const out: Json = {};

  const kase: Json = {};
  if (d.AJBH != null) kase.caseNumber = d.AJBH.trim();
  if (d.AJMC != null) kase.title = d.AJMC;
  if (d.AY != null) kase.cause = d.AY;
  if (d.AJLY != null) kase.source = code(CASE_SOURCE, d.AJLY, 'AJLY');
  if (d.LASJ != null) kase.filedOn = date(d.LASJ, 'LASJ');
  if (d.JASJ != null) kase.closedOn = date(d.JASJ, 'JASJ');
  if (d.CFJDSWH != null) kase.decisionNumber = d.CFJDSWH;
  if (d.CFJDRQ != null) kase.decidedOn = date(d.CFJDRQ, 'CFJDRQ');
  if (!isEmpty(kase)) out.case = kase;

  // The flat form carries the first party only.
  const party: Json = {};
  if (d.DSRLX != null) {
    const kind = code(PARTY_KIND, d.DSRLX, 'DSRLX');
    party.kind = kind;
    if (kind === 'organisation') {
      if (d.TYSHXYDM != null) party.uscc = d.TYSHXYDM;
      if (d.FDDBR != null) party.legalRepresentative = d.FDDBR;
    } else if (d.SFZH != null) {
      party.idNumber = d.SFZH;
    }
  }
  if (d.DSRMC != null) party.name = spaces(d.DSRMC);
  if (d.DSRDZ != null) party.address = d.DSRDZ;
  if (d.DSRXZQH != null) party.divisionCode = d.DSRXZQH;
  if (d.DSRLXDH != null) party.phone = d.DSRLXDH;
  if (!isEmpty(party)) out.parties = [party];

  if (d.WFSS != null) out.facts = d.WFSS;
  if (d.CFYJ != null) out.legalBasis = d.CFYJ === '' ? [] : d.CFYJ.split('；');

  const decision: Json = {};
  if (d.CFZL != null)
    decision.penalties = d.CFZL === '' ? [] : d.CFZL.split('、').map((p) => code(PENALTY, p, 'CFZL'));
  if (d.FKJE != null) decision.fine = yuan(d.FKJE, 'FKJE');
  if (d.MSWFSD != null) decision.confiscatedGains = yuan(d.MSWFSD, 'MSWFSD');
  if (d.CFNR != null) decision.content = d.CFNR;
  if (!isEmpty(decision)) out.decision = decision;

  const agency: Json = {};
  if (d.BAJG != null) agency.name = d.BAJG;
  if (d.BAJGDM != null) agency.uscc = d.BAJGDM;
  if (d.BAJGXZQH != null) agency.divisionCode = d.BAJGXZQH;
  if (d.LXR != null) agency.contact = d.LXR;
  if (d.LXDH != null) agency.phone = d.LXDH;
  if (!isEmpty(agency)) out.agency = agency;

  if (d.XYFXFL != null) out.creditRiskClass = code(RISK_CLASS, d.XYFXFL, 'XYFXFL');

  // The flat form carries the first right only: a patent, or a trademark / geographical indication.
  const right: Json = {};
  if (d.ZSCQLX != null) {
    const kind = code(RIGHT_KIND, d.ZSCQLX, 'ZSCQLX');
    right.kind = kind;
    if (kind === 'patent') {
      if (d.ZLH != null) right.patentNumber = patentNumber(d.ZLH);
      if (d.ZLLX != null) right.patentType = code(PATENT_TYPE, d.ZLLX, 'ZLLX');
    } else {
      if (d.SBZCH != null) right.trademarkNumber = d.SBZCH;
      if (d.HDLB != null) right.niceClasses = d.HDLB === '' ? [] : d.HDLB.split('、').map(niceClass);
    }
  }
  if (d.QLMC != null) right.name = d.QLMC;
  const holder: Json = {};
  if (d.QLR != null) holder.name = d.QLR;
  if (d.QLRDM != null) holder.uscc = d.QLRDM;
  if (!isEmpty(holder)) right.holder = holder;
  if (!isEmpty(right)) out.rights = [right];

  const infringement: Json = {};
  if (d.QQLX != null) infringement.kind = code(INFRINGEMENT, d.QQLX, 'QQLX');
  if (d.SACP != null) infringement.goods = d.SACP;
  if (d.SL != null) infringement.quantity = d.SL;
  if (d.HZ != null) infringement.value = yuan(d.HZ, 'HZ');
  if (d.WLPT != null) infringement.platform = d.WLPT;
  if (!isEmpty(infringement)) out.infringement = infringement;

  const request: Json = {};
  if (d.XZSX != null) request.subject = d.XZSX;
  if (d.XZNR != null) request.actions = d.XZNR === '' ? [] : d.XZNR.split('；');
  if (d.FKQX != null) request.dueDate = date(d.FKQX, 'FKQX');
  if (!isEmpty(request)) out.request = request;

  const reply: Json = {};
  if (d.HFJG != null) reply.result = code(REPLY_RESULT, d.HFJG, 'HFJG');
  if (d.HFNR != null) reply.summary = d.HFNR;
  if (d.HFRQ != null) reply.repliedOn = date(d.HFRQ, 'HFRQ');
  if (!isEmpty(reply)) out.reply = reply;

  // SJLY (数据来源) and BZ (备注) have no canonical meaning.
  return out;
}

// The few helpers the translation above needs. A bad date, amount or code throws at once.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `yyyyMMdd` → `YYYY-MM-DD`, rejecting impossible dates such as 20250231. */
function date(text: string, field: string): string {
  if (!/^\d{8}$/.test(text)) throw new Error(`${field}: "${text}" is not yyyyMMdd`);
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (m < 1 || m > 12 || d < 1 || d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!))
    throw new Error(`${field}: "${text}" is not a valid date`);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** An amount in 元 as sent (`"86400"`, `"8280.5"`, `"007.50"`) → canonical `"86400.00"`; at most two decimals. */
function yuan(text: string, field: string): string {
  const m = AMOUNT.exec(text);
  if (m === null) throw new Error(`${field}: "${text}" is not an amount in 元`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw new Error(`${field}: "${text}" has more than two decimals`);
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** A dialect label → its canonical code, or an error naming the field. */
function code<T>(table: Readonly<Record<string, T>>, label: string, field: string): T {
  if (!Object.hasOwn(table, label)) throw new Error(`${field}: "${label}" is not a known value`);
  return table[label]!;
}

/** A name with stray spaces: trimmed, runs of white space collapsed to one space. */
function spaces(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
