/**
 * Generates src/renderer/lib/pinyin-dict.ts, the dictionary of the on-screen keyboard's pinyin input:
 *  - single characters: the 3,755 GB2312 level-1 hanzi (rows 0xB0–0xD7, decoded with iconv-lite),
 *    each under every reading pinyin-pro knows for it (heteronyms: 行 under xing and hang);
 *  - phrases a resident types at a government kiosk: the catalog's item, bundle and window names and
 *    keywords (resources/catalog), the 34 province-level divisions, places of Shaanxi and common
 *    address and form words, each with its pinyin read in context by pinyin-pro (银行 → yin hang).
 * ü is written v (nv, lv, lve), as on every pinyin keyboard. Deterministic: same inputs, same bytes.
 *
 * Run at development time (the kiosk never runs pinyin-pro): npx tsx scripts/gen-pinyin-dict.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { pinyin } from 'pinyin-pro';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogDir = join(repoRoot, 'resources', 'catalog');
const outFile = join(repoRoot, 'src', 'renderer', 'lib', 'pinyin-dict.ts');

/** Phrases longer than this are whole item titles nobody types in full; their keywords stay. */
const MAX_PHRASE_CHARS = 16;

/*
 * GB2312 level 1 is ordered by pinyin, not by use, so within a syllable the characters below come
 * first, in this order. A small hand-made list: very common characters in rough order of use (typed
 * from general knowledge of modern Chinese frequency lists, not computed from a corpus), then
 * characters of addresses and forms, then the commonest surnames (residents type their names).
 * It only orders characters within a syllable (and across syllables for an initial such as "s").
 */
const FREQUENT = [
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后',
  '作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因',
  '只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应',
  '战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿',
  '原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太',
  '量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界',
  '达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今',
  '切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存',
  '未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官',
  '火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历',
  '首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态',
  '护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围',
  '江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状',
  '率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险',
  '待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担',
  '州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追',
  '帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟',
  '登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑',
  '梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽',
  '巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣',
  '择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇',
  '肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘',
  '亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震',
  '弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培',
  // Addresses and forms.
  '街道社区小路栋楼层元室村镇乡组巷弄号省市县区新园苑府邸公寓厦场院址址邮编电话手机证件码姓性别族婚',
  '户籍照执企税票保险医养退休残疾孕产育补缴费领申登记注销变更查询打印证明身份证户口',
  // Surnames, commonest first.
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁',
  '任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴',
  '莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯',
].join('');

const PROVINCES = [
  '北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东',
  '海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门',
  '北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省',
  '山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省',
  '内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区',
];

const SHAANXI = [
  // Prefecture-level cities and 杨凌示范区.
  '西安 宝鸡 咸阳 铜川 渭南 延安 汉中 榆林 安康 商洛 杨凌 西安市 宝鸡市 咸阳市 铜川市 渭南市 延安市 汉中市',
  '榆林市 安康市 商洛市 杨凌示范区',
  // Districts and counties of Xi'an, development zones.
  '新城区 碑林区 莲湖区 雁塔区 灞桥区 未央区 阎良区 临潼区 长安区 高陵区 鄠邑区 蓝田县 周至县 碑林 莲湖',
  '雁塔 灞桥 未央 阎良 临潼 长安 高陵 鄠邑 蓝田 周至 高新区 经开区 曲江新区 浐灞 国际港务区 航天基地',
  // 西咸新区 and its five new towns.
  '西咸新区 沣东 沣西 秦汉 空港 泾河 能源金贸区 沣东新城 沣西新城 秦汉新城 空港新城 泾河新城',
  // Districts and counties of Xianyang.
  '秦都 渭城 兴平 三原 泾阳 礼泉 乾县 彬州 武功 永寿 长武 旬邑 淳化 杨陵',
];

