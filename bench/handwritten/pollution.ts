/**
 * pollution, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/pollution/1.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
export interface ZjPollution {
  AJBH?: string;
  AJMC?: string;
  AY?: string;
  AJLY?: string;
  LASJ?: string;
  CFJDRQ?: string;
  JASJ?: string;
  CFJDSWH?: string;
  HJYS?: string;
  DSRLX?: string;
  DSRMC?: string;
  TYSHXYDM?: string;
  FDDBR?: string;
  SFZH?: string;
  DSRDZ?: string;
  DSRQHDM?: string;
  DSRLXDH?: string;
  WFSS?: string;
  CFYJ?: string;
  CFZL?: string;
  FKJE?: string;
  MSWFSD?: string;
  CFNR?: string;
  BAJG?: string;
  BAJGDM?: string;
  BAJGQHDM?: string;
  BAJGLXR?: string;
  BAJGLXDH?: string;
  XYFXFL?: string;
  XCSX?: string;
  XCNR?: string;
  FKQX?: string;
  HFJG?: string;
  HFNR?: string;
  HFRQ?: string;
  WRYMC?: string;
  WRYTYSHXYDM?: string;
  PWXKZBH?: string;
  PFKBH?: string;
  JCSBBH?: string;
  XTBM?: string;
  JCRQ?: string;
  JCSJ?: { WRWBM?: string; JCZ?: string; JLDW?: string; SJBZ?: string; BZXZ?: string }[];
  WFDM?: string;
  WFLB?: string;
  WFMC?: string;
  WXTX?: string;
  ZYSL?: string;
  ZYLDBH?: string;
  CSDWMC?: string;
  CSDWDM?: string;
  YSDWMC?: string;
  YSDWDM?: string;
  CPHM?: string;
  CPYS?: string;
  JSDWMC?: string;
  JSDWDM?: string;
  ZYRQ?: string;
  SJLY?: string;
  BZ?: string;
}

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
  其他行政处罚: 'other',
};
const CASE_SOURCE: Record<string, string> = {
  监督检查: 'inspection',
  投诉: 'complaint',
  举报: 'report',
  移送: 'transfer',
  上级交办: 'assigned',
  监测: 'monitoring',
  其他: 'other',
};
const MEDIUM: Record<string, string> = {
  大气: 'air',
  水: 'water',
  固体废物: 'solid-waste',
  危险废物: 'hazardous-waste',
};
const REPLY_RESULT: Record<string, string> = {
  属实: 'confirmed',
  不属实: 'not-confirmed',
  部分属实: 'partly-confirmed',
  已转办: 'transferred',
  已立案: 'case-filed',
  其他: 'other',
};
const PARTY_KIND: Record<string, string> = { 法人及非法人组织: 'organisation', 自然人: 'individual' };
const CREDIT_RISK: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const DATA_FLAG: Record<string, string> = {
  正常: 'N',
  停运: 'F',
  维护: 'M',
  手工输入: 'S',
  故障: 'D',
  校准: 'C',
  超测量上限: 'T',
  通讯异常: 'B',
};
const HAZARD: Record<string, string> = { 毒性: 'T', 腐蚀性: 'C', 易燃性: 'I', 反应性: 'R', 感染性: 'In' };
const PLATE_COLOUR: Record<string, string> = {
  蓝色: 'blue',
  黄色: 'yellow',
  黑色: 'black',
  白色: 'white',
  绿色: 'green',
  其他: 'other',
  未上牌: 'unplated',
};
/** HJ/T 212-2005 legacy pollutant codes → HJ 212-2017 codes (only those that have a legacy code). */
const POLLUTANT_2005: Record<string, string> = {
  '02': 'a21026',
  '03': 'a21002',
  '01': 'a34013',
  '05': 'a21028',
  '17': 'a25003',
  '18': 'a25005',
  S01: 'a19001',
  B02: 'a00000',
  '011': 'w01018',
  '060': 'w21003',
  '101': 'w21011',
  '001': 'w01001',
  B01: 'w00000',
};

type Json = Record<string, unknown>;

