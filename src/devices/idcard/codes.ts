/**
 * Code tables printed on the card as digits (docs/devices-idcard.md, "Text block: resident ID
 * card" and "Nation codes (GB 3304)").
 */

/** GB 3304 nation codes 01–56, plus 97 其他 and 98 外国血统中国籍人士. */
export const NATIONS: Readonly<Record<string, string>> = {
  '01': '汉',
  '02': '蒙古',
  '03': '回',
  '04': '藏',
  '05': '维吾尔',
  '06': '苗',
  '07': '彝',
  '08': '壮',
  '09': '布依',
  '10': '朝鲜',
  '11': '满',
  '12': '侗',
  '13': '瑶',
  '14': '白',
  '15': '土家',
  '16': '哈尼',
  '17': '哈萨克',
  '18': '傣',
  '19': '黎',
  '20': '傈僳',
  '21': '佤',
  '22': '畲',
  '23': '高山',
  '24': '拉祜',
  '25': '水',
  '26': '东乡',
  '27': '纳西',
  '28': '景颇',
  '29': '柯尔克孜',
  '30': '土',
  '31': '达斡尔',
  '32': '仫佬',
  '33': '羌',
  '34': '布朗',
  '35': '撒拉',
  '36': '毛南',
  '37': '仡佬',
  '38': '锡伯',
  '39': '阿昌',
  '40': '普米',
  '41': '塔吉克',
  '42': '怒',
  '43': '乌孜别克',
  '44': '俄罗斯',
  '45': '鄂温克',
  '46': '德昂',
  '47': '保安',
  '48': '裕固',
  '49': '京',
  '50': '塔塔尔',
  '51': '独龙',
  '52': '鄂伦春',
  '53': '赫哲',
  '54': '门巴',
  '55': '珞巴',
  '56': '基诺',
  '97': '其他',
  '98': '外国血统中国籍人士',
};

export function nationName(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(NATIONS, code) ? NATIONS[code]! : null;
}

/** Accepts a code ("01") or a name ("汉"); returns the code. Used by the simulator's card input. */
export function nationCode(codeOrName: string): string | null {
  if (nationName(codeOrName) !== null) return codeOrName;
  for (const [code, name] of Object.entries(NATIONS)) if (name === codeOrName) return code;
  return null;
}

/** Sex code at text offset 30: 0 unknown, 1 male, 2 female, 9 not stated (GB/T 2261.1). */
export const SEXES = ['unknown', 'male', 'female', 'not-stated'] as const;
export type Sex = (typeof SEXES)[number];

export function sexFromCode(code: string): Sex | null {
  switch (code) {
    case '0':
      return 'unknown';
    case '1':
      return 'male';
    case '2':
      return 'female';
    case '9':
      return 'not-stated';
    default:
      return null;
  }
}

export function sexCode(sex: Sex): string {
  switch (sex) {
    case 'unknown':
      return '0';
    case 'male':
      return '1';
    case 'female':
      return '2';
    case 'not-stated':
      return '9';
    default: {
      const never: never = sex;
      throw new Error(`unreachable sex ${String(never)}`);
    }
  }
}
