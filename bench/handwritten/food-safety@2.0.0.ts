/**
 * food-safety, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/food-safety/2.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
import {
  casePart,
  code,
  date,
  identifier,
  isEmpty,
  isoDateTime,
  type Json,
  list,
  PENALTY_FOOD,
  type ZjCase,
} from './zj-2.js';

interface ZjCheckItem {
  item_name?: string;
  check_result?: string;
  standard_value?: string;
  unit?: string;
  is_qualified?: boolean;
  plan_n?: number;
  plan_c?: number;
  plan_m?: string;
  plan_max_m?: string;
  check_method?: string;
}

export interface ZjFoodSafety2 extends ZjCase {
  credit_risk_class?: string;
  food_risk_grade?: string;
  sampling?: {
    sampling_code?: string;
    food_name?: string;
    spec_model?: string;
    trademark?: string;
    produce_date_batch?: string;
    producer_name?: string;
    producer_address?: string;
    producer_credit_code?: string;
    sampled_unit_name?: string;
    sampled_unit_address?: string;
    sampled_unit_area_code?: string;
    food_category_code?: string;
    food_category_name?: string;
    /** Already a canonical `when` (date, or date-time with +08:00). */
    sampling_time?: string;
    check_institution?: string;
    report_code?: string;
    check_items?: ZjCheckItem[];
    judge_basis?: string;
    check_conclusion?: string;
  };
  recall?: {
    recall_level?: string;
    recall_product?: string;
    recall_reason?: string;
    recall_start_date?: string;
    recall_end_date?: string;
    recall_scope?: string;
    announce_time?: string;
  };
  disposal?: { dispose_status?: string; dispose_finish_date?: string; dispose_result?: string };
}

const CREDIT_RISK: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const RISK_GRADE: Record<string, string> = { A级: 'A', B级: 'B', C级: 'C', D级: 'D' };
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
const CODES = { code: identifier, name: (s: string) => s };

export function zjToCanonical(d: ZjFoodSafety2): Json {
  const out: Json = {};
  casePart(d, out, PENALTY_FOOD, CODES);
  if (d.credit_risk_class != null)
    out.creditRiskClass = code(CREDIT_RISK, d.credit_risk_class, 'credit_risk_class');
  if (d.food_risk_grade != null) out.riskGrade = code(RISK_GRADE, d.food_risk_grade, 'food_risk_grade');

  const s = d.sampling;
  if (s != null) {
    const sampling: Json = {};
    if (s.sampling_code != null) sampling.sampleNumber = s.sampling_code;
    if (s.food_name != null) sampling.foodName = s.food_name;
    if (s.spec_model != null) sampling.specification = s.spec_model;
    if (s.trademark != null) sampling.brand = s.trademark;
    if (s.produce_date_batch != null) sampling.productionDateOrBatch = s.produce_date_batch;
    const producer: Json = {};
    if (s.producer_name != null) producer.name = s.producer_name;
    if (s.producer_address != null) producer.address = s.producer_address;
    if (s.producer_credit_code != null) producer.uscc = s.producer_credit_code;
    if (!isEmpty(producer)) sampling.labelledProducer = producer;
    const sampled: Json = {};
    if (s.sampled_unit_name != null) sampled.name = s.sampled_unit_name;
    if (s.sampled_unit_address != null) sampled.address = s.sampled_unit_address;
    if (s.sampled_unit_area_code != null) sampled.divisionCode = s.sampled_unit_area_code;
    if (!isEmpty(sampled)) sampling.sampledUnit = sampled;
    const category: Json = {};
    if (s.food_category_code != null) category.code = s.food_category_code;
    if (s.food_category_name != null) category.name = s.food_category_name;
    if (!isEmpty(category)) sampling.category = category;
    if (s.sampling_time != null) sampling.sampledOn = s.sampling_time;
    if (s.check_institution != null) sampling.testingInstitution = s.check_institution;
    if (s.report_code != null) sampling.reportNumber = s.report_code;
    if (s.check_items != null) sampling.items = s.check_items.map(checkItem);
    if (s.judge_basis != null) sampling.standards = list(s.judge_basis, '、');
    if (s.check_conclusion != null)
      sampling.conclusion = code(CONCLUSION, s.check_conclusion, 'check_conclusion');
    if (!isEmpty(sampling)) out.sampling = sampling;
  }

  const r = d.recall;
  if (r != null) {
    const recall: Json = {};
    if (r.recall_level != null) recall.level = code(RECALL_LEVEL, r.recall_level, 'recall_level');
    if (r.recall_product != null) recall.product = r.recall_product;
    if (r.recall_reason != null) recall.reason = r.recall_reason;
    if (r.recall_start_date != null) recall.startedOn = date(r.recall_start_date, 'recall_start_date');
    if (r.recall_end_date != null) recall.deadline = date(r.recall_end_date, 'recall_end_date');
    if (r.recall_scope != null) recall.scope = r.recall_scope;
    if (r.announce_time != null) recall.announcedAt = isoDateTime(r.announce_time, 'announce_time');
    if (!isEmpty(recall)) out.recall = recall;
  }

  const p = d.disposal;
  if (p != null) {
    const disposal: Json = {};
    if (p.dispose_status != null) disposal.status = code(DISPOSAL_STATUS, p.dispose_status, 'dispose_status');
    if (p.dispose_finish_date != null)
      disposal.completedOn = date(p.dispose_finish_date, 'dispose_finish_date');
    if (p.dispose_result != null) disposal.outcome = p.dispose_result;
    if (!isEmpty(disposal)) out.disposal = disposal;
  }
  return out;
}

