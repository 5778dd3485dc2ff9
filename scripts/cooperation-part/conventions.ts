// How each dialect writes a canonical value of the cooperation part: its date and money forms and its
// code tables. sh: ISO dates, 元, UPPER_SNAKE codes; zj: ISO dates, 元, Chinese labels (Zhejiang's own
// code tables are unverified, so labels are carried, as in the case part); js: yyyy/MM/dd, 分,
// two-digit codes (yrdx's own); ah: yyyy年M月d日, 万元, Chinese labels.
import type { Dialect } from './keys.js';

type Conversion = Readonly<Record<string, string>>;

export const DATE: Record<Dialect, Conversion> = {
  sh: { date: 'yyyy-MM-dd' },
  zj: { date: 'yyyy-MM-dd' },
  js: { date: 'yyyy/MM/dd' },
  ah: { date: 'yyyy年M月d日' },
};
/** A core 2 `when` (a date, or a date-time when the time is known): its precision is kept. */
export const WHEN: Record<Dialect, Conversion> = {
  sh: {},
  zj: {},
  js: { date: 'yyyy/MM/dd HH:mm:ss' },
  ah: { date: 'yyyy年M月d日 HH:mm:ss' },
};
export const MONEY: Record<Dialect, Conversion> = {
  sh: { money: 'yuan' },
  zj: { money: 'yuan' },
  js: { money: 'fen' },
  ah: { money: 'wanyuan' },
};

const ISO_WHEN = String.raw`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+08:00)?$`;
export const DATE_SCHEMA: Record<Dialect, Record<string, unknown>> = {
  sh: { type: 'string', format: 'date' },
  zj: { type: 'string', format: 'date' },
  js: { type: 'string', pattern: String.raw`^\d{4}/\d{2}/\d{2}$` },
  ah: { type: 'string', pattern: String.raw`^\d{4}年\d{1,2}月\d{1,2}日$` },
};
export const WHEN_SCHEMA: Record<Dialect, Record<string, unknown>> = {
  sh: { type: 'string', pattern: ISO_WHEN },
  zj: { type: 'string', pattern: ISO_WHEN },
  js: { type: 'string', pattern: String.raw`^\d{4}/\d{2}/\d{2}( \d{2}:\d{2}:\d{2})?$` },
  ah: { type: 'string', pattern: String.raw`^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2}:\d{2})?$` },
};
export const MONEY_SCHEMA: Record<Dialect, Record<string, unknown>> = {
  sh: { type: 'string', pattern: String.raw`^(0|[1-9]\d{0,12})(\.\d{1,2})?$` },
  zj: { type: 'string', pattern: String.raw`^(0|[1-9]\d{0,12})(\.\d{1,2})?$` },
  js: { type: 'integer', minimum: 0, maximum: 999999999999999 },
  ah: { type: 'string', pattern: String.raw`^(0|[1-9]\d{0,8})(\.\d+)?$` },
};
export const UNIT: Record<Dialect, string> = { sh: '元', zj: '元', js: '分', ah: '万元' };

