/**
 * ip-protection, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/ip-protection/2.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
import {
  AS_SENT,
  casePart,
  code,
  isEmpty,
  isoDateTime,
  type Json,
  list,
  PARTY_KIND,
  PENALTY,
  yuan,
  type ZjCase,
} from './zj-2.js';

interface ZjRight {
  right_type?: string;
  right_name?: string;
  patent_type?: string;
  patent_apply_code?: string;
  patent_publish_code?: string;
  trademark_reg_code?: string;
  nice_class?: string;
  holder_name?: string;
  holder_type?: string;
  holder_cert_code?: string;
}

export interface ZjIpProtection2 extends ZjCase {
  credit_risk_level?: string;
  ip_right?: ZjRight[];
  infringe_type?: string;
  goods_name?: string;
  goods_quantity?: number;
  goods_value?: string;
  sales_platform?: string;
  discover_time?: string;
}

const RISK_CLASS: Record<string, string> = { A类: 'A', B类: 'B', C类: 'C', D类: 'D' };
const RIGHT_KIND: Record<string, string> = {
  专利: 'patent',
  商标: 'trademark',
  地理标志: 'geographical-indication',
};
const PATENT_TYPE: Record<string, string> = {
  发明: 'invention',
  实用新型: 'utility-model',
  外观设计: 'design',
};
const INFRINGEMENT: Record<string, string> = {
  未经许可在同一种商品上使用相同商标: 'TM-SAME',
  使用近似商标或在类似商品上使用容易导致混淆: 'TM-CONFUSE',
  销售侵犯注册商标专用权的商品: 'TM-SELL',
  '伪造、擅自制造或销售注册商标标识': 'TM-LABEL',
  反向假冒: 'TM-REVERSE',
  故意为侵权提供便利条件: 'TM-ASSIST',
  给他人注册商标专用权造成其他损害: 'TM-OTHER',
  假冒专利: 'PATENT-COUNTERFEIT',
  专利侵权纠纷: 'PATENT-DISPUTE',
  地理标志误用: 'GI-MISUSE',
};
/** 第25类 → 25, for the 45 classes of the Nice classification. */
const NICE_CLASS = /^第([1-9]\d?)类$/;

export function zjToCanonical(d: ZjIpProtection2): Json {
  const out: Json = {};
  casePart(d, out, PENALTY, AS_SENT);
  if (d.credit_risk_level != null)
    out.creditRiskClass = code(RISK_CLASS, d.credit_risk_level, 'credit_risk_level');
  if (d.ip_right != null) out.rights = d.ip_right.map(right);

  const infringement: Json = {};
  if (d.infringe_type != null) infringement.kind = code(INFRINGEMENT, d.infringe_type, 'infringe_type');
  if (d.goods_name != null) infringement.goods = d.goods_name;
  if (d.goods_quantity != null) infringement.quantity = d.goods_quantity;
  if (d.goods_value != null) infringement.value = yuan(d.goods_value, 'goods_value');
  if (d.sales_platform != null) infringement.platform = d.sales_platform;
  if (d.discover_time != null) infringement.discoveredAt = isoDateTime(d.discover_time, 'discover_time');
  if (!isEmpty(infringement)) out.infringement = infringement;
  return out;
}

function right(r: ZjRight): Json {
  const out: Json = {};
  if (r.right_type != null) out.kind = code(RIGHT_KIND, r.right_type, 'right_type');
  if (r.right_name != null) out.name = r.right_name;
  if (r.patent_type != null) out.patentType = code(PATENT_TYPE, r.patent_type, 'patent_type');
  if (r.patent_apply_code != null) out.applicationNumber = r.patent_apply_code;
  if (r.patent_publish_code != null) out.publicationNumber = r.patent_publish_code;
  if (r.trademark_reg_code != null) out.trademarkNumber = r.trademark_reg_code;
  if (r.nice_class != null) out.niceClasses = list(r.nice_class, '、').map(niceClass);
  const holder: Json = {};
  if (r.holder_name != null) holder.name = r.holder_name;
  if (r.holder_type != null) {
    holder.kind = code(PARTY_KIND, r.holder_type, 'holder_type');
    // The certificate is an id number for a person, a uscc for anyone else.
    if (r.holder_cert_code != null)
      holder[holder.kind === 'individual' ? 'idNumber' : 'uscc'] = r.holder_cert_code;
  }
  if (!isEmpty(holder)) out.holder = holder;
  return out;
}

function niceClass(label: string): number {
  const m = NICE_CLASS.exec(label);
  const n = m === null ? 0 : Number(m[1]);
  if (n < 1 || n > 45) throw new Error(`nice_class: "${label}" is not a Nice class`);
  return n;
}