function checkItem(x: ZjCheckItem): Json {
  const item: Json = {};
  if (x.item_name != null) item.item = x.item_name;
  if (x.check_result != null) item.result = measured(x.check_result, 'check_result');
  if (x.standard_value != null) item.limit = measured(x.standard_value, 'standard_value');
  if (x.unit != null) item.unit = x.unit;
  if (x.is_qualified != null) item.qualified = x.is_qualified;
  const plan: Json = {};
  if (x.plan_n != null) plan.n = x.plan_n;
  if (x.plan_c != null) plan.c = x.plan_c;
  if (x.plan_m != null) plan.m = x.plan_m;
  if (x.plan_max_m != null) plan.M = x.plan_max_m;
  if (!isEmpty(plan)) item.plan = plan;
  if (x.check_method != null) item.method = x.check_method;
  return item;
}

// A result or limit as a Chinese report prints it: 1.80, <0.005, ≤0.1, 3.2×10⁵ (also 3.2E5), 未检出,
// 未检出(检出限0.003), or words (检出, 阳性, 阴性, 不得检出) kept as they are.
const NUMBER = String.raw`(\d+(?:\.\d+)?)(?:[Ee]([+-]?\d{1,3})|×10(?:\^([+-]?\d{1,3})|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})))?`;
const VALUE = new RegExp(`^([<≤>≥])?${NUMBER}$`);
const NOT_DETECTED = new RegExp(`^(?:未检出|ND)(?:[(（](?:检出限|LOD ?)${NUMBER}[)）])?$`);
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function measured(text: string, field: string): unknown {
  if (text === '检出' || text === '阳性' || text === '阴性' || text.startsWith('不得')) return text;
  const nd = NOT_DETECTED.exec(text);
  if (nd !== null)
    return nd[1] === undefined
      ? { notDetected: true }
      : { notDetected: true, detectionLimit: number(nd, 1, text, field) };
  const v = VALUE.exec(text);
  if (v === null) throw new Error(`${field}: "${text}" is not a result as reports print it`);
  const value = number(v, 2, text, field);
  return v[1] === undefined ? { value } : { value, qualifier: v[1] };
}

/** The digits as written (1.80 stays 1.80); scientific notation as 3.2E5. */
function number(m: RegExpExecArray, i: number, text: string, field: string): string {
  const mantissa = m[i]!;
  if (mantissa.length > 1 && mantissa[0] === '0' && mantissa[1] !== '.')
    throw new Error(`${field}: "${text}" has a leading zero`);
  let exponent = m[i + 1] ?? m[i + 2];
  const sup = m[i + 3];
  if (exponent === undefined && sup !== undefined) {
    exponent = '';
    for (const ch of sup) exponent += ch === '⁻' ? '-' : ch === '⁺' ? '' : String(SUPERSCRIPT.indexOf(ch));
  }
  if (exponent === undefined) return mantissa;
  const n = Number(exponent);
  if (n === 0) throw new Error(`${field}: "${text}" has a zero exponent`);
  return `${mantissa}E${n}`;
}
