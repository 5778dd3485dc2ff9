/**
 * food-safety, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/food-safety/1.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
export interface ZjFoodSafety {
  AJBH?: string;
  AJMC?: string;
  AY?: string;
  AJLY?: string;
  LASJ?: string;
  JDRQ?: string;
  JASJ?: string;
  CFJDSWH?: string;
  DSRLX?: string;
  DSRMC?: string;
  TYSHXYDM?: string;
  SFZH?: string;
  FDDBR?: string;
  DSRDZ?: string;
  DSRXZQHDM?: string;
  LXDH?: string;
  WFSS?: string;
  CFYJ?: string;
  CFLB?: string;
  FKJE?: string;
  MSWFSDJE?: string;
  CFNR?: string;
  BAJGMC?: string;
  BAJGDM?: string;
  BAJGXZQHDM?: string;
  CBR?: string;
  CBRDH?: string;
  XYFXFL?: string;
  FXDJ?: string;
  XCSX?: string;
  XCNR?: string;
  FKQX?: string;
  XCJG?: string;
  FKNR?: string;
  FKRQ?: string;
  CYDBH?: string;
  SPMC?: string;
  GGXH?: string;
  SB?: string;
  SCRQPH?: string;
  BCSCQYMC?: string;
  BCSCQYDZ?: string;
  BCSCQYXYDM?: string;
  BCYDWMC?: string;
  BCYDWDZ?: string;
  BCYDWXZQHDM?: string;
  SPDL?: string;
  CYRQ?: string;
  JYJGMC?: string;
  BGBH?: string;
  JYXM?: { XMMC?: string; JCJG?: string; BZZ?: string; JLDW?: string; SFHG?: boolean }[];
  PDYJ?: string;
  JYJL?: string;
  ZHJB?: string;
  ZHCP?: string;
  ZHYY?: string;
  ZHKSRQ?: string;
  ZHJZRQ?: string;
  ZHFW?: string;
  CZZT?: string;
  CZWCRQ?: string;
  CZJG?: string;
  SJLY?: string;
  BZ?: string;
}

const CASE_SOURCE: Record<string, string> = {
  监督检查: 'inspection',
  投诉: 'complaint',
  举报: 'report',
  移送: 'transfer',
  上级交办: 'assigned',
  监测抽检: 'monitoring',
  其他: 'other',
};
const PARTY_KIND: Record<string, string> = { 单位: 'organisation', 个人: 'individual' };
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
const CREDIT_RISK: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const RISK_GRADE: Record<string, string> = { A级: 'A', B级: 'B', C级: 'C', D级: 'D' };
const REPLY_RESULT: Record<string, string> = {
  属实: 'confirmed',
  不属实: 'not-confirmed',
  部分属实: 'partly-confirmed',
  已转办: 'transferred',
  已立案: 'case-filed',
  其他: 'other',
};
const FOOD_CATEGORY: Record<string, string> = {
  粮食加工品: '01',
  '食用油、油脂及其制品': '02',
  调味品: '03',
  肉制品: '04',
  乳制品: '05',
  饮料: '06',
  方便食品: '07',
  饼干: '08',
  罐头: '09',
  冷冻饮品: '10',
  速冻食品: '11',
  薯类和膨化食品: '12',
  糖果制品: '13',
  茶叶及相关制品: '14',
  酒类: '15',
  蔬菜制品: '16',
  水果制品: '17',
  炒货食品及坚果制品: '18',
  蛋制品: '19',
  可可及焙烤咖啡产品: '20',
  食糖: '21',
  水产制品: '22',
  淀粉及淀粉制品: '23',
  糕点: '24',
  豆制品: '25',
  蜂产品: '26',
  保健食品: '27',
  特殊医学用途配方食品: '28',
  婴幼儿配方食品: '29',
  特殊膳食食品: '30',
  其他食品: '31',
};
const CONCLUSION: Record<string, string> = { 合格: 'qualified', 不合格: 'unqualified' };
const RECALL_LEVEL: Record<string, number> = { 一级: 1, 二级: 2, 三级: 3 };
const DISPOSAL_STATUS: Record<string, string> = {
  已通报: 'notified',
  已立案: 'case-filed',
  已召回: 'recalled',
  已下架: 'removed',
  已处罚: 'penalised',
  不予处罚: 'not-penalised',
  异议复检中: 'retest',
};

type Json = Record<string, unknown>;

export function zjToCanonical(d: ZjFoodSafety): Json {
  const out: Json = {};

  const kase: Json = {};
  if (d.AJBH != null) kase.caseNumber = d.AJBH;
  if (d.AJMC != null) kase.title = d.AJMC;
  if (d.AY != null) kase.cause = d.AY;
  if (d.AJLY != null) kase.source = code(CASE_SOURCE, d.AJLY, 'AJLY');
  if (d.LASJ != null) kase.filedOn = date(d.LASJ, 'LASJ');
  if (d.JDRQ != null) kase.decidedOn = date(d.JDRQ, 'JDRQ');
  if (d.JASJ != null) kase.closedOn = date(d.JASJ, 'JASJ');
  if (d.CFJDSWH != null) kase.decisionNumber = d.CFJDSWH;
  if (!isEmpty(kase)) out.case = kase;

  // The flat form carries the first party only.
  const party: Json = {};
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
  if (d.DSRMC != null) party.name = d.DSRMC;
  if (d.DSRDZ != null) party.address = d.DSRDZ;
  if (d.DSRXZQHDM != null) party.divisionCode = d.DSRXZQHDM;
  if (d.LXDH != null) party.phone = d.LXDH;
  if (!isEmpty(party)) out.parties = [party];

  if (d.WFSS != null) out.facts = d.WFSS;
  if (d.CFYJ != null) out.legalBasis = d.CFYJ === '' ? [] : d.CFYJ.split('；');

  const decision: Json = {};
  if (d.CFLB != null)
    decision.penalties = d.CFLB === '' ? [] : d.CFLB.split('、').map((p) => code(PENALTY, p, 'CFLB'));
  if (d.FKJE != null) decision.fine = yuan(d.FKJE, 'FKJE');
  if (d.MSWFSDJE != null) decision.confiscatedGains = yuan(d.MSWFSDJE, 'MSWFSDJE');
  if (d.CFNR != null) decision.content = d.CFNR;
  if (!isEmpty(decision)) out.decision = decision;

  const agency: Json = {};
  if (d.BAJGMC != null) agency.name = d.BAJGMC;
  if (d.BAJGDM != null) agency.uscc = d.BAJGDM;
  if (d.BAJGXZQHDM != null) agency.divisionCode = d.BAJGXZQHDM;
  if (d.CBR != null) agency.contact = d.CBR;
  if (d.CBRDH != null) agency.phone = d.CBRDH;
  if (!isEmpty(agency)) out.agency = agency;

  if (d.XYFXFL != null) out.creditRiskClass = code(CREDIT_RISK, d.XYFXFL, 'XYFXFL');
  if (d.FXDJ != null) out.riskGrade = code(RISK_GRADE, d.FXDJ, 'FXDJ');

  const request: Json = {};
  if (d.XCSX != null) request.subject = d.XCSX;
  if (d.XCNR != null) request.actions = d.XCNR === '' ? [] : d.XCNR.split('；');
  if (d.FKQX != null) request.dueDate = date(d.FKQX, 'FKQX');
  if (!isEmpty(request)) out.request = request;

  const reply: Json = {};
  if (d.XCJG != null) reply.result = code(REPLY_RESULT, d.XCJG, 'XCJG');
  if (d.FKNR != null) reply.summary = d.FKNR;
  if (d.FKRQ != null) reply.repliedOn = date(d.FKRQ, 'FKRQ');
  if (!isEmpty(reply)) out.reply = reply;

  const sampling: Json = {};
  if (d.CYDBH != null) sampling.sampleNumber = d.CYDBH;
  if (d.SPMC != null) sampling.foodName = d.SPMC;
  if (d.GGXH != null) sampling.specification = d.GGXH;
  if (d.SB != null) sampling.brand = d.SB;
  if (d.SCRQPH != null) sampling.productionDateOrBatch = d.SCRQPH;
  const producer: Json = {};
  if (d.BCSCQYMC != null) producer.name = d.BCSCQYMC;
  if (d.BCSCQYDZ != null) producer.address = d.BCSCQYDZ;
  if (d.BCSCQYXYDM != null) producer.uscc = d.BCSCQYXYDM;
  if (!isEmpty(producer)) sampling.labelledProducer = producer;
  const sampled: Json = {};
  if (d.BCYDWMC != null) sampled.name = d.BCYDWMC;
  if (d.BCYDWDZ != null) sampled.address = d.BCYDWDZ;
  if (d.BCYDWXZQHDM != null) sampled.divisionCode = d.BCYDWXZQHDM;
  if (!isEmpty(sampled)) sampling.sampledUnit = sampled;
  // The category label is also its name.
  if (d.SPDL != null) sampling.category = { name: d.SPDL, code: code(FOOD_CATEGORY, d.SPDL, 'SPDL') };
  if (d.CYRQ != null) sampling.sampledOn = date(d.CYRQ, 'CYRQ');
  if (d.JYJGMC != null) sampling.testingInstitution = d.JYJGMC;
  if (d.BGBH != null) sampling.reportNumber = d.BGBH;
  if (d.JYXM != null) {
    sampling.items = d.JYXM.map((x) => {
      const item: Json = {};
      if (x.XMMC != null) item.item = x.XMMC;
      if (x.JCJG != null) item.result = x.JCJG;
      if (x.BZZ != null) item.limit = x.BZZ;
      if (x.JLDW != null) item.unit = x.JLDW;
      if (x.SFHG != null) item.qualified = x.SFHG;
      return item;
    });
  }
  if (d.PDYJ != null) sampling.standards = d.PDYJ === '' ? [] : d.PDYJ.split('、');
  if (d.JYJL != null) sampling.conclusion = code(CONCLUSION, d.JYJL, 'JYJL');
  if (!isEmpty(sampling)) out.sampling = sampling;

  const recall: Json = {};
  if (d.ZHJB != null) recall.level = code(RECALL_LEVEL, d.ZHJB, 'ZHJB');
  if (d.ZHCP != null) recall.product = d.ZHCP;
  if (d.ZHYY != null) recall.reason = d.ZHYY;
  if (d.ZHKSRQ != null) recall.startedOn = date(d.ZHKSRQ, 'ZHKSRQ');
  if (d.ZHJZRQ != null) recall.deadline = date(d.ZHJZRQ, 'ZHJZRQ');
  if (d.ZHFW != null) recall.scope = d.ZHFW;
  if (!isEmpty(recall)) out.recall = recall;

  const disposal: Json = {};
  if (d.CZZT != null) disposal.status = code(DISPOSAL_STATUS, d.CZZT, 'CZZT');
  if (d.CZWCRQ != null) disposal.completedOn = date(d.CZWCRQ, 'CZWCRQ');
  if (d.CZJG != null) disposal.outcome = d.CZJG;
  if (!isEmpty(disposal)) out.disposal = disposal;

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
