// The cooperation part of every contract, as data: for each canonical property that refers to
// urn:yrdx:contracts:core:cooperation:1, the keys that each of the four dialects uses for it.
// scripts/write-cooperation-part.ts writes contracts from this table and prints it as the shared key
// table (coop-part.md), so the document and the contracts cannot differ. Conversions (dates, money,
// code tables) are not written here: they follow from the canonical field's type and the dialect
// (see conventions.ts).

/** A mapping rule before conversions are added (pointers as in the mapping language). */
export type KeyRule =
  | {
      readonly canonical: string;
      readonly dialect: string;
      readonly codes?: string;
      readonly normalize?: readonly string[];
    }
  | { readonly canonical: string; readonly dialect: string; readonly each: readonly KeyRule[] }
  | { readonly dialect: string; readonly constant: string; readonly description?: string }
  | {
      readonly switch: { readonly canonical: string; readonly dialect: string; readonly codes: string };
      readonly cases: Readonly<Record<string, readonly KeyRule[]>>;
    };

export type Dialect = 'sh' | 'zj' | 'js' | 'ah';
export const DIALECTS: readonly Dialect[] = ['sh', 'zj', 'js', 'ah'];

const COOP = 'urn:yrdx:contracts:core:cooperation:1#/$defs/';

/** One part: a top-level canonical property and its keys in every dialect. */
export interface Part {
  readonly property: string;
  readonly canonical: Record<string, unknown>;
  readonly rules: Readonly<Record<Dialect, readonly KeyRule[]>>;
}

const f = (canonical: string, dialect: string, codes?: string): KeyRule =>
  codes === undefined ? { canonical, dialect } : { canonical, dialect, codes };
const each = (canonical: string, dialect: string, rules: readonly KeyRule[]): KeyRule => ({
  canonical,
  dialect,
  each: rules,
});
/** Prefix every pointer of rules (a group or a nested object). */
function under(c: string, d: string, rules: readonly KeyRule[]): KeyRule[] {
  return rules.map((r): KeyRule => {
    if ('switch' in r) {
      const cases: Record<string, readonly KeyRule[]> = {};
      for (const [k, v] of Object.entries(r.cases)) cases[k] = under(c, d, v);
      return {
        switch: { ...r.switch, canonical: c + r.switch.canonical, dialect: d + r.switch.dialect },
        cases,
      };
    }
    if ('constant' in r) return { ...r, dialect: d + r.dialect };
    return { ...r, canonical: c + r.canonical, dialect: d + r.dialect };
  });
}

// ---- shared sub-shapes (organ, agency, party) per dialect ---------------------------------------

const organ: Record<Dialect, KeyRule[]> = {
  sh: [
    f('/kind', '/organType', 'organKind'),
    f('/name', '/name'),
    f('/uscc', '/creditCode'),
    f('/divisionCode', '/regionCode'),
  ],
  zj: [
    f('/kind', '/org_type', 'organKind'),
    f('/name', '/org_name'),
    f('/uscc', '/org_code'),
    f('/divisionCode', '/org_area_code'),
  ],
  js: [
    f('/kind', '/org_type', 'organKind'),
    f('/name', '/org_name'),
    f('/uscc', '/org_code'),
    f('/divisionCode', '/org_area_code'),
  ],
  ah: [
    f('/kind', '/机关类别', 'organKind'),
    f('/name', '/机关名称'),
    f('/uscc', '/统一社会信用代码'),
    f('/divisionCode', '/行政区划代码'),
  ],
};

const agency: Record<Dialect, KeyRule[]> = {
  sh: [
    f('/name', '/name'),
    f('/uscc', '/creditCode'),
    f('/divisionCode', '/regionCode'),
    f('/contact', '/liaison/name'),
    f('/phone', '/liaison/phone'),
  ],
  zj: [
    f('/name', '/org_name'),
    f('/uscc', '/org_code'),
    f('/divisionCode', '/org_area_code'),
    f('/contact', '/contact_name'),
    f('/phone', '/contact_tel'),
  ],
  js: [
    f('/name', '/org_name'),
    f('/uscc', '/org_code'),
    f('/divisionCode', '/org_area_code'),
    f('/contact', '/org_contact'),
    f('/phone', '/org_tel'),
  ],
  ah: [
    f('/name', '/名称'),
    f('/uscc', '/统一社会信用代码'),
    f('/divisionCode', '/行政区划代码'),
    f('/contact', '/联系人'),
    f('/phone', '/联系电话'),
  ],
};

const ID = ['trim', 'halfwidth', 'upper'] as const;
const n = (canonical: string, dialect: string): KeyRule => ({ canonical, dialect, normalize: ID });

