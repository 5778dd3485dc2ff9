/**
 * road-transport, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/road-transport/2.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
import {
  casePart,
  code,
  identifier,
  isEmpty,
  type Json,
  localWhen,
  PENALTY,
  tidyName,
  type ZjCase,
} from './zj-2.js';

export interface ZjRoadTransport2 extends ZjCase {
  credit_risk_level?: string;
  vehicle_plate_no?: string;
  vehicle_plate_color?: string;
  trailer_plate_no?: string;
  vehicle_type?: string;
  axle_count?: number;
  transport_cert_no?: string;
  driver_name?: string;
  driver_idcard?: string;
  driver_qualification_no?: string;
  operator_name?: string;
  operator_credit_code?: string;
  operator_licence_no?: string;
  /** 违法行为类别. */
  extend_1?: string;
  illegal_time?: string;
  illegal_place?: string;
  illegal_area_code?: string;
  gross_mass_kg?: number;
  limit_mass_kg?: number;
  overload_rate?: string;
  check_station?: string;
  check_time?: string;
  dangerous_goods?: {
    un_no?: string;
    goods_name?: string;
    goods_class?: string;
    packing_group?: string;
    quantity_kg?: string;
  }[];
}

const CREDIT_RISK: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const PLATE_COLOUR: Record<string, string> = {
  蓝色: '1',
  黄色: '2',
  黑色: '3',
  白色: '4',
  绿色: '5',
  其他: '9',
  未上牌: '0',
};
const VIOLATION: Record<string, string> = {
  超限超载: 'overload',
  非法营运: 'illegal-operation',
  危险货物运输违法: 'dangerous-goods',
  其他: 'other',
};
const PACKING_GROUP: Record<string, string> = { Ⅰ类: 'I', Ⅱ类: 'II', Ⅲ类: 'III' };
/** Certificate codes as sent; party names trimmed and their runs of spaces collapsed. */
const NAMES = { code: (s: string) => s, name: tidyName };

export function zjToCanonical(d: ZjRoadTransport2): Json {
  const out: Json = {};
  casePart(d, out, PENALTY, NAMES);
  if (d.credit_risk_level != null)
    out.creditRiskClass = code(CREDIT_RISK, d.credit_risk_level, 'credit_risk_level');

  const vehicle: Json = {};
  if (d.vehicle_plate_no != null) vehicle.plate = identifier(d.vehicle_plate_no);
  if (d.vehicle_plate_color != null)
    vehicle.plateColour = code(PLATE_COLOUR, d.vehicle_plate_color, 'vehicle_plate_color');
  if (d.trailer_plate_no != null) vehicle.trailerPlate = identifier(d.trailer_plate_no);
  if (d.vehicle_type != null) vehicle.vehicleType = d.vehicle_type;
  if (d.axle_count != null) vehicle.axles = d.axle_count;
  if (d.transport_cert_no != null) vehicle.transportCertificate = d.transport_cert_no;
  if (!isEmpty(vehicle)) out.vehicle = vehicle;

  const driver: Json = {};
  if (d.driver_name != null) driver.name = d.driver_name;
  if (d.driver_idcard != null) driver.idNumber = d.driver_idcard;
  if (d.driver_qualification_no != null) driver.qualificationCertificate = d.driver_qualification_no;
  if (!isEmpty(driver)) out.driver = driver;

  const operator: Json = {};
  if (d.operator_name != null) operator.name = d.operator_name;
  if (d.operator_credit_code != null) operator.uscc = d.operator_credit_code;
  if (d.operator_licence_no != null) operator.operatingPermit = d.operator_licence_no;
  if (!isEmpty(operator)) out.operator = operator;

  const violation: Json = {};
  if (d.extend_1 != null) violation.kind = code(VIOLATION, d.extend_1, 'extend_1');
  if (d.illegal_time != null) violation.occurredAt = localWhen(d.illegal_time, 'illegal_time');
  if (d.illegal_place != null) violation.location = d.illegal_place;
  if (d.illegal_area_code != null) violation.divisionCode = d.illegal_area_code;
  if (!isEmpty(violation)) out.violation = violation;

  const overload: Json = {};
  if (d.gross_mass_kg != null) overload.totalMassKg = d.gross_mass_kg;
  if (d.limit_mass_kg != null) overload.limitKg = d.limit_mass_kg;
  if (d.overload_rate != null) overload.overloadRate = d.overload_rate;
  if (d.check_station != null) overload.stationName = d.check_station;
  if (d.check_time != null) overload.measuredAt = localWhen(d.check_time, 'check_time');
  if (!isEmpty(overload)) out.overload = overload;

  if (d.dangerous_goods != null)
    out.dangerousGoods = d.dangerous_goods.map((g) => {
      const goods: Json = {};
      if (g.un_no != null) goods.unNumber = g.un_no;
      if (g.goods_name != null) goods.name = g.goods_name;
      if (g.goods_class != null) goods.class = g.goods_class;
      if (g.packing_group != null) goods.packingGroup = code(PACKING_GROUP, g.packing_group, 'packing_group');
      if (g.quantity_kg != null) goods.quantityKg = g.quantity_kg;
      return goods;
    });
  return out;
}