/** Chinese labels of zj and ah, per code table, in the order of the canonical enum. */
export const LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  organKind: {
    'market-regulation': '市场监管部门',
    transport: '交通运输部门',
    'ecology-environment': '生态环境部门',
    'intellectual-property': '知识产权部门',
    'public-security': '公安机关',
    procuratorate: '人民检察院',
    'other-administrative': '其他行政机关',
  },
  jurisdictionBasis: {
    'violation-place': '违法行为发生地',
    domicile: '住所地',
    'actual-business-place': '实际经营地',
    'platform-domicile': '平台住所地',
    'advertiser-domicile': '广告主所在地',
    designated: '指定管辖',
    other: '其他',
  },
  evidenceKind: {
    documentary: '书证',
    physical: '物证',
    'audio-visual': '视听资料',
    electronic: '电子数据',
    witness: '证人证言',
    'party-statement': '当事人陈述',
    'expert-opinion': '鉴定意见',
    'inspection-record': '勘验笔录',
    'on-site-record': '现场笔录',
  },
  custodyMeasure: { sealed: '查封', seized: '扣押', 'registered-preservation': '先行登记保存', none: '无' },
  assistAction: {
    test: '检验',
    appraise: '鉴定',
    determine: '认定',
    preserve: '保存',
    destroy: '销毁',
    dispose: '处置',
  },
  acceptanceDecision: { accepted: '受理', refused: '不予受理', returned: '退回', forwarded: '移送其他机关' },
  handoverDecision: {
    received: '接收',
    filed: '立案',
    'not-filed': '不予立案',
    returned: '退回',
    forwarded: '移送有管辖权的机关',
    'supplement-requested': '要求补正材料',
  },
  informMethod: {
    'in-person': '直接送达',
    post: '邮寄送达',
    electronic: '电子送达',
    announcement: '公告送达',
  },
  materialKind: {
    'transfer-letter': '涉嫌犯罪案件移送书',
    'investigation-report': '涉嫌犯罪案件情况的调查报告',
    'seized-items-list': '涉案物品清单',
    'test-report': '检验报告或者鉴定意见',
    other: '其他有关材料',
  },
  labCategory: { supervisory: '监督检验', commissioned: '委托检验', monitoring: '监测', other: '其他' },
  recognitionDecision: { recognised: '予以互认', 'not-recognised': '不予互认' },
  creditScheme: {
    'SAMR-RISK-2022': '企业信用风险分类',
    'FOOD-RISK': '食品生产经营风险分级',
    'TRANSPORT-QR': '道路运输企业质量信誉考核',
    'JS-TRANSPORT-2024': '江苏省道路水路运输经营者信用评价',
    'ENV-CREDIT-2013': '企业环境信用评价',
    OTHER: '其他',
  },
  creditVisibility: { public: '公开', internal: '内部使用' },
  creditList: { 'serious-dishonesty': '严重违法失信名单', 'abnormal-operation': '经营异常名录' },
  creditAction: { entry: '列入', removal: '移出' },
  abnormalReason: {
    ANNUAL: '未按规定期限公示年度报告',
    INSTANT: '未在责令期限内公示即时信息',
    FALSE: '公示信息隐瞒真实情况、弄虚作假',
    ADDRESS: '通过登记的住所或者经营场所无法联系',
    OTHER: '其他',
  },
  alertCategory: {
    food: '食品安全',
    'environmental-emergency': '突发环境事件',
    'heavy-pollution-weather': '重污染天气',
    transport: '交通运输',
    product: '产品质量',
    other: '其他',
  },
  alertLevelScheme: {
    'four-colour': '四色预警',
    'air-three-colour': '重污染天气三色预警',
    'incident-grade': '事件分级',
    none: '不分级',
  },
  alertLevel: {
    red: '红色',
    orange: '橙色',
    yellow: '黄色',
    blue: '蓝色',
    I: 'Ⅰ级',
    II: 'Ⅱ级',
    III: 'Ⅲ级',
    IV: 'Ⅳ级',
    none: '无',
  },
  requestedResponse: { acknowledge: '签收', 'acknowledge-and-dispose': '签收并反馈处置' },
  inspectionMethod: {
    'random-double': '双随机、一公开',
    'comprehensive-once': '综合查一次',
    targeted: '重点检查',
  },
  inspectionFinding: {
    'no-problem': '未发现问题',
    'problem-found': '发现问题',
    'not-found-at-address': '通过登记的住所或者经营场所无法联系',
    closed: '已关闭',
  },
  noticeStage: {
    decision: '处罚决定',
    'no-penalty': '不予处罚决定',
    'pre-decision': '处罚前告知',
    information: '信息通报',
  },
  targetKind: { organisation: '法人及非法人组织', 'individual-business': '个体工商户', individual: '自然人' },
};

/** The party kind codes of sh and js follow their case part (food-safety 2.0.0). */
const FIXED: Readonly<Record<string, Partial<Record<Dialect, Record<string, string>>>>> = {
  targetKind: {
    sh: { organisation: 'ORG', 'individual-business': 'SOLE_TRADER', individual: 'PERSON' },
    js: { organisation: '01', individual: '02', 'individual-business': '03' },
  },
};

/** The code table `name` of a dialect, over the canonical enum `values`. */
export function codeTable(name: string, dialect: Dialect, values: readonly string[]): Record<string, string> {
  const fixed = FIXED[name]?.[dialect];
  if (fixed !== undefined) return fixed;
  const labels = LABELS[name];
  if (labels === undefined) throw new Error(`no labels for code table ${name}`);
  const out: Record<string, string> = {};
  values.forEach((v, i) => {
    if (dialect === 'sh') out[v] = v.toUpperCase().replaceAll('-', '_');
    else if (dialect === 'js') out[v] = String(i + 1).padStart(2, '0');
    else {
      const label = labels[v];
      if (label === undefined) throw new Error(`no label for ${name}.${v}`);
      out[v] = label;
    }
  });
  return out;
}

export function codesNote(dialect: Dialect): string {
  switch (dialect) {
    case 'sh':
      return "UPPER_SNAKE code (yrdx's own)";
    case 'js':
      return "two-digit code (yrdx's own table)";
    case 'zj':
      return 'label (a Zhejiang code table was not found: the label is carried)';
    case 'ah':
      return 'label';
  }
}