/** A party (core 2) with the case part's keys of each dialect (food-safety 2.0.0 for sh and js). */
function party(d: Dialect): KeyRule[] {
  const org = (rules: KeyRule[]) => ({ organisation: rules, 'individual-business': rules });
  switch (d) {
    case 'sh': {
      const o = [
        n('/uscc', '/creditCode'),
        f('/legalRepresentative', '/legalPerson'),
        n('/legalRepresentativeIdNumber', '/legalPersonIdCardNo'),
      ];
      return [
        {
          switch: { canonical: '/kind', dialect: '/partyType', codes: 'targetKind' },
          cases: { ...org(o), individual: [n('/idNumber', '/idCardNo')] },
        },
        f('/name', '/partyName'),
        f('/address', '/contact/address'),
        f('/divisionCode', '/contact/regionCode'),
        f('/phone', '/contact/telephone'),
      ];
    }
    case 'zj': {
      const certOrg: KeyRule = {
        dialect: '/administrative_cp_cert_type',
        constant: '统一社会信用代码',
        description: '证件类型 label (zj code table unverified: label carried)',
      };
      const o = [
        certOrg,
        n('/uscc', '/administrative_cp_cert_code'),
        f('/legalRepresentative', '/legal_representative'),
        n('/legalRepresentativeIdNumber', '/legal_representative_idcard'),
      ];
      const certId: KeyRule = {
        dialect: '/administrative_cp_cert_type',
        constant: '居民身份证',
        description: '证件类型 label',
      };
      return [
        {
          switch: { canonical: '/kind', dialect: '/administrative_cp_type', codes: 'targetKind' },
          cases: { ...org(o), individual: [certId, n('/idNumber', '/administrative_cp_cert_code')] },
        },
        f('/name', '/administrative_cp_name'),
        f('/phone', '/administrative_cp_tel'),
        f('/address', '/address_registerd'),
        f('/divisionCode', '/area_code_registerd'),
      ];
    }
    case 'js': {
      const o = [
        f('/uscc', '/credit_code'),
        f('/legalRepresentative', '/legal_rep'),
        n('/legalRepresentativeIdNumber', '/legal_rep_id_no'),
      ];
      return [
        {
          switch: { canonical: '/kind', dialect: '/party_type', codes: 'targetKind' },
          cases: { ...org(o), individual: [n('/idNumber', '/id_card_no')] },
        },
        f('/name', '/party_name'),
        f('/address', '/address'),
        f('/divisionCode', '/area_code'),
        f('/phone', '/tel'),
      ];
    }
    case 'ah': {
      const fr: KeyRule = {
        dialect: '/CF_FR_ZJLX',
        constant: '居民身份证',
        description: '法定代表人证件类型: one value in every domain',
      };
      const o = [
        n('/uscc', '/CF_XDR_SHXYM'),
        f('/legalRepresentative', '/CF_FRDB'),
        fr,
        n('/legalRepresentativeIdNumber', '/CF_FR_ZJHM'),
      ];
      const xdr: KeyRule = {
        dialect: '/CF_XDR_ZJLX',
        constant: '居民身份证',
        description: '证件类型: one value in every domain',
      };
      return [
        {
          switch: { canonical: '/kind', dialect: '/CF_XDR_LB', codes: 'targetKind' },
          cases: { ...org(o), individual: [xdr, n('/idNumber', '/CF_XDR_ZJHM')] },
        },
        f('/name', '/CF_XDR_MC'),
        f('/address', '/当事人住所'),
        f('/divisionCode', '/当事人行政区划代码'),
        f('/phone', '/当事人联系电话'),
      ];
    }
  }
}

/** A core 2 `measured` quantity split into its members (the unit is one of them here). */
const quantity: Record<Dialect, KeyRule[]> = {
  sh: [
    f('/quantity/value', '/quantity/amount'),
    f('/quantity/qualifier', '/quantity/qualifier'),
    f('/quantity/notDetected', '/quantity/notDetected'),
    f('/quantity/detectionLimit', '/quantity/detectionLimit'),
    f('/quantity/unit', '/quantity/unit'),
  ],
  zj: [
    f('/quantity/value', '/goods_quantity'),
    f('/quantity/qualifier', '/quantity_qualifier'),
    f('/quantity/notDetected', '/not_detected'),
    f('/quantity/detectionLimit', '/detection_limit'),
    f('/quantity/unit', '/quantity_unit'),
  ],
  js: [
    f('/quantity/value', '/goods_qty'),
    f('/quantity/qualifier', '/qty_qualifier'),
    f('/quantity/notDetected', '/not_detected'),
    f('/quantity/detectionLimit', '/detection_limit'),
    f('/quantity/unit', '/qty_unit'),
  ],
  ah: [
    f('/quantity/value', '/数量'),
    f('/quantity/qualifier', '/数量限定符'),
    f('/quantity/notDetected', '/未检出'),
    f('/quantity/detectionLimit', '/检出限'),
    f('/quantity/unit', '/计量单位'),
  ],
};

// ---- the parts ----------------------------------------------------------------------------------

const ref = (def: string, description?: string) => ({
  $ref: COOP + def,
  ...(description ? { description } : {}),
});