const FORM_WORDS = [
  // Addresses.
  '街道 社区 小区 号楼 单元 公司 有限公司 有限责任公司 股份有限公司 大街 大道 新区 开发区 高新区 工业园',
  '产业园 花园 家园 公寓 大厦 广场 中心 小学 中学 大学 医院 银行 村委会 居委会 自治区 自治县 地址',
  '详细地址 门牌号 邮政编码 联系地址 收件人 收件地址',
  // People and forms.
  '姓名 性别 民族 汉族 出生日期 身份证 身份证号 居民身份证 户口 户口本 户籍 婚姻 已婚 未婚 离异 联系人',
  '联系电话 手机号 电话号码 工作单位 职业 学历 本人 配偶 子女 父母 代理人 委托人 法定代表人 经办人',
  // Services.
  '营业执照 社保 医保 公积金 住房公积金 退休 出生 结婚 离婚 不动产 房产 房产证 纳税 发票 社保卡',
  '社会保险 医疗保险 养老保险 失业保险 工伤保险 生育保险 养老金 个体户 个体工商户 企业 法人 注册',
  '注册资本 经营范围 统一社会信用代码 税务 个税 契税 增值税 退税 二手房 过户 抵押 贷款 继承 办理 申请',
  '登记 注销 变更 补办 补领 挂失 遗失 丢失 灭失 损毁 补发 查询 打印 证明 证书 许可证 备案 审批 预约 取号',
  '缴费 领取 邮寄 自取',
  '政务服务 一件事 材料 复印件 原件 签字 盖章 公章 合同 居住证 驾驶证 结婚证 出生证明 准生证 残疾证',
  '低保 救助 补贴 失业 生育 医疗 养老 就业 创业 人才 落户 迁移 居住 租房 购房 教育 入学',
];

type Phrase = { word: string; syllables: string[] };

const isHan = (s: string): boolean => /^\p{Script=Han}+$/u.test(s);

/** pinyin-pro's readings, ü as v, only plain syllables with a vowel (drops the interjection hng). */
function readingsOf(ch: string): string[] {
  const raw = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true });
  return [...new Set(raw)].filter((s) => /^[a-z]+$/.test(s) && /[aeiouv]/.test(s));
}

function level1Chars(): string[] {
  const out: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = iconv.decode(Buffer.from([row, cell]), 'gb2312');
      // Row 0xD7 ends at 0xF9; the five cells after it are unassigned and decode to U+FFFD.
      if (ch.length === 1 && isHan(ch)) out.push(ch);
    }
  }
  if (out.length !== 3755) throw new Error(`expected 3755 level-1 hanzi, decoded ${out.length}`);
  return out;
}

/*
 * Second readings common enough to rank with the first ones (多音字: 长 is zhǎng in 局长, 行 is háng
 * in 银行). Hand-made and small; every other second reading (广 ān, 彭 bāng) goes after all the
 * characters whose first reading the syllable is.
 */
const COMMON_SECOND_READINGS = [
  'zhang长 hang行 de地 dei得 liao了 du都 huan还 zhao着 zhuo着 chong重 zhong重 kuai会 yue乐 shen参',
  'dai大 zhuan传 diao调 shao少 zhi只 hao好 pian便 zang藏 cang藏 chao朝 xiang相 ying应 chai差 chu处',
  'chen称 dan弹 tan弹 jiang降 xiang降 jiao觉 jue角 liang量 shuai率 lv率 qu曲 xing省 zhu属 shu数',
  'shuo数 jiao校 xie血 yao要 zai载 zhuan转 zheng正 zhong中 chong种 zhong种 wei为 kan看 qie切 bei背',
  'jiao教 jian间 jie结 kong空 fen分 ji给 ji系 ji几 jia假 jiang将 qiang强 xing兴 geng更 lou露 bo薄',
  'hai还 gan干 mei没 qi期 shan单 xie解 zeng曾 cheng盛 zha查 bian便 ge合 he和 huo和 hu和 mo模',
  'jin尽 jing景 ning宁 sheng省 wei委 xu许 zhi识 zhong仲 dou都 ge个 cha差 chang场 chuan传 dang当',
  'fa发 hua划 jue觉 kan看 shi似 wei尾 yin饮 zhe折 she折 lu绿 lv绿 ke可 ku库 bao堡 pu堡 tiao调',
].join(' ');

/**
 * Order within a syllable: listed characters read this way first (by list position), then common
 * second readings (行 under hang), then the other characters whose first reading it is (GB2312
 * order), then the remaining second readings. A "|" after the first two groups tells the IME where
 * the characters worth offering for an initial alone ("s") end.
 */