export function zjToCanonical(d: ZjPollution): Json {
  const out: Json = {};

  const kase: Json = {};
  if (d.AJBH != null) kase.caseNumber = d.AJBH;
  if (d.AJMC != null) kase.title = d.AJMC;
  if (d.AY != null) kase.cause = d.AY;
  if (d.AJLY != null) kase.source = code(CASE_SOURCE, d.AJLY, 'AJLY');
  if (d.LASJ != null) kase.filedOn = date(d.LASJ, 'LASJ');
  if (d.CFJDRQ != null) kase.decidedOn = date(d.CFJDRQ, 'CFJDRQ');
  if (d.JASJ != null) kase.closedOn = date(d.JASJ, 'JASJ');
  if (d.CFJDSWH != null) kase.decisionNumber = d.CFJDSWH;
  if (!isEmpty(kase)) out.case = kase;

  if (d.HJYS != null) out.medium = code(MEDIUM, d.HJYS, 'HJYS');

  // The flat form carries the first party only.
  const party: Json = {};
  if (d.DSRMC != null) party.name = d.DSRMC;
  if (d.DSRLX != null) {
    const kind = code(PARTY_KIND, d.DSRLX, 'DSRLX');
    party.kind = kind;
    if (kind === 'organisation') {
      if (d.TYSHXYDM != null) party.uscc = identifier(d.TYSHXYDM);
      if (d.FDDBR != null) party.legalRepresentative = d.FDDBR;
    } else if (d.SFZH != null) {
      party.idNumber = identifier(d.SFZH);
    }
  }
  if (d.DSRDZ != null) party.address = d.DSRDZ;
  if (d.DSRQHDM != null) party.divisionCode = d.DSRQHDM;
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
  if (d.BAJGQHDM != null) agency.divisionCode = d.BAJGQHDM;
  if (d.BAJGLXR != null) agency.contact = d.BAJGLXR;
  if (d.BAJGLXDH != null) agency.phone = d.BAJGLXDH;
  if (!isEmpty(agency)) out.agency = agency;

  if (d.XYFXFL != null) out.creditRiskClass = code(CREDIT_RISK, d.XYFXFL, 'XYFXFL');

  const request: Json = {};
  if (d.XCSX != null) request.subject = d.XCSX;
  if (d.XCNR != null) request.actions = d.XCNR === '' ? [] : d.XCNR.split('；');
  if (d.FKQX != null) request.dueDate = date(d.FKQX, 'FKQX');
  if (!isEmpty(request)) out.request = request;

  const reply: Json = {};
  if (d.HFJG != null) reply.result = code(REPLY_RESULT, d.HFJG, 'HFJG');
  if (d.HFNR != null) reply.summary = d.HFNR;
  if (d.HFRQ != null) reply.repliedOn = date(d.HFRQ, 'HFRQ');
  if (!isEmpty(reply)) out.reply = reply;

  const source: Json = {};
  if (d.WRYMC != null) source.name = d.WRYMC;
  if (d.WRYTYSHXYDM != null) source.uscc = d.WRYTYSHXYDM;
  if (d.PWXKZBH != null) source.permitNumber = d.PWXKZBH;
  if (d.PFKBH != null) source.outlet = d.PFKBH;
  if (!isEmpty(source)) out.source = source;

  const monitoring: Json = {};
  if (d.JCSBBH != null) monitoring.mn = d.JCSBBH;
  if (d.XTBM != null) monitoring.systemCode = d.XTBM;
  // The dialect keeps the monitoring date only: the time reads back as 00:00:00.
  if (d.JCRQ != null) monitoring.dataTime = dateTime(d.JCRQ, 'JCRQ');
  if (d.JCSJ != null) {
    monitoring.measurements = d.JCSJ.map((x, i) => {
      const m: Json = {};
      if (x.WRWBM != null) m.pollutant = code(POLLUTANT_2005, x.WRWBM, `JCSJ/${i}/WRWBM`);
      if (x.JCZ != null) m.value = x.JCZ;
      if (x.JLDW != null) m.unit = x.JLDW;
      if (x.SJBZ != null) m.flag = code(DATA_FLAG, x.SJBZ, `JCSJ/${i}/SJBZ`);
      if (x.BZXZ != null) m.limit = x.BZXZ;
      return m;
    });
  }
  if (!isEmpty(monitoring)) out.monitoring = monitoring;

  const waste: Json = {};
  if (d.WFDM != null) waste.wasteCode = d.WFDM;
  if (d.WFLB != null) waste.category = d.WFLB;
  if (d.WFMC != null) waste.name = d.WFMC;
  if (d.WXTX != null)
    waste.characteristics = d.WXTX === '' ? [] : d.WXTX.split('、').map((c) => code(HAZARD, c, 'WXTX'));
  if (d.ZYSL != null) waste.quantityTonnes = d.ZYSL;
  const manifest: Json = {};
  if (d.ZYLDBH != null) manifest.number = d.ZYLDBH;
  const generator: Json = {};
  if (d.CSDWMC != null) generator.name = d.CSDWMC;
  if (d.CSDWDM != null) generator.uscc = d.CSDWDM;
  if (!isEmpty(generator)) manifest.generator = generator;
  const transporter: Json = {};
  if (d.YSDWMC != null) transporter.name = d.YSDWMC;
  if (d.YSDWDM != null) transporter.uscc = d.YSDWDM;
  if (d.CPHM != null) transporter.vehiclePlate = d.CPHM;
  if (d.CPYS != null) transporter.plateColour = code(PLATE_COLOUR, d.CPYS, 'CPYS');
  if (!isEmpty(transporter)) manifest.transporter = transporter;
  const receiver: Json = {};
  if (d.JSDWMC != null) receiver.name = d.JSDWMC;
  if (d.JSDWDM != null) receiver.uscc = d.JSDWDM;
  if (!isEmpty(receiver)) manifest.receiver = receiver;
  if (d.ZYRQ != null) manifest.transferredOn = date(d.ZYRQ, 'ZYRQ');
  if (!isEmpty(manifest)) waste.manifest = manifest;
  if (!isEmpty(waste)) out.hazardousWaste = waste;

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

/** `yyyyMMdd` → `YYYY-MM-DDT00:00:00+08:00`, for a canonical date-time the dialect keeps as a date. */
function dateTime(text: string, field: string): string {
  return `${date(text, field)}T00:00:00+08:00`;
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

/** An identifier typed by hand: trimmed, full-width ASCII and ideographic spaces made half-width, upper case. */
function identifier(text: string): string {
  return text
    .trim()
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toUpperCase();
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
