/** A small, valid catalog for unit tests (the real seed lives in resources/catalog). */
import type { Catalog, ServiceItem } from '../../shared/index.js';

const L = (zh: string, en: string) => ({ zh, en });

export function fixtureItem(
  overrides: Partial<ServiceItem> & Pick<ServiceItem, 'code' | 'name' | 'window'>,
): ServiceItem {
  return {
    baseCode: `B-${overrides.code}`,
    itemType: 'public-service',
    department: L(
      '西咸新区人力资源和社会保障局',
      'Xixian New Area Human Resources and Social Security Bureau',
    ),
    departmentCode: '11610000MB1234567X',
    legalDays: 20,
    promisedDays: 5,
    caseType: 'promised',
    conditions: L('本区参保人员', 'Insured persons of the district'),
    steps: [{ title: L('申请', 'Apply'), description: L('提交申请', 'Submit the application') }],
    resultName: L('办理结果', 'Result'),
    fee: { charged: false, description: L('免费', 'Free') },
    serviceObjects: ['person'],
    scope: 'district',
    delivery: { ems: true, pickup: true },
    appointment: false,
    location: L('政务服务中心一楼', 'Ground floor, service centre'),
    hours: L('24 小时自助', '24 hours, self-service'),
    consultPhone: '029-33185000',
    supervisePhone: '029-12345',
    materials: [
      {
        code: 'idcard',
        name: L('居民身份证', 'Resident identity card'),
        issuer: L('公安机关', 'Public security authority'),
        originals: 1,
        copies: 0,
        required: true,
        source: 'shared-licence',
        requirements: L('在有效期内', 'Within its validity period'),
      },
    ],
    form: [
      {
        key: 'applicantName',
        label: L('申请人姓名', 'Applicant name'),
        type: 'name',
        required: true,
        prefill: 'name',
      },
    ],
    keywords: [],
    ...overrides,
  };
}

export function fixtureCatalog(version = 'test-1'): Catalog {
  return {
    version,
    windows: [
      {
        code: 'ylsb',
        name: L('养老社保', 'Pensions and social insurance'),
        description: L('社保业务', 'Social insurance'),
        queuePrefix: 'E',
        sortOrder: 4,
      },
      {
        code: 'zzlb',
        name: L('证照联办', 'Licences'),
        description: L('证照业务', 'Licences'),
        queuePrefix: 'A',
        sortOrder: 0,
      },
    ],
    items: [
      fixtureItem({
        code: 'SB-001',
        window: 'ylsb',
        name: L('社会保障卡申领', 'Social security card application'),
        keywords: ['社保卡'],
      }),
      fixtureItem({
        code: 'SB-002',
        window: 'ylsb',
        name: L('职工退休申请', 'Retirement application'),
        keywords: ['退休', '社保'],
      }),
      fixtureItem({
        code: 'ZZ-001',
        window: 'zzlb',
        name: L('个体工商户设立登记', 'Sole proprietorship registration'),
        caseType: 'immediate',
        promisedDays: 0,
        legalDays: 15,
      }),
    ],
    bundles: [
      {
        code: 'retire',
        name: L('退休一件事', 'Retirement, in one go'),
        description: L('退休相关事项一次办', 'All retirement matters at once'),
        window: 'ylsb',
        items: ['SB-002', 'SB-001'],
      },
    ],
  };
}