function syllableTable(chars: readonly string[]): Record<string, string> {
  const rank = new Map<string, number>();
  [...FREQUENT].forEach((ch, i) => {
    if (!rank.has(ch)) rank.set(ch, i);
  });
  const commonSecond = new Set(COMMON_SECOND_READINGS.split(/\s+/u).filter(Boolean));
  type Entry = { ch: string; tier: number; gb: number };
  const bySyllable = new Map<string, Entry[]>();
  chars.forEach((ch, gb) => {
    readingsOf(ch).forEach((syllable, i) => {
      const tier = i === 0 ? (rank.has(ch) ? 0 : 2) : commonSecond.has(`${syllable}${ch}`) ? 1 : 3;
      const list = bySyllable.get(syllable) ?? [];
      list.push({ ch, tier, gb });
      bySyllable.set(syllable, list);
    });
  });
  const out: Record<string, string> = {};
  for (const syllable of [...bySyllable.keys()].sort()) {
    const list = [...(bySyllable.get(syllable) ?? [])].sort(
      (a, b) => a.tier - b.tier || (rank.get(a.ch) ?? Infinity) - (rank.get(b.ch) ?? Infinity) || a.gb - b.gb,
    );
    const top = list
      .filter((e) => e.tier <= 1)
      .map((e) => e.ch)
      .join('');
    const rest = list
      .filter((e) => e.tier > 1)
      .map((e) => e.ch)
      .join('');
    out[syllable] = top && rest ? `${top}|${rest}` : top + rest;
  }
  return out;
}

type LocalizedText = { zh: string };
type CatalogItem = { name: LocalizedText; keywords?: string[] };
type CatalogEntry = { name: LocalizedText };

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Names split at brackets and punctuation: 职工退休申请（企业职工…申领） gives both halves. */
function pieces(text: string): string[] {
  return text.split(/[\s（）()、，,。；;：:/·\-—]+/u).filter((p) => p.length >= 2 && isHan(p));
}

function catalogWords(): string[] {
  const words: string[] = [];
  for (const w of readJson<CatalogEntry[]>(join(catalogDir, 'windows.json')))
    words.push(...pieces(w.name.zh));
  for (const b of readJson<CatalogEntry[]>(join(catalogDir, 'bundles.json'))) {
    words.push(...pieces(b.name.zh));
    // 开办企业一件事 is searched as 开办企业 too.
    words.push(...pieces(b.name.zh.replace(/一件事$/u, '')));
  }
  const itemFiles = readdirSync(join(catalogDir, 'items'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of itemFiles) {
    for (const item of readJson<CatalogItem[]>(join(catalogDir, 'items', file))) {
      words.push(...pieces(item.name.zh));
      for (const k of item.keywords ?? []) words.push(...pieces(k));
    }
  }
  return words;
}

function phraseList(): Phrase[] {
  const split = (lines: readonly string[]): string[] => lines.join(' ').split(/\s+/u).filter(Boolean);
  // Order matters: earlier phrases rank first among equally good matches.
  const words = [...split(FORM_WORDS), ...split(PROVINCES), ...split(SHAANXI), ...catalogWords()];
  const seen = new Set<string>();
  const out: Phrase[] = [];
  for (const word of words) {
    if (seen.has(word) || !isHan(word) || word.length < 2 || word.length > MAX_PHRASE_CHARS) continue;
    seen.add(word);
    const syllables = pinyin(word, { toneType: 'none', type: 'array', v: true });
    if (syllables.length !== [...word].length || !syllables.every((s) => /^[a-z]+$/.test(s))) {
      throw new Error(`no plain pinyin for ${word}: ${syllables.join(' ')}`);
    }
    out.push({ word, syllables });
  }
  return out;
}

function render(table: Record<string, string>, phrases: readonly Phrase[]): string {
  const rows = Object.entries(table).map(([syllable, chars]) => `  ${syllable}: '${chars}',`);
  const frequent = [...new Set(FREQUENT)].join('');
  return `/**
 * Pinyin dictionary of the on-screen keyboard. GENERATED by scripts/gen-pinyin-dict.ts
 * (npx tsx scripts/gen-pinyin-dict.ts) — do not edit by hand; change the script and run it again.
 * Characters: GB2312 level 1 with pinyin-pro's readings; phrases: the catalog, places and form words.
 * ü is written v.
 */

/** Syllable → its characters, most useful first; "|" ends the ones worth offering for an initial. */
export const SYLLABLE_CHARS: Readonly<Record<string, string>> = {
${rows.join('\n')}
};

/** Common characters in rough order of use (hand-made), to rank characters across syllables. */
export const FREQUENT_CHARS =
  '${frequent}';

/** One phrase a line: the word, a space, its syllables joined by "'"; most useful first. */
export const PHRASES = \`
${phrases.map((p) => `${p.word} ${p.syllables.join("'")}`).join('\n')}
\`;
`;
}

function main(): void {
  const table = syllableTable(level1Chars());
  const phrases = phraseList();
  const source = render(table, phrases);
  writeFileSync(outFile, source);
  const raw = Buffer.byteLength(source);
  const gz = gzipSync(source, { level: 9 }).length;
  console.log(
    `${outFile}: ${Object.keys(table).length} syllables, ${phrases.length} phrases, ` +
      `${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`,
  );
}

main();