export const PARTS: readonly Part[] = [
  {
    property: 'jurisdiction',
    canonical: ref('jurisdiction', '管辖依据 why the receiving organ is competent (case and clue transfers)'),
    rules: {
      sh: under('/jurisdiction', '/jurisdiction', [
        f('/basis', '/basisCode', 'jurisdictionBasis'),
        f('/divisionCode', '/regionCode'),
        f('/detail', '/description'),
      ]),
      zj: under('/jurisdiction', '/jurisdiction_info', [
        f('/basis', '/jurisdiction_basis', 'jurisdictionBasis'),
        f('/divisionCode', '/jurisdiction_area_code'),
        f('/detail', '/jurisdiction_desc'),
      ]),
      js: under('/jurisdiction', '', [
        f('/basis', '/jurisdiction_basis', 'jurisdictionBasis'),
        f('/divisionCode', '/jurisdiction_area_code'),
        f('/detail', '/jurisdiction_desc'),
      ]),
      ah: under('/jurisdiction', '/管辖依据', [
        f('/basis', '/依据类型', 'jurisdictionBasis'),
        f('/divisionCode', '/地点行政区划代码'),
        f('/detail', '/说明'),
      ]),
    },
  },
  {
    property: 'evidence',
    canonical: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: ref('evidenceItem'),
      description: '证据清单 the evidence list sent with a case transfer',
    },
    rules: {
      sh: [
        each('/evidence', '/evidenceList', [
          f('/kind', '/evidenceType', 'evidenceKind'),
          f('/title', '/evidenceName'),
          f('/pages', '/pageCount'),
          f('/sha256', '/fileDigest'),
        ]),
      ],
      zj: [
        each('/evidence', '/evidence_list', [
          f('/kind', '/evidence_type', 'evidenceKind'),
          f('/title', '/evidence_name'),
          f('/pages', '/page_count'),
          f('/sha256', '/file_sha256'),
        ]),
      ],
      js: [
        each('/evidence', '/evidence_list', [
          f('/kind', '/evidence_type', 'evidenceKind'),
          f('/title', '/evidence_name'),
          f('/pages', '/page_count'),
          f('/sha256', '/file_sha256'),
        ]),
      ],
      ah: [
        each('/evidence', '/证据清单', [
          f('/kind', '/证据种类', 'evidenceKind'),
          f('/title', '/证据名称'),
          f('/pages', '/页数'),
          f('/sha256', '/文件摘要'),
        ]),
      ],
    },
  },
  {
    property: 'seizedItems',
    canonical: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: ref('seizedItem'),
      description: '涉案物品 items involved in the case, each with its custody',
    },
    rules: {
      sh: [
        each('/seizedItems', '/seizedGoods', [
          f('/name', '/goodsName'),
          ...quantity.sh,
          ...under('/custody', '/custody', [
            f('/measure', '/measureCode', 'custodyMeasure'),
            f('/holder', '/custodian'),
            f('/place', '/storagePlace'),
            f('/since', '/startDate'),
            f('/until', '/endDate'),
            f('/documentNumber', '/decisionDocNo'),
          ]),
          f('/requestedActions', '/requestedActions', 'assistAction'),
        ]),
      ],
      zj: [
        each('/seizedItems', '/seized_goods', [
          f('/name', '/goods_name'),
          ...quantity.zj,
          ...under('/custody', '', [
            f('/measure', '/compulsory_measure', 'custodyMeasure'),
            f('/holder', '/custody_unit'),
            f('/place', '/custody_place'),
            f('/since', '/measure_start_date'),
            f('/until', '/measure_end_date'),
            f('/documentNumber', '/measure_doc_no'),
          ]),
          f('/requestedActions', '/assist_actions', 'assistAction'),
        ]),
      ],
      js: [
        each('/seizedItems', '/seized_goods_list', [
          f('/name', '/goods_name'),
          ...quantity.js,
          ...under('/custody', '', [
            f('/measure', '/measure_type', 'custodyMeasure'),
            f('/holder', '/custody_unit'),
            f('/place', '/custody_place'),
            f('/since', '/measure_start_date'),
            f('/until', '/measure_end_date'),
            f('/documentNumber', '/measure_doc_no'),
          ]),
          f('/requestedActions', '/assist_actions', 'assistAction'),
        ]),
      ],
      ah: [
        each('/seizedItems', '/涉案物品', [
          f('/name', '/物品名称'),
          ...quantity.ah,
          ...under('/custody', '', [
            f('/measure', '/强制措施', 'custodyMeasure'),
            f('/holder', '/保管单位'),
            f('/place', '/保管地点'),
            f('/since', '/措施起始日期'),
            f('/until', '/措施期限'),
            f('/documentNumber', '/查封扣押决定书文号'),
          ]),
          f('/requestedActions', '/请求协助事项', 'assistAction'),
        ]),
      ],
    },
  },
  {
    property: 'acceptance',
    canonical: ref('acceptance'),
    rules: {
      sh: under('/acceptance', '/acceptanceReply', [
        f('/decision', '/decisionCode', 'acceptanceDecision'),
        f('/decidedOn', '/decisionDate'),
        f('/receivingCaseNumber', '/receiverCaseNo'),
        f('/reason', '/reason'),
        f('/legalBasis', '/legalBasis'),
        ...under('/forwardedTo', '/forwardedTo', organ.sh),
      ]),
      zj: under('/acceptance', '/accept_info', [
        f('/decision', '/accept_result', 'acceptanceDecision'),
        f('/decidedOn', '/accept_date'),
        f('/receivingCaseNumber', '/accept_case_code'),
        f('/reason', '/accept_reason'),
        f('/legalBasis', '/accept_law_basis'),
        ...under('/forwardedTo', '/transfer_org', organ.zj),
      ]),
      js: under('/acceptance', '', [
        f('/decision', '/accept_result', 'acceptanceDecision'),
        f('/decidedOn', '/accept_date'),
        f('/receivingCaseNumber', '/accept_case_no'),
        f('/reason', '/accept_reason'),
        f('/legalBasis', '/accept_law_basis'),
        ...under('/forwardedTo', '/forward_', organ.js.map(stripSlash)),
      ]),
      ah: under('/acceptance', '/受理答复', [
        f('/decision', '/受理结果', 'acceptanceDecision'),
        f('/decidedOn', '/决定日期'),
        f('/receivingCaseNumber', '/接收方案件编号'),
        f('/reason', '/理由'),
        f('/legalBasis', '/法律依据'),
        ...under('/forwardedTo', '/移送机关', organ.ah),
      ]),
    },
  },
  {
    property: 'jointInvestigation',
    canonical: ref('jointInvestigation'),
    rules: {
      sh: under('/jointInvestigation', '/jointInvestigation', [
        f('/lead', '/leadRegionCode'),
        f('/participants', '/participantRegionCodes'),
        each('/tasks', '/tasks', [
          f('/taskId', '/taskId'),
          f('/participant', '/assigneeRegionCode'),
          f('/description', '/content'),
          f('/dueDate', '/dueDate'),
        ]),
        f('/basis', '/basis'),
      ]),
      zj: under('/jointInvestigation', '/joint_investigation', [
        f('/lead', '/lead_area_code'),
        f('/participants', '/participant_area_codes'),
        each('/tasks', '/tasks', [
          f('/taskId', '/task_code'),
          f('/participant', '/task_area_code'),
          f('/description', '/task_content'),
          f('/dueDate', '/task_deadline'),
        ]),
        f('/basis', '/joint_basis'),
      ]),
      js: under('/jointInvestigation', '', [
        f('/lead', '/lead_area_code'),
        f('/participants', '/participant_list'),
        each('/tasks', '/task_list', [
          f('/taskId', '/task_no'),
          f('/participant', '/task_area_code'),
          f('/description', '/task_content'),
          f('/dueDate', '/task_deadline'),
        ]),
        f('/basis', '/joint_basis'),
      ]),
      ah: under('/jointInvestigation', '/联合调查', [
        f('/lead', '/牵头地区行政区划代码'),
        f('/participants', '/参与地区行政区划代码'),
        each('/tasks', '/任务分工', [
          f('/taskId', '/任务编号'),
          f('/participant', '/承办地区行政区划代码'),
          f('/description', '/任务内容'),
          f('/dueDate', '/完成期限'),
        ]),
        f('/basis', '/依据'),
      ]),
    },
  },
  {
    property: 'progress',
    canonical: ref('progress'),
    rules: {
      sh: under('/progress', '/progressReport', [
        f('/taskIds', '/taskIds'),
        f('/reportedOn', '/reportDate'),
        f('/summary', '/summary'),
        f('/completed', '/completed'),
      ]),
      zj: under('/progress', '/progress_report', [
        f('/taskIds', '/task_codes'),
        f('/reportedOn', '/report_date'),
        f('/summary', '/progress_content'),
        f('/completed', '/is_completed'),
      ]),
      js: under('/progress', '', [
        f('/taskIds', '/progress_task_nos'),
        f('/reportedOn', '/progress_date'),
        f('/summary', '/progress_content'),
        f('/completed', '/is_completed'),
      ]),
      ah: under('/progress', '/进展报告', [
        f('/taskIds', '/任务编号'),
        f('/reportedOn', '/报告日期'),
        f('/summary', '/进展情况'),
        f('/completed', '/是否完成'),
      ]),
    },
  },
  {
    property: 'withdrawal',
    canonical: ref('withdrawal'),
    rules: {
      sh: under('/withdrawal', '/taskWithdrawal', [
        f('/taskIds', '/taskIds'),
        f('/reason', '/reason'),
        f('/withdrawnOn', '/withdrawalDate'),
      ]),
      zj: under('/withdrawal', '/task_withdrawal', [
        f('/taskIds', '/task_codes'),
        f('/reason', '/withdraw_reason'),
        f('/withdrawnOn', '/withdraw_date'),
      ]),
      js: under('/withdrawal', '', [
        f('/taskIds', '/withdraw_task_nos'),
        f('/reason', '/withdraw_reason'),
        f('/withdrawnOn', '/withdraw_date'),
      ]),
      ah: under('/withdrawal', '/任务撤回', [
        f('/taskIds', '/任务编号'),
        f('/reason', '/撤回理由'),
        f('/withdrawnOn', '/撤回日期'),
      ]),
    },
  },
  {
    property: 'handover',
    canonical: ref('handover'),
    rules: {
      sh: under('/handover', '/crimeTransfer', [
        ...under('/suspectedCrime', '/suspectedCrime', [
          f('/charge', '/charge'),
          f('/thresholdFacts', '/thresholdFacts'),
          f('/amount', '/amount'),
          f('/standard', '/prosecutionStandard'),
        ]),
        ...under('/recipientOrgan', '/receivingOrgan', organ.sh),
        each('/cc', '/copyTo', organ.sh),
        ...under('/approval', '/approval', [
          f('/approvedOn', '/approvalDate'),
          f('/approvedBy', '/approver'),
          f('/documentNumber', '/transferDocNo'),
        ]),
        ...under('/partyInformed', '/partyNotice', [
          f('/informedOn', '/noticeDate'),
          f('/method', '/methodCode', 'informMethod'),
          f('/documentNumber', '/noticeDocNo'),
        ]),
        each('/materials', '/materials', [
          f('/kind', '/materialType', 'materialKind'),
          f('/title', '/title'),
          f('/sha256', '/fileDigest'),
        ]),
      ]),
      zj: under('/handover', '/crime_transfer', [
        ...under('/suspectedCrime', '', [
          f('/charge', '/suspected_charge'),
          f('/thresholdFacts', '/threshold_facts'),
          f('/amount', '/involved_money'),
          f('/standard', '/prosecution_standard'),
        ]),
        ...under('/recipientOrgan', '/receive_org', organ.zj),
        each('/cc', '/cc_orgs', organ.zj),
        ...under('/approval', '', [
          f('/approvedOn', '/approve_date'),
          f('/approvedBy', '/approver'),
          f('/documentNumber', '/transfer_doc_no'),
        ]),
        ...under('/partyInformed', '', [
          f('/informedOn', '/notify_date'),
          f('/method', '/notify_method', 'informMethod'),
          f('/documentNumber', '/notify_doc_no'),
        ]),
        each('/materials', '/materials', [
          f('/kind', '/material_type', 'materialKind'),
          f('/title', '/material_name'),
          f('/sha256', '/file_sha256'),
        ]),
      ]),
      js: under('/handover', '', [
        ...under('/suspectedCrime', '', [
          f('/charge', '/suspected_charge'),
          f('/thresholdFacts', '/threshold_fact_list'),
          f('/amount', '/involved_amount'),
          f('/standard', '/prosecution_standard'),
        ]),
        ...under('/recipientOrgan', '/receive_', organ.js.map(stripSlash)),
        each('/cc', '/cc_org_list', organ.js),
        ...under('/approval', '', [
          f('/approvedOn', '/approve_date'),
          f('/approvedBy', '/approver'),
          f('/documentNumber', '/transfer_doc_no'),
        ]),
        ...under('/partyInformed', '', [
          f('/informedOn', '/notify_date'),
          f('/method', '/notify_method', 'informMethod'),
          f('/documentNumber', '/notify_doc_no'),
        ]),
        each('/materials', '/material_list', [
          f('/kind', '/material_type', 'materialKind'),
          f('/title', '/material_name'),
          f('/sha256', '/file_sha256'),
        ]),
      ]),
      ah: under('/handover', '/涉嫌犯罪案件移送', [
        ...under('/suspectedCrime', '', [
          f('/charge', '/涉嫌罪名'),
          f('/thresholdFacts', '/追诉标准事实'),
          f('/amount', '/涉案金额'),
          f('/standard', '/追诉标准依据'),
        ]),
        ...under('/recipientOrgan', '/接收机关', organ.ah),
        each('/cc', '/抄送机关', organ.ah),
        ...under('/approval', '', [
          f('/approvedOn', '/批准日期'),
          f('/approvedBy', '/批准人'),
          f('/documentNumber', '/移送书文号'),
        ]),
        ...under('/partyInformed', '', [
          f('/informedOn', '/告知日期'),
          f('/method', '/告知方式', 'informMethod'),
          f('/documentNumber', '/告知书文号'),
        ]),
        each('/materials', '/移送材料', [
          f('/kind', '/材料类别', 'materialKind'),
          f('/title', '/材料名称'),
          f('/sha256', '/文件摘要'),
        ]),
      ]),
    },
  },
  {
    property: 'handoverDecision',
    canonical: ref('handoverDecision'),
    rules: {
      sh: under('/handoverDecision', '/transferDecision', [
        f('/decision', '/decisionCode', 'handoverDecision'),
        f('/decidedOn', '/decisionTime'),
        ...under('/organ', '/decidingOrgan', organ.sh),
        f('/documentNumber', '/docNo'),
        f('/reasons', '/reasons'),
      ]),
      zj: under('/handoverDecision', '/transfer_decision', [
        f('/decision', '/decision_type', 'handoverDecision'),
        f('/decidedOn', '/decision_time'),
        ...under('/organ', '/decision_org', organ.zj),
        f('/documentNumber', '/decision_doc_no'),
        f('/reasons', '/decision_reason'),
      ]),
      js: under('/handoverDecision', '', [
        f('/decision', '/police_decision', 'handoverDecision'),
        f('/decidedOn', '/police_decision_time'),
        ...under('/organ', '/decision_', organ.js.map(stripSlash)),
        f('/documentNumber', '/police_doc_no'),
        f('/reasons', '/police_reason'),
      ]),
      ah: under('/handoverDecision', '/公安机关决定', [
        f('/decision', '/决定类型', 'handoverDecision'),
        f('/decidedOn', '/决定时间'),
        ...under('/organ', '/决定机关', organ.ah),
        f('/documentNumber', '/文书号'),
        f('/reasons', '/理由'),
      ]),
    },
  },
  {
    property: 'labReport',
    canonical: ref('labReport', '检验检测报告 the report whose recognition is asked or decided'),
    rules: {
      sh: under('/labReport', '/testReport', [
        f('/reportNumber', '/reportNo'),
        f('/issuedOn', '/issueDate'),
        ...under('/lab', '/laboratory', [
          f('/name', '/name'),
          f('/uscc', '/creditCode'),
          f('/cmaNumber', '/cmaCertNo'),
          f('/cmaValidUntil', '/cmaValidUntil'),
          f('/cnasNumber', '/cnasCertNo'),
        ]),
        f('/category', '/categoryCode', 'labCategory'),
        f('/standards', '/standards'),
        f('/scope', '/scope'),
        f('/sampleNumber', '/sampleNo'),
        f('/conclusion', '/conclusion'),
        f('/approver', '/approver'),
        f('/sha256', '/fileDigest'),
      ]),
      zj: under('/labReport', '/test_report', [
        f('/reportNumber', '/report_code'),
        f('/issuedOn', '/issue_date'),
        ...under('/lab', '', [
          f('/name', '/lab_name'),
          f('/uscc', '/lab_credit_code'),
          f('/cmaNumber', '/cma_cert_no'),
          f('/cmaValidUntil', '/cma_valid_until'),
          f('/cnasNumber', '/cnas_cert_no'),
        ]),
        f('/category', '/test_category', 'labCategory'),
        f('/standards', '/standards'),
        f('/scope', '/test_scope'),
        f('/sampleNumber', '/sample_code'),
        f('/conclusion', '/test_conclusion'),
        f('/approver', '/approver'),
        f('/sha256', '/file_sha256'),
      ]),
      js: under('/labReport', '', [
        f('/reportNumber', '/lab_report_no'),
        f('/issuedOn', '/lab_report_date'),
        ...under('/lab', '', [
          f('/name', '/lab_name'),
          f('/uscc', '/lab_credit_code'),
          f('/cmaNumber', '/cma_cert_no'),
          f('/cmaValidUntil', '/cma_valid_until'),
          f('/cnasNumber', '/cnas_cert_no'),
        ]),
        f('/category', '/test_category', 'labCategory'),
        f('/standards', '/lab_standard_list'),
        f('/scope', '/test_scope'),
        f('/sampleNumber', '/lab_sample_no'),
        f('/conclusion', '/lab_conclusion'),
        f('/approver', '/report_approver'),
        f('/sha256', '/report_sha256'),
      ]),
      ah: under('/labReport', '/检验检测报告', [
        f('/reportNumber', '/报告编号'),
        f('/issuedOn', '/签发日期'),
        ...under('/lab', '/检验检测机构', [
          f('/name', '/名称'),
          f('/uscc', '/统一社会信用代码'),
          f('/cmaNumber', '/CMA证书编号'),
          f('/cmaValidUntil', '/CMA有效期至'),
          f('/cnasNumber', '/CNAS证书编号'),
        ]),
        f('/category', '/检验类别', 'labCategory'),
        f('/standards', '/依据标准'),
        f('/scope', '/检验项目范围'),
        f('/sampleNumber', '/样品编号'),
        f('/conclusion', '/检验结论'),
        f('/approver', '/批准人'),
        f('/sha256', '/文件摘要'),
      ]),
    },
  },
  {
    property: 'recognitionDecision',
    canonical: ref('recognitionDecision'),
    rules: {
      sh: under('/recognitionDecision', '/recognitionReply', [
        f('/decision', '/decisionCode', 'recognitionDecision'),
        f('/decidedOn', '/decisionDate'),
        f('/reasons', '/reasons'),
        f('/basis', '/basis'),
      ]),
      zj: under('/recognitionDecision', '/recognition_reply', [
        f('/decision', '/recognition_result', 'recognitionDecision'),
        f('/decidedOn', '/decision_date'),
        f('/reasons', '/reasons'),
        f('/basis', '/basis'),
      ]),
      js: under('/recognitionDecision', '', [
        f('/decision', '/recognition_result', 'recognitionDecision'),
        f('/decidedOn', '/recognition_date'),
        f('/reasons', '/recognition_reason'),
        f('/basis', '/recognition_basis'),
      ]),
      ah: under('/recognitionDecision', '/互认答复', [
        f('/decision', '/互认结果', 'recognitionDecision'),
        f('/decidedOn', '/决定日期'),
        f('/reasons', '/理由'),
        f('/basis', '/依据'),
      ]),
    },
  },
  {
    property: 'credit',
    canonical: ref('credit'),
    rules: {
      sh: under('/credit', '/creditRating', [
        f('/scheme', '/schemeCode', 'creditScheme'),
        f('/grade', '/grade'),
        f('/gradeLabel', '/gradeLabel'),
        f('/basis', '/basis'),
        f('/evaluatedOn', '/ratingDate'),
        f('/validUntil', '/validUntil'),
        ...under('/evaluator', '/evaluator', agency.sh),
        f('/visibility', '/visibilityCode', 'creditVisibility'),
      ]),
      zj: under('/credit', '/credit_eval', [
        f('/scheme', '/eval_scheme', 'creditScheme'),
        f('/grade', '/credit_grade'),
        f('/gradeLabel', '/grade_desc'),
        f('/basis', '/eval_basis'),
        f('/evaluatedOn', '/eval_date'),
        f('/validUntil', '/valid_until'),
        ...under('/evaluator', '/eval_org', agency.zj),
        f('/visibility', '/visibility', 'creditVisibility'),
      ]),
      js: under('/credit', '', [
        f('/scheme', '/credit_scheme', 'creditScheme'),
        f('/grade', '/credit_grade'),
        f('/gradeLabel', '/credit_grade_desc'),
        f('/basis', '/credit_basis'),
        f('/evaluatedOn', '/credit_eval_date'),
        f('/validUntil', '/credit_valid_until'),
        ...under('/evaluator', '/eval_', agency.js.map(stripSlash)),
        f('/visibility', '/credit_visibility', 'creditVisibility'),
      ]),
      ah: under('/credit', '/信用评价', [
        f('/scheme', '/评价体系', 'creditScheme'),
        f('/grade', '/信用等级'),
        f('/gradeLabel', '/等级含义'),
        f('/basis', '/评价依据'),
        f('/evaluatedOn', '/评价日期'),
        f('/validUntil', '/有效期至'),
        ...under('/evaluator', '/评价机关', agency.ah),
        f('/visibility', '/公开属性', 'creditVisibility'),
      ]),
    },
  },
  {
    property: 'creditNotice',
    canonical: ref('creditNotice'),
    rules: {
      sh: under('/creditNotice', '/creditListNotice', [
        f('/list', '/listCode', 'creditList'),
        f('/action', '/actionCode', 'creditAction'),
        f('/decidedOn', '/decisionDate'),
        f('/reason', '/reason'),
        f('/reasonCode', '/reasonCode', 'abnormalReason'),
        f('/decisionNumber', '/decisionDocNo'),
        ...under('/authority', '/authority', agency.sh),
        f('/remedy', '/remedy'),
      ]),
      zj: under('/creditNotice', '/credit_list_notice', [
        f('/list', '/list_type', 'creditList'),
        f('/action', '/list_action', 'creditAction'),
        f('/decidedOn', '/decide_date'),
        f('/reason', '/list_reason'),
        f('/reasonCode', '/abnormal_reason_type', 'abnormalReason'),
        f('/decisionNumber', '/decision_doc_no'),
        ...under('/authority', '/decide_org', agency.zj),
        f('/remedy', '/remedy'),
      ]),
      js: under('/creditNotice', '', [
        f('/list', '/list_type', 'creditList'),
        f('/action', '/list_action', 'creditAction'),
        f('/decidedOn', '/list_decide_date'),
        f('/reason', '/list_reason'),
        f('/reasonCode', '/abnormal_reason', 'abnormalReason'),
        f('/decisionNumber', '/list_doc_no'),
        ...under('/authority', '/list_', agency.js.map(stripSlash)),
        f('/remedy', '/list_remedy'),
      ]),
      ah: under('/creditNotice', '/名单名录', [
        f('/list', '/名单类型', 'creditList'),
        f('/action', '/列入移出', 'creditAction'),
        f('/decidedOn', '/决定日期'),
        f('/reason', '/事由'),
        f('/reasonCode', '/列入事由类型', 'abnormalReason'),
        f('/decisionNumber', '/决定书文号'),
        ...under('/authority', '/决定机关', agency.ah),
        f('/remedy', '/救济途径'),
      ]),
    },
  },
  {
    property: 'alert',
    canonical: ref('alert'),
    rules: {
      sh: under('/alert', '/riskAlert', [
        f('/alertId', '/alertNo'),
        f('/version', '/version'),
        f('/category', '/categoryCode', 'alertCategory'),
        f('/level/scheme', '/level/schemeCode', 'alertLevelScheme'),
        f('/level/value', '/level/levelCode', 'alertLevel'),
        f('/affectedDivisions', '/affectedRegionCodes'),
        f('/hazard', '/hazard'),
        f('/measures', '/measures'),
        f('/validFrom', '/validFrom'),
        f('/validUntil', '/validUntil'),
        f('/requestedResponse', '/responseCode', 'requestedResponse'),
        f('/responseDueDate', '/responseDueDate'),
      ]),
      zj: under('/alert', '/risk_warning', [
        f('/alertId', '/warning_code'),
        f('/version', '/warning_version'),
        f('/category', '/warning_category', 'alertCategory'),
        f('/level/scheme', '/level_scheme', 'alertLevelScheme'),
        f('/level/value', '/warning_level', 'alertLevel'),
        f('/affectedDivisions', '/affected_area_codes'),
        f('/hazard', '/warning_matter'),
        f('/measures', '/measures'),
        f('/validFrom', '/valid_from'),
        f('/validUntil', '/valid_until'),
        f('/requestedResponse', '/response_type', 'requestedResponse'),
        f('/responseDueDate', '/response_deadline'),
      ]),
      js: under('/alert', '', [
        f('/alertId', '/alert_no'),
        f('/version', '/alert_version'),
        f('/category', '/alert_category', 'alertCategory'),
        f('/level/scheme', '/level_scheme', 'alertLevelScheme'),
        f('/level/value', '/alert_level', 'alertLevel'),
        f('/affectedDivisions', '/affected_area_list'),
        f('/hazard', '/alert_matter'),
        f('/measures', '/alert_measures'),
        f('/validFrom', '/valid_from'),
        f('/validUntil', '/valid_until'),
        f('/requestedResponse', '/response_type', 'requestedResponse'),
        f('/responseDueDate', '/response_deadline'),
      ]),
      ah: under('/alert', '/风险预警', [
        f('/alertId', '/预警编号'),
        f('/version', '/版本'),
        f('/category', '/预警类别', 'alertCategory'),
        f('/level/scheme', '/级别体系', 'alertLevelScheme'),
        f('/level/value', '/预警级别', 'alertLevel'),
        f('/affectedDivisions', '/影响范围行政区划代码'),
        f('/hazard', '/警示事项'),
        f('/measures', '/应采取措施'),
        f('/validFrom', '/起始时间'),
        f('/validUntil', '/有效期至'),
        f('/requestedResponse', '/反馈要求', 'requestedResponse'),
        f('/responseDueDate', '/反馈期限'),
      ]),
    },
  },
  {
    property: 'alertRef',
    canonical: {
      type: 'object',
      additionalProperties: false,
      required: ['alertId'],
      properties: {
        alertId: { type: 'string', pattern: '^[A-Za-z0-9-]{1,40}$', description: '所答复的预警编号' },
        version: { type: 'integer', minimum: 1, maximum: 99, description: '所答复的预警版本' },
      },
      description: '所答复的预警 the alert an acknowledgement or disposal report answers',
    },
    rules: {
      sh: under('/alertRef', '/alertReference', [f('/alertId', '/alertNo'), f('/version', '/version')]),
      zj: under('/alertRef', '/warning_ref', [
        f('/alertId', '/warning_code'),
        f('/version', '/warning_version'),
      ]),
      js: under('/alertRef', '', [f('/alertId', '/ref_alert_no'), f('/version', '/ref_alert_version')]),
      ah: under('/alertRef', '/预警引用', [f('/alertId', '/预警编号'), f('/version', '/版本')]),
    },
  },
  {
    property: 'acknowledgement',
    canonical: ref('acknowledgement'),
    rules: {
      sh: under('/acknowledgement', '/alertReceipt', [
        f('/acknowledgedAt', '/receivedAt'),
        f('/by', '/receivedBy'),
      ]),
      zj: under('/acknowledgement', '/warning_receipt', [
        f('/acknowledgedAt', '/receive_time'),
        f('/by', '/receiver'),
      ]),
      js: under('/acknowledgement', '', [f('/acknowledgedAt', '/receipt_time'), f('/by', '/receipt_by')]),
      ah: under('/acknowledgement', '/签收', [f('/acknowledgedAt', '/签收时间'), f('/by', '/签收人')]),
    },
  },
  {
    property: 'disposal',
    canonical: ref('disposal'),
    rules: {
      // The groups of food-safety 2.0.0's 核查处置 (followUp, disposal, 核查处置), so a system sees one
      // disposal group in every domain; food-safety keeps its own /disposal (status, outcome = result).
      sh: under('/disposal', '/followUp', [
        f('/completedOn', '/completionDate'),
        f('/measures', '/measures'),
        f('/result', '/result'),
        f('/unitsChecked', '/unitsChecked'),
      ]),
      zj: under('/disposal', '/disposal', [
        f('/completedOn', '/dispose_finish_date'),
        f('/measures', '/dispose_measures'),
        f('/result', '/dispose_result'),
        f('/unitsChecked', '/checked_unit_count'),
      ]),
      js: under('/disposal', '', [
        f('/completedOn', '/dispose_finish_date'),
        f('/measures', '/dispose_measures'),
        f('/result', '/dispose_result'),
        f('/unitsChecked', '/checked_unit_count'),
      ]),
      ah: under('/disposal', '/核查处置', [
        f('/completedOn', '/完成日期'),
        f('/measures', '/处置措施'),
        f('/result', '/处置结果'),
        f('/unitsChecked', '/检查单位数'),
      ]),
    },
  },
  {
    property: 'inspectionPlan',
    canonical: ref('inspectionPlan'),
    rules: {
      sh: under('/inspectionPlan', '/inspectionPlan', [
        f('/planId', '/planId'),
        f('/title', '/title'),
        f('/method', '/methodCode', 'inspectionMethod'),
        f('/items', '/items'),
        f('/targets', '/targetScope'),
        f('/sampleRatio', '/sampleRatio'),
        f('/participants', '/participantRegionCodes'),
        f('/period/from', '/period/from'),
        f('/period/to', '/period/to'),
      ]),
      zj: under('/inspectionPlan', '/inspection_plan', [
        f('/planId', '/plan_code'),
        f('/title', '/plan_name'),
        f('/method', '/check_method', 'inspectionMethod'),
        f('/items', '/check_items'),
        f('/targets', '/check_object_scope'),
        f('/sampleRatio', '/sample_ratio'),
        f('/participants', '/participant_area_codes'),
        f('/period/from', '/start_date'),
        f('/period/to', '/end_date'),
      ]),
      js: under('/inspectionPlan', '', [
        f('/planId', '/plan_no'),
        f('/title', '/plan_name'),
        f('/method', '/check_method', 'inspectionMethod'),
        f('/items', '/check_item_list'),
        f('/targets', '/check_scope'),
        f('/sampleRatio', '/sample_ratio'),
        f('/participants', '/plan_area_list'),
        f('/period/from', '/plan_start_date'),
        f('/period/to', '/plan_end_date'),
      ]),
      ah: under('/inspectionPlan', '/抽查计划', [
        f('/planId', '/计划编号'),
        f('/title', '/计划名称'),
        f('/method', '/抽查方式', 'inspectionMethod'),
        f('/items', '/抽查事项'),
        f('/targets', '/抽查对象范围'),
        f('/sampleRatio', '/抽查比例'),
        f('/participants', '/参与地区行政区划代码'),
        f('/period/from', '/开始日期'),
        f('/period/to', '/结束日期'),
      ]),
    },
  },
  {
    property: 'inspectionResult',
    canonical: ref('inspectionResult'),
    rules: {
      sh: under('/inspectionResult', '/inspectionOutcome', [
        f('/planId', '/planId'),
        f('/inspected', '/inspectedCount'),
        each('/findings', '/findings', [
          ...under('/target', '/target', party('sh')),
          f('/item', '/item'),
          f('/result', '/resultCode', 'inspectionFinding'),
          f('/detail', '/detail'),
        ]),
        f('/completedOn', '/completionDate'),
      ]),
      zj: under('/inspectionResult', '/inspection_result', [
        f('/planId', '/plan_code'),
        f('/inspected', '/checked_count'),
        each('/findings', '/findings', [
          ...under('/target', '', party('zj')),
          f('/item', '/check_item'),
          f('/result', '/check_result', 'inspectionFinding'),
          f('/detail', '/result_desc'),
        ]),
        f('/completedOn', '/finish_date'),
      ]),
      js: under('/inspectionResult', '', [
        f('/planId', '/result_plan_no'),
        f('/inspected', '/checked_count'),
        each('/findings', '/finding_list', [
          ...under('/target', '', party('js')),
          f('/item', '/check_item'),
          f('/result', '/check_result', 'inspectionFinding'),
          f('/detail', '/result_desc'),
        ]),
        f('/completedOn', '/check_finish_date'),
      ]),
      ah: under('/inspectionResult', '/抽查结果', [
        f('/planId', '/计划编号'),
        f('/inspected', '/检查对象数'),
        each('/findings', '/检查结果', [
          ...under('/target', '', party('ah')),
          f('/item', '/检查事项'),
          f('/result', '/检查结论', 'inspectionFinding'),
          f('/detail', '/结果说明'),
        ]),
        f('/completedOn', '/完成日期'),
      ]),
    },
  },
  {
    property: 'stage',
    canonical: ref('stage'),
    rules: {
      sh: [f('/stage', '/notificationStage', 'noticeStage')],
      zj: [f('/stage', '/notice_stage', 'noticeStage')],
      js: [f('/stage', '/notice_stage', 'noticeStage')],
      ah: [f('/stage', '/通报阶段', 'noticeStage')],
    },
  },
];

/** `/org_type` → `org_type`, so that `under(c, '/forward_', …)` gives `/forward_org_type` (flat js). */
function stripSlash(r: KeyRule): KeyRule {
  if ('switch' in r || 'each' in r) throw new Error('only field rules are flattened');
  return { ...r, dialect: r.dialect.slice(1) };
}
