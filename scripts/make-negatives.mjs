#!/usr/bin/env node
/**
 * Generates fixtures/documents/negatives/: a set of >= 1,000 files of the kinds that sit on real
 * office and developer machines and hold NO classification marking, though many of them use the
 * level words (秘密, 机密, 绝密, 内部, 工作秘密) — source code with Chinese comments about keys and
 * secrets, chat exports, e-mail, spreadsheets and CSV of titles and names, legal and policy texts
 * about secrecy itself, novels and news. test/documents/negatives.test.ts asserts zero findings.
 *
 *   node scripts/make-negatives.mjs            # rewrites fixtures/documents/negatives/
 *
 * Deterministic: one seeded PRNG; zip members carry a fixed date; the .xlsx files are written by
 * exceljs (a dependency of the project) and may differ in bytes between runs (its zip writer
 * stamps the time), never in content.
 *
 * SOURCES (every file's source is also written to MANIFEST.json):
 *   - written here: every Chinese sentence, comment, chat message, mail, table, legal paraphrase,
 *     novel and news text below, and the Java/Go/Rust/C++/shell/SQL code templates
 *     (Apache-2.0, as the project);
 *   - the articles quoted in `LAW` are paraphrased from 《中华人民共和国保守国家秘密法》(2024) and
 *     GB/T 9704-2012 from memory: statutes are outside copyright (著作权法 第五条);
 *   - Python source: /usr/lib/python3.11/*.py on this machine (Debian python3.11, the standard
 *     library: PSF License 2.0, permissive) — the first lines of each file, with Chinese comments
 *     (written here) inserted;
 *   - C source: /usr/include/sqlite3.h (SQLite: public domain, "The author disclaims copyright")
 *     and /usr/include/zlib.h (zlib licence, permissive) — slices, with Chinese comments inserted;
 *   - JavaScript: /usr/share/javascript/underscore/underscore.js and /usr/share/javascript/jquery/
 *     jquery.js (Debian libjs-underscore, libjs-jquery: MIT) — slices, with Chinese comments.
 * Nothing is fetched from a network.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fixtures', 'documents', 'negatives');

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

let seed = 0x5eed13;
/** mulberry32: a small seeded PRNG, so the set is the same on every run. */
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
function pickN(a, n) {
  const c = [...a];
  const out = [];
  while (out.length < n && c.length) out.push(c.splice(Math.floor(rnd() * c.length), 1)[0]);
  return out;
}
const pad2 = (n) => String(n).padStart(2, '0');
function date(y = int(2019, 2025)) {
  return `${y}-${pad2(int(1, 12))}-${pad2(int(1, 28))}`;
}
function time() {
  return `${pad2(int(7, 23))}:${pad2(int(0, 59))}:${pad2(int(0, 59))}`;
}

const manifest = [];
/** Writes a file and records it: kind, format, source, licence. */
function emit(rel, data, kind, source, licence = 'Apache-2.0 (written here)') {
  const p = join(OUT, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  manifest.push({ file: rel, kind, bytes: Buffer.byteLength(data), source, licence });
}

function gb18030(s) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(s, 'utf8') });
}
function utf16le(s) {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
}
/** Text in one of the encodings Chinese machines use (UTF-8, UTF-8 with BOM, GB18030, UTF-16LE). */
function encoded(s, enc) {
  if (enc === 'gbk') return gb18030(s);
  if (enc === 'utf16') return utf16le(s.replace(/\n/g, '\r\n'));
  if (enc === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);
  return Buffer.from(s, 'utf8');
}
const xmlEsc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A minimal zip writer (deflate, fixed date 2024-01-01) for the .docx files. */
function zip(entries) {
  const local = [];
  const central = [];
  let off = 0;
  const dosTime = 0;
  const dosDate = ((2024 - 1980) << 9) | (1 << 5) | 1;
  for (const [name, content] of entries) {
    const raw = Buffer.from(content, 'utf8');
    const data = deflateRawSync(raw);
    const nameB = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(dosTime, 10);
    h.writeUInt16LE(dosDate, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(raw.length, 22);
    h.writeUInt16LE(nameB.length, 26);
    local.push(h, nameB, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(dosTime, 12);
    c.writeUInt16LE(dosDate, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(raw.length, 24);
    c.writeUInt16LE(nameB.length, 28);
    c.writeUInt32LE(off, 42);
    central.push(c, nameB);
    off += 30 + nameB.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(off, 16);
  return Buffer.concat([...local, cd, end]);
}

/** A .docx: paragraphs (strings) and tables (arrays of rows), a title in the core properties. */
function docx(title, blocks, header) {
  const para = (t) => `<w:p><w:r><w:t xml:space="preserve">${xmlEsc(t)}</w:t></w:r></w:p>`;
  const body = blocks
    .map((b) =>
      Array.isArray(b)
        ? `<w:tbl>${b.map((row) => `<w:tr>${row.map((c) => `<w:tc>${para(c)}</w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`
        : para(b),
    )
    .join('');
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const entries = [
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>${header ? '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' : ''}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
    ],
    [
      'word/_rels/document.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${header ? '<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>' : ''}</Relationships>`,
    ],
    [
      'word/document.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}<w:sectPr>${header ? '<w:headerReference w:type="default" r:id="rIdH1"/>' : ''}</w:sectPr></w:body></w:document>`,
    ],
    [
      'docProps/core.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${xmlEsc(title)}</dc:title><dc:creator>${xmlEsc(pick(NAMES))}</dc:creator></cp:coreProperties>`,
    ],
  ];
  if (header) entries.push(['word/header1.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr ${W}>${para(header)}</w:hdr>`]);
  return zip(entries);
}

function html(title, paras) {
  return `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${xmlEsc(title)}</title>\n</head>\n<body>\n<h1>${xmlEsc(title)}</h1>\n${paras.map((p) => `<p>${xmlEsc(p)}</p>`).join('\n')}\n</body>\n</html>\n`;
}

// ------------------------------------------------------------------------------------------------
// Vocabulary (written here)
// ------------------------------------------------------------------------------------------------

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴婷', '徐明', '孙丽', '马超', '朱琳', '胡军', '郭涛', '何欢', '林峰', '高洁', '罗斌', '梁宇', '宋佳', '郑凯', '谢婷', '韩雪', '唐亮', '冯晨', '于洋', '董晓', '程雨'];
const DEPTS = ['办公室', '综合科', '财务科', '人事科', '信息中心', '业务一科', '业务二科', '后勤保障科', '法规科', '研发部', '市场部', '技术部'];
const NICKS = ['小王', '老李', '阿杰', '静静', '大刘', '糖糖', '木子', '橙子', '阿飞', '小鱼儿', '王工', '陈姐'];

/** Titles of films, books and songs that are, or contain, a level word — and ordinary ones. */
const FILMS_LEVEL = ['秘密', '不能说的秘密', '秘密森林', '秘密访客', '绝密飞行', '绝密543', '机密', '最高机密', '秘密与谎言', '秘密特工', '秘密之城', '绝密', '机密少女', '公开的秘密', '秘密日记', '内部', '无间道', '秘密 (2023)'];
const FILMS = ['霸王别姬', '大话西游', '让子弹飞', '流浪地球', '我不是药神', '千与千寻', '泰坦尼克号', '肖申克的救赎', '盗梦空间', '星际穿越', '阿凡达', 'hero', '少年派的奇幻漂流', '疯狂动物城', '寻梦环游记', '你好，李焕英', '长津湖', '唐人街探案', '哪吒之魔童降世', '西虹市首富', '战狼2', '功夫', '一代宗师', '活着', '阳光灿烂的日子', '海上钢琴师'];
const BOOKS_LEVEL = ['秘密', '秘密花园', '蜜蜂的秘密生活', '时间的秘密', '绝密档案', '机密', '秘密的森林', '身体的秘密', '数学的秘密', '秘密', '工作秘密', '内部'];
const BOOKS = ['活着', '围城', '平凡的世界', '三体', '白夜行', '解忧杂货店', '百年孤独', '追风筝的人', '红楼梦', '朝花夕拾', '人类简史', '明朝那些事儿', '边城', '骆驼祥子', '穆斯林的葬礼', '文化苦旅', '撒哈拉的故事', '小王子', '挪威的森林', '嫌疑人X的献身'];
const AUTHORS = ['东野圭吾', '余华', '钱钟书', '路遥', '刘慈欣', '村上春树', '马尔克斯', '曹雪芹', '鲁迅', '沈从文', '老舍', '三毛', '当年明月', '霍达', '余秋雨', '佚名'];
const SONGS_LEVEL = ['秘密', '小秘密', '不能说的秘密', '公开的秘密', '秘密', '机密', '绝密', '我的秘密', '秘密花园', '心里的秘密'];
const SONGS = ['晴天', '七里香', '稻香', '后来', '光年之外', '平凡之路', '成都', '演员', '十年', '红豆', '小幸运', '夜空中最亮的星', '起风了', '告白气球', '海阔天空', '月亮代表我的心', '童话', '孤勇者'];
const SINGERS = ['周杰伦', '刘若英', '邓紫棋', '朴树', '赵雷', '薛之谦', '陈奕迅', '王菲', '田馥甄', '逃跑计划', '买辣椒也用券', 'Beyond', '邓丽君', '光良', '陈奕迅'];

// Chinese comments for code: keys, secrets, confidentiality (机密性) — the words that trip a naive matcher.
const CODE_COMMENTS = [
  '由本方私钥与对端公钥计算共享秘密',
  '共享秘密经 HKDF 派生出会话密钥',
  '保证数据的机密性和完整性',
  '密钥材料属于秘密，用完立即清零',
  '不要把秘密写进日志',
  '客户端秘密(client secret)从环境变量读取',
  '秘密值只在内存中保存，不落盘',
  'TODO: 机密配置迁移到 KMS',
  'JWT 的签名秘密至少 32 字节',
  '机密计算（TEE）环境下才启用',
  '绝密级数据不允许进入本系统',
  '内部函数，不对外暴露',
  '内部使用',
  '仅供内部使用',
  '内部接口，调用方自行保证参数合法',
  '秘密',
  '秘密*不能*为空',
  '这里存放的是秘密，别提交到仓库',
  '读取秘密失败时直接退出',
  '把秘密从配置文件中剥离出来',
  'AES-GCM 提供机密性，HMAC 提供完整性',
  '秘密共享（Shamir）门限为 3',
  '检查秘密是否过期',
  '对端公钥无效时不计算共享秘密',
  '这个字段是机密，序列化时跳过',
  '机密',
  '内部缓存，线程不安全',
  '工作秘密相关的字段不要打印',
  '注意：秘密轮换周期为 1 年',
  '共享秘密长度 32 字节',
];

// Chat messages (WeChat / QQ): emoticons after the word, short replies, banter.
const CHAT_LEVEL = [
  '放心，这是咱俩的秘密*^_^*',
  '嘘～这是秘密哦',
  '秘密*^_^*',
  '秘密～',
  '秘密！',
  '不告诉你，秘密',
  '我有个秘密要告诉你',
  '这个方案还是机密，先别外传哈',
  '绝密！！别跟别人说',
  '机密*^_^*',
  '内部消息：下周可能放假',
  '我们的小秘密(*^▽^*)',
  '说好了，秘密哦 (＾▽＾)',
  '哈哈哈 这可是秘密*_*',
  '秘密*_*',
  '他的秘密终于藏不住了',
  '你猜呀，秘密☆',
  '这是我们的秘密☆',
  '机密文件别发群里啊，发邮件',
  '共享秘密算出来不一致，是不是公钥传错了',
  '领导说这事暂时保密',
  '内部群里已经通知了',
  '这可是绝密情报 (*^_^*)',
  '秘密基地见！',
  '秘密* 嘿嘿',
  '哪有什么秘密啊',
  '今晚看《秘密》吗',
  '工作秘密的事别在微信上说',
  '内部',
];
const CHAT_PLAIN = ['好的', '收到', '明天几点开会？', '九点，三楼会议室', '哈哈哈哈', '辛苦了', '周末去爬山吗', '文件我发你邮箱了', '晚上吃火锅？', '[图片]', '[表情]', '[语音]', 'OK', '在吗', '马上到', '稍等我看一下', '这个周五前要交', '谢谢！', '没问题', '我在路上了', '下午三点视频会', '报销单填好了吗', '[文件] 会议通知.docx', '晚安', '好嘞', '老地方见', '👍', '知道了', '今天降温了，多穿点'];

// Prose and news sentences that use the level words in sentences (written here).
const NOVEL = [
  '“这是我们之间的秘密。”她低声说。',
  '他守着这个秘密整整二十年。',
  '秘密终于被揭开了，屋子里一片安静。',
  '每个人心里都藏着一个秘密。',
  '“你能保守秘密吗？”老人问。',
  '那封信里写着一个不能说的秘密。',
  '她把日记本锁进抽屉，那里有她所有的秘密。',
  '小镇上的人都知道这个公开的秘密。',
  '他以为那份文件是机密，其实只是一张旧地图。',
  '“绝密！”他故作神秘地眨了眨眼。',
  '孩子们在后山找到了一个秘密山洞。',
  '秘密就像种子，总会发芽。',
  '母亲临终前告诉了他那个秘密。',
  '“别问了，秘密。”',
  '他们约定，谁也不许把秘密说出去。',
  '档案室里的机密早就被转移了。',
  '夜风吹过，仿佛在低语着古老的秘密。',
  '原来所谓的机密，不过是一份菜单。',
  '他在内部通道里迷了路。',
  '故事的秘密藏在第一章里。',
];
const NEWS = [
  '记者从市保密局获悉，今年全市共开展保密检查120余次。',
  '某公司员工因泄露商业秘密被判处有期徒刑三年。',
  '法院审理查明，被告人非法获取国家秘密，情节严重。',
  '专家提醒，手机拍照上传文件可能导致秘密泄露。',
  '该系统采用国产密码算法，保障数据机密性。',
  '发布会上，公司展示了其“秘密武器”——新一代芯片。',
  '警方破获一起窃取技术秘密案，涉案金额上千万元。',
  '据内部人士透露，该项目将于明年启动。',
  '这部名为《秘密》的电影上映首日票房破亿。',
  '歌手新专辑主打歌《秘密》今日上线。',
  '调查发现，部分单位存在将涉密文件存放在互联网计算机上的问题。',
  '保密宣传月期间，各单位组织观看了警示教育片。',
  '报道称，这批解密档案曾被列为绝密级。',
  '小说《秘密》改编的话剧将在国家大剧院上演。',
  '考生须知：试卷在启用前属于国家秘密，任何人不得泄露。',
  '该公司表示，用户数据的机密性是第一位的。',
  '网友热议：“你有什么不能说的秘密？”',
  '据悉，涉事人员已被内部通报批评。',
  '人工智能“机密计算”技术逐渐成熟。',
  '博物馆新展揭开古代密信的秘密。',
];
// Legal and policy texts about secrecy itself (paraphrased statutes; statutes are not copyrighted).
const LAW = [
  '第十三条　国家秘密的密级分为绝密、机密、秘密三级。',
  '绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害；机密级国家秘密是重要的国家秘密，泄露会使国家安全和利益遭受严重的损害；秘密级国家秘密是一般的国家秘密，泄露会使国家安全和利益遭受损害。',
  '国家秘密的保密期限，除另有规定外，绝密级不超过三十年，机密级不超过二十年，秘密级不超过十年。',
  '机关、单位对所产生的国家秘密事项，应当按照国家秘密及其密级的具体范围的规定确定密级，同时确定保密期限和知悉范围。',
  '国家秘密的载体以及属于国家秘密的设备、产品，应当作出国家秘密标志。',
  '不属于国家秘密的，不得作出国家秘密标志。',
  '机关、单位对在工作中产生的虽不属于国家秘密但泄露后会造成一定不利影响的事项，适用工作秘密管理办法。',
  '涉密人员分为核心涉密人员、重要涉密人员和一般涉密人员，实行分类管理。',
  '禁止将涉密计算机、涉密存储设备接入互联网及其他公共信息网络。',
  '禁止在未采取防护措施的情况下，在涉密信息系统与互联网之间进行信息交换。',
  '密级和保密期限：如需标注密级和保密期限，顶格编排在版心左上角第二行；保密期限中的数字用阿拉伯数字标注。',
  '标注密级时，密级和保密期限之间用“★”隔开，如“秘密★1年”。',
  '国家秘密标志形式为“密级★保密期限”、“密级★解密时间”或者“密级★解密条件”。',
  '文件、资料汇编中有密件的，应当对各独立密件的密级和保密期限作出标志，并在封面或者首页以其中最高密级和最长保密期限作出标志。',
  '摘录、引用国家秘密内容形成的派生文件，应当以其中最高密级和最长保密期限作出标志。',
  '绝密级国家秘密载体应当在符合国家保密标准的设施、设备中保存，并指定专人管理。',
  '复制绝密级国家秘密载体，应当经原定密机关、单位或者其上级机关批准。',
  '机关、单位应当定期审核所确定的国家秘密，对保密期限内不再作为国家秘密的，及时解密。',
  '违反本法规定，泄露国家秘密的，依法给予处分；构成犯罪的，依法追究刑事责任。',
  '保密期限已满的，自行解密。',
  '涉密信息系统按照涉密程度分为绝密级、机密级、秘密级。',
  '本单位的内部资料未经批准不得对外提供。',
  '商业秘密是指不为公众所知悉、具有商业价值并经权利人采取相应保密措施的技术信息和经营信息。',
  '公民有保守国家秘密的义务。',
  '各部门应当建立健全涉密载体管理台账，做到账物相符。',
  '严禁在非涉密计算机上存储、处理国家秘密信息。',
  '对拟定为工作秘密的事项，由承办人提出意见，部门负责人审核。',
  '属于工作秘密的文件资料，应当在首页标注“工作秘密”字样。',
  '例如：机密★5年、秘密★6个月。',
  '年度自查发现，个别干部对密级标志的规范写法掌握不够。',
];
const LAW_TITLES = ['保密管理制度', '关于加强保密管理工作的通知', '涉密载体管理规定', '保密工作培训讲义', '保密法学习笔记', '定密工作指南（学习材料）', '计算机信息系统保密管理办法', '工作秘密管理办法', '保密自查自评工作方案', '国家秘密标志使用说明（培训）', '年度保密工作总结', '保密宣传教育月活动方案'];

// ------------------------------------------------------------------------------------------------
// Code
// ------------------------------------------------------------------------------------------------

/** Inserts `count` comment lines (made by `fmt`) at blank-line positions of `lines`. */
function withComments(lines, count, fmt) {
  const out = [...lines];
  const blanks = out.map((l, i) => (l.trim() === '' ? i : -1)).filter((i) => i > 3);
  const at = pickN(blanks.length ? blanks : [out.length], count).sort((a, b) => b - a);
  for (const i of at) out.splice(i + 1, 0, ...fmt(pick(CODE_COMMENTS)));
  return out;
}

function pythonFiles() {
  const dir = '/usr/lib/python3.11';
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.py')).sort() : [];
  let n = 0;
  for (const f of files) {
    if (n >= 130) break;
    const lines = readFileSync(join(dir, f), 'utf8').split('\n').slice(0, int(60, 160));
    const styled = withComments(lines, int(1, 3), (c) => (chance(0.2) ? [`    """${c}。"""`] : [`# ${c}`]));
    styled.unshift(`# Excerpt of ${dir}/${f} (Python standard library, PSF-2.0: LICENSES/python-LICENSE.txt), altered: Chinese comments added.`);
    emit(`code/python/${f}`, styled.join('\n') + '\n', 'code-python', `${dir}/${f} (first lines) + comments written here`, 'PSF-2.0');
    n++;
  }
}

function cFiles() {
  const srcs = [
    ['/usr/include/sqlite3.h', 'public domain (SQLite)', 70],
    ['/usr/include/zlib.h', 'Zlib', 12],
  ];
  for (const [path, licence, count] of srcs) {
    if (!existsSync(path)) continue;
    const all = readFileSync(path, 'utf8').split('\n');
    const step = Math.floor(all.length / count);
    for (let k = 0; k < count; k++) {
      const lines = all.slice(k * step, k * step + int(80, 150));
      const styled = withComments(lines, int(1, 3), (c) =>
        chance(0.5) ? [`/* ${c} */`] : chance(0.5) ? ['/*', `** ${c}`, '*/'] : ['/**', ` * ${c}`, ' */'],
      );
      styled.unshift(`/* Excerpt of ${path} (${licence}: see LICENSES/), altered: Chinese comments added. */`);
      const base = path.split('/').pop().replace(/\.h$/, '');
      emit(`code/c/${base}-part${String(k + 1).padStart(2, '0')}.h`, styled.join('\n') + '\n', 'code-c', `${path} lines ${k * step + 1}… + comments written here`, licence);
    }
  }
  // Written here: ECDH / HMAC code in C with the comments of the issue.
  for (let k = 0; k < 30; k++) {
    const fn = pick(['ecdh_derive', 'compute_shared', 'kdf_expand', 'session_keys', 'hmac_sign', 'load_secret']);
    const body = [
      '#include <stdint.h>',
      '#include <string.h>',
      '#include "crypto.h"',
      '',
      `/* ${pick(CODE_COMMENTS)} */`,
      `int ${fn}_${k}(const uint8_t *priv, const uint8_t *peer_pub, uint8_t *out, size_t out_len)`,
      '{',
      '    uint8_t shared[32];',
      '    /* 由本方私钥与对端公钥计算共享秘密 */',
      '    if (x25519(shared, priv, peer_pub) != 0)',
      '        return -1; /* 对端公钥无效 */',
      `    /* ${pick(CODE_COMMENTS)} */`,
      '    hkdf_sha256(out, out_len, shared, sizeof shared, NULL, 0);',
      '    memset(shared, 0, sizeof shared); /* 秘密用完清零 */',
      '    return 0;',
      '}',
      '',
      '/*',
      ` * ${pick(CODE_COMMENTS)}`,
      ' * 返回 0 表示成功。',
      ' */',
      `int ${fn}_check_${k}(const uint8_t *key, size_t n) { return n >= 32 ? 0 : -1; }`,
      '',
    ];
    emit(`code/c/${fn}_${k}.c`, body.join('\n'), 'code-c', 'written here');
  }
}

function jsFiles() {
  const srcs = [
    ['/usr/share/javascript/underscore/underscore.js', 'MIT (Debian libjs-underscore)', 30],
    ['/usr/share/javascript/jquery/jquery.js', 'MIT (Debian libjs-jquery)', 60],
  ];
  for (const [path, licence, count] of srcs) {
    if (!existsSync(path)) continue;
    const all = readFileSync(path, 'utf8').split('\n');
    const step = Math.floor(all.length / count);
    for (let k = 0; k < count; k++) {
      const lines = all.slice(k * step, k * step + int(60, 140));
      const styled = withComments(lines, int(1, 3), (c) => (chance(0.4) ? [`// ${c}`] : chance(0.5) ? [`/* ${c} */`] : ['/**', ` * ${c}`, ' */']));
      styled.unshift(`/* Excerpt of ${path} (${licence}: see LICENSES/), altered: Chinese comments added. */`);
      const base = path.split('/').pop().replace(/\.js$/, '');
      emit(`code/js/${base}-part${String(k + 1).padStart(2, '0')}.js`, styled.join('\n') + '\n', 'code-js', `${path} lines ${k * step + 1}… + comments written here`, licence);
    }
  }
}

/** Java, Go, Rust, C++, TypeScript, shell, SQL, YAML: templates written here. */
function writtenCode() {
  const c = () => pick(CODE_COMMENTS);
  const templates = [
    ['java', 'java', (i) => `package com.example.crypto;\n\nimport javax.crypto.KeyAgreement;\nimport java.security.PrivateKey;\nimport java.security.PublicKey;\n\n/**\n * ${c()}。\n * ${c()}\n */\npublic final class KeyExchange${i} {\n    // ${c()}\n    private final byte[] secret = new byte[32];\n\n    /* ${c()} */\n    public byte[] derive(PrivateKey priv, PublicKey peer) throws Exception {\n        KeyAgreement ka = KeyAgreement.getInstance("X25519");\n        ka.init(priv);\n        ka.doPhase(peer, true);\n        return ka.generateSecret(); // 共享秘密\n    }\n}\n`],
    ['go', 'go', (i) => `package secrets\n\nimport (\n\t"crypto/hmac"\n\t"crypto/sha256"\n\t"os"\n)\n\n// ${c()}\nfunc Load${i}() []byte {\n\t// ${c()}\n\treturn []byte(os.Getenv("APP_SECRET"))\n}\n\n/* ${c()} */\nfunc Sign${i}(msg []byte) []byte {\n\tm := hmac.New(sha256.New, Load${i}()) // 秘密*不能*为空\n\tm.Write(msg)\n\treturn m.Sum(nil)\n}\n`],
    ['rust', 'rs', (i) => `//! ${c()}\nuse zeroize::Zeroize;\n\n/// ${c()}\npub struct Secret${i}(Vec<u8>);\n\nimpl Drop for Secret${i} {\n    // ${c()}\n    fn drop(&mut self) {\n        self.0.zeroize(); /* 秘密用完清零 */\n    }\n}\n`],
    ['cpp', 'cpp', (i) => `#include <vector>\n#include <cstdint>\n\n// ${c()}\nnamespace crypto {\n/*\n * ${c()}\n */\nstd::vector<uint8_t> shared_secret_${i}(const std::vector<uint8_t>& priv, const std::vector<uint8_t>& pub) {\n    std::vector<uint8_t> out(32); /* ${c()} */\n    return out;\n}\n}  // namespace crypto\n`],
    ['ts', 'ts', (i) => `/**\n * ${c()}\n */\nexport async function deriveKey${i}(secret: Uint8Array): Promise<CryptoKey> {\n  // ${c()}\n  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);\n  /* ${c()} */\n  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(16), info: new Uint8Array() }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);\n}\n`],
    ['shell', 'sh', (i) => `#!/bin/sh\n# 部署脚本 ${i}\n# ${c()}\nset -eu\n# ${c()}\nexport APP_SECRET="$(cat /run/secrets/app)"  # 秘密从 docker secret 读取\n./server --config /etc/app/config.yaml\n`],
    ['sql', 'sql', (i) => `-- ${c()}\nCREATE TABLE secrets_${i} (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL, -- ${c()}\n  value BLOB NOT NULL /* ${c()} */\n);\n-- 机密性要求：value 列加密存储\nINSERT INTO secrets_${i}(name, value) VALUES ('秘密', x'00');\n`],
    ['yaml', 'yaml', (i) => `# ${c()}\nservice: auth-${i}\n# ${c()}\nsecret:\n  source: vault   # 秘密来源\n  rotate: 365d    # 秘密*1年*轮换一次\nlabels:\n  - 内部\n  - 机密性\n`],
    ['markdown', 'md', (i) => `# 密钥管理说明 ${i}\n\n本服务的**秘密**统一存放在 Vault。\n\n- *秘密*不得写入代码仓库\n- 机密性：TLS 1.3\n- ${c()}\n\n> 注意：${c()}。\n`],
  ];
  for (const [dir, ext, make] of templates) {
    for (let i = 1; i <= 22; i++) emit(`code/${dir}/sample${String(i).padStart(2, '0')}.${ext}`, make(i), `code-${dir}`, 'written here');
  }
}

// ------------------------------------------------------------------------------------------------
// Chat exports
// ------------------------------------------------------------------------------------------------

function chatMessages(n) {
  const msgs = [];
  for (let i = 0; i < n; i++) msgs.push(chance(0.3) ? pick(CHAT_LEVEL) : pick(CHAT_PLAIN));
  return msgs;
}

function chats() {
  for (let i = 1; i <= 160; i++) {
    const me = pick(NICKS);
    const other = pick(NAMES);
    const day = date(int(2021, 2025));
    const msgs = chatMessages(int(8, 60));
    let text;
    const style = i % 4;
    if (style === 0) {
      // QQ "导出消息记录" (.txt) layout.
      text = `消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n消息分组:我的好友\n================================================================\n消息对象:${other}\n================================================================\n\n`;
      for (const m of msgs) text += `${day} ${time()} ${chance(0.5) ? me : other}\n${m}\n\n`;
    } else if (style === 1) {
      // WeChat PC: "name  date time" then the message.
      for (const m of msgs) text = `${text ?? ''}${chance(0.5) ? me : other}  ${day.replace(/-/g, '/')} ${time()}\n${m}\n\n`;
    } else if (style === 2) {
      // A third-party WeChat exporter: one line per message.
      text = `聊天对象：${other}\n导出时间：${day} ${time()}\n----------------------------------------\n`;
      for (const m of msgs) text += `[${day} ${time()}] ${chance(0.5) ? me : other}: ${m}\n`;
    } else {
      // Group chat pasted into a note.
      text = `${pick(DEPTS)}工作群 ${day}\n\n`;
      for (const m of msgs) text += `${pick(NAMES)}：${m}\n`;
    }
    const enc = pick(['utf8', 'utf8', 'bom', 'gbk', 'utf16']);
    const name = style === 0 ? `chat/qq/${other}-${i}.txt` : style === 1 ? `chat/wechat/聊天记录_${other}_${i}.txt` : style === 2 ? `chat/wechat-export/${other}_${day}_${i}.txt` : `chat/group/工作群_${i}.txt`;
    emit(name, encoded(text, enc), 'chat', `written here (${enc})`);
  }
}

// ------------------------------------------------------------------------------------------------
// E-mail
// ------------------------------------------------------------------------------------------------

function b64Header(s) {
  return `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}
function wrap76(s) {
  return s.replace(/(.{76})/g, '$1\n');
}

function mails() {
  const subjects = ['关于周五聚餐的安排', '项目周报', 'Re: 接口联调问题', '会议纪要（请查收）', '读书会书单', '年度体检通知', 'Fwd: 保密宣传月活动', '密钥轮换计划', '电影推荐', '报销流程说明', '下周出差安排', 'Re: 这是我们的秘密'];
  for (let i = 1; i <= 110; i++) {
    const from = pick(NAMES);
    const to = pick(NAMES);
    const subject = pick(subjects);
    // A line holding nothing but 内部 near the top of a mail body reads as the mail's own marking (see
    // docs/markings-precision.md, limits): chat one-word replies are left out of mail bodies.
    const body = [
      `${to}，你好：`,
      '',
      ...pickN([...NOVEL, ...NEWS, ...CHAT_LEVEL.filter((m) => !['内部', '秘密'].includes(m)), ...CHAT_PLAIN, '附件是本周的周报，请查收。', '共享秘密的计算方式见附件文档第三节。', '书单里有东野圭吾的《秘密》，推荐一读。', '这件事先别声张，算是我们组的小秘密 :-)', '保密宣传月的活动方案已经发到内部群。'], int(3, 8)),
      '',
      `${from}`,
      date(),
    ].join('\n');
    const d = `Mon, ${int(1, 28)} Mar 2024 ${time()} +0800`;
    const enc = i % 3;
    let mime;
    if (enc === 0) {
      mime = `Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n${wrap76(Buffer.from(body, 'utf8').toString('base64'))}\n`;
    } else if (enc === 1) {
      const gbk = gb18030(body);
      mime = `Content-Type: text/plain; charset="gbk"\nContent-Transfer-Encoding: base64\n\n${wrap76(gbk.toString('base64'))}\n`;
    } else {
      const htmlBody = `<html><body>${body
        .split('\n')
        .map((l) => `<div>${xmlEsc(l) || '<br>'}</div>`)
        .join('')}</body></html>`;
      mime = `Content-Type: multipart/alternative; boundary="----=_Part_${i}"\n\n------=_Part_${i}\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n${wrap76(Buffer.from(body, 'utf8').toString('base64'))}\n\n------=_Part_${i}\nContent-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n${wrap76(Buffer.from(htmlBody, 'utf8').toString('base64'))}\n\n------=_Part_${i}--\n`;
    }
    const eml = `From: ${b64Header(from)} <user${i}@example.com>\nTo: ${b64Header(to)} <peer${i}@example.com>\nSubject: ${b64Header(subject)}\nDate: ${d}\nMessage-ID: <neg${i}@example.com>\nMIME-Version: 1.0\n${mime}`;
    emit(`mail/${String(i).padStart(3, '0')}.eml`, eml.replace(/\n/g, '\r\n'), 'mail', 'written here');
  }
}

// ------------------------------------------------------------------------------------------------
// Spreadsheets and CSV
// ------------------------------------------------------------------------------------------------

/** A table: a title (row 1, or none), a header row and data rows; some cells are level words. */
function table(kind) {
  const rows = [];
  const n = int(8, 60);
  let title;
  let header;
  if (kind === 'films') {
    title = `${int(2019, 2025)}年观影记录`;
    header = ['日期', '片名', '类型', '评分', '备注'];
    for (let r = 0; r < n; r++) rows.push([date(), chance(0.25) ? pick(FILMS_LEVEL) : pick(FILMS), pick(['剧情', '悬疑', '动画', '爱情', '科幻', '纪录片']), String(int(5, 10)), chance(0.3) ? pick(['和家人一起看', '二刷', '电影院', '推荐', '一般']) : '']);
  } else if (kind === 'books') {
    title = `${pick(DEPTS)}图书借阅登记表`;
    header = ['序号', '书名', '作者', '借阅人', '借出日期', '归还日期'];
    for (let r = 0; r < n; r++) rows.push([String(r + 1), chance(0.25) ? pick(BOOKS_LEVEL) : pick(BOOKS), pick(AUTHORS), pick(NAMES), date(), chance(0.7) ? date() : '']);
  } else if (kind === 'songs') {
    title = '';
    header = ['序号', '歌名', '歌手', '时长'];
    for (let r = 0; r < n; r++) rows.push([String(r + 1), chance(0.25) ? pick(SONGS_LEVEL) : pick(SONGS), pick(SINGERS), `${int(2, 5)}:${pad2(int(0, 59))}`]);
  } else if (kind === 'contacts') {
    title = `${pick(DEPTS)}通讯录`;
    header = ['姓名', '部门', '电话', '类型', '备注'];
    for (let r = 0; r < n; r++) rows.push([pick(NAMES), pick(DEPTS), `1${int(30, 89)}${String(int(0, 99999999)).padStart(8, '0')}`, pick(['内部', '外部', '内部', '供应商']), chance(0.2) ? '内部' : '']);
  } else if (kind === 'register') {
    title = '文件收发登记簿';
    header = ['序号', '收文日期', '文件标题', '来文单位', '类别', '经办人'];
    for (let r = 0; r < n; r++) rows.push([String(r + 1), date(), pick(['关于开展安全检查的通知', '会议纪要', '年度工作要点', '培训通知', '值班安排', '采购申请批复']), pick(DEPTS), pick(['公开', '内部', '工作秘密', '公开', '内部']), pick(NAMES)]);
  } else {
    title = '任务清单';
    header = ['任务名称', '负责人', '状态', '截止日期', '说明'];
    for (let r = 0; r < n; r++) rows.push([pick(['整理台账', '系统升级', '数据备份', '密钥轮换', '撰写周报', '共享秘密算法评审', '机密性测试']), pick(NAMES), pick(['进行中', '已完成', '未开始']), date(2025), chance(0.3) ? pick(['内部', '秘密', '机密', '注意保密', '']) : '']);
  }
  return { title, header, rows };
}

async function sheets() {
  const kinds = ['films', 'books', 'songs', 'contacts', 'register', 'tasks'];
  let ExcelJS;
  try {
    ExcelJS = (await import('exceljs')).default;
  } catch {
    ExcelJS = undefined;
  }
  for (let i = 1; i <= 300; i++) {
    const kind = kinds[i % kinds.length];
    const t = table(kind);
    const all = [...(t.title ? [[t.title]] : []), t.header, ...t.rows];
    const fmt = i % 5;
    const base = `${{ films: '观影记录', books: '图书借阅', songs: '歌单', contacts: '通讯录', register: '收文登记', tasks: '任务清单' }[kind]}-${i}`;
    if ((fmt === 0 || fmt === 1) && ExcelJS) {
      const wb = new ExcelJS.Workbook();
      wb.creator = pick(NAMES);
      wb.created = new Date('2024-01-01T00:00:00Z');
      wb.modified = new Date('2024-01-01T00:00:00Z');
      const ws = wb.addWorksheet(pick(['Sheet1', kind === 'films' ? '观影' : '数据', '2024']));
      for (const r of all) ws.addRow(r);
      if (t.title) ws.mergeCells(1, 1, 1, t.header.length);
      if (chance(0.3)) ws.headerFooter.oddFooter = '第 &P 页，共 &N 页';
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      emit(`sheets/xlsx/${base}.xlsx`, buf, `sheet-${kind}`, 'written here (exceljs)');
    } else if (fmt === 2 || fmt === 3) {
      const q = (c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
      const csv = all.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
      emit(`sheets/csv/${base}.csv`, encoded(csv, pick(['bom', 'gbk', 'utf8'])), `sheet-${kind}`, 'written here');
    } else {
      const tsv = all.map((r) => r.join('\t')).join('\n') + '\n';
      emit(`sheets/tsv/${base}.txt`, encoded(tsv, pick(['utf8', 'gbk', 'utf16'])), `sheet-${kind}`, 'written here');
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Legal and policy texts, novels, news
// ------------------------------------------------------------------------------------------------

function legal() {
  for (let i = 1; i <= 120; i++) {
    const title = pick(LAW_TITLES);
    const paras = [];
    const sections = ['一、总体要求', '二、定密管理', '三、涉密载体管理', '四、计算机和网络保密管理', '五、宣传教育', '六、监督检查'];
    for (const s of pickN(sections, int(2, 5))) {
      paras.push(s);
      for (const p of pickN(LAW, int(2, 5))) paras.push(p);
    }
    const fmt = i % 4;
    const unit = `${pick(['市', '区', '县'])}${pick(['财政局', '教育局', '统计局', '档案馆', '卫生健康委', '住建局'])}`;
    if (fmt === 0) {
      const blocks = [title, `${unit}`, ...paras];
      if (chance(0.4)) blocks.splice(3, 0, [['密级', '保密期限（最长）'], ['绝密', '30年'], ['机密', '20年'], ['秘密', '10年']]);
      emit(`legal/docx/${title}-${i}.docx`, docx(title, blocks, chance(0.5) ? `${unit}保密委员会办公室` : undefined), 'legal', 'written here (statutes paraphrased)');
    } else if (fmt === 1) {
      emit(`legal/html/law-${i}.html`, html(title, paras), 'legal', 'written here (statutes paraphrased)');
    } else {
      const text = `${title}\n\n${unit}\n${date()}\n\n${paras.join('\n')}\n`;
      emit(`legal/txt/${title}-${i}.txt`, encoded(text, pick(['utf8', 'gbk', 'bom'])), 'legal', 'written here (statutes paraphrased)');
    }
  }
}

function prose() {
  const chapterTitles = ['秘密', '雨夜', '旧信', '绝密', '重逢', '机密', '归途', '小镇', '谜底', '内部'];
  for (let i = 1; i <= 130; i++) {
    const novel = i % 2 === 0;
    const paras = [];
    if (novel) {
      for (let ch = 0; ch < int(1, 3); ch++) {
        paras.push(`第${'一二三四五六七八九十'[int(0, 9)]}章　${pick(chapterTitles)}`);
        for (let k = 0; k < int(5, 14); k++) paras.push(`　　${pickN(NOVEL, int(1, 3)).join('')}${chance(0.5) ? pick(['天色渐渐暗了下来。', '窗外下起了雨。', '她笑了笑，没有回答。', '他沉默了很久。', '远处传来一声汽笛。']) : ''}`);
      }
    } else {
      paras.push(`（${pick(['本报讯', '新华社电', '记者', '通讯员'])} ${pick(NAMES)}）`);
      for (let k = 0; k < int(4, 10); k++) paras.push(pickN(NEWS, int(1, 2)).join(''));
      paras.push(`责任编辑：${pick(NAMES)}`);
    }
    const title = novel ? pick(['小镇旧事', '雨夜来信', '第七个房间', '风中的约定', '长夜', '少年往事']) : pick(['保密宣传进社区', '商业秘密保护典型案例', '新片速递', '法治在线', '科技前沿', '本地新闻']);
    const fmt = i % 5;
    if (fmt === 0) emit(`prose/docx/${title}-${i}.docx`, docx(title, [title, ...paras]), novel ? 'novel' : 'news', 'written here');
    else if (fmt === 1) emit(`prose/html/${novel ? 'novel' : 'news'}-${i}.html`, html(title, paras), novel ? 'novel' : 'news', 'written here');
    else if (fmt === 2) emit(`prose/md/${novel ? 'novel' : 'news'}-${i}.md`, `# ${title}\n\n${paras.join('\n\n')}\n`, novel ? 'novel' : 'news', 'written here');
    else emit(`prose/txt/${title}-${i}.txt`, encoded(`${title}\n\n${paras.join('\n')}\n`, pick(['utf8', 'gbk', 'utf16', 'bom'])), novel ? 'novel' : 'news', 'written here');
  }
}

// ------------------------------------------------------------------------------------------------

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  pythonFiles();
  cFiles();
  jsFiles();
  writtenCode();
  chats();
  mails();
  await sheets();
  legal();
  prose();
  // The licences of the copied code travel with it.
  for (const [from, to] of [
    ['/usr/lib/python3.11/LICENSE.txt', 'python-LICENSE.txt'],
    ['/usr/share/doc/libjs-jquery/copyright', 'jquery-copyright.txt'],
    ['/usr/share/doc/libjs-underscore/copyright', 'underscore-copyright.txt'],
    ['/usr/share/doc/zlib1g/copyright', 'zlib-copyright.txt'],
    ['/usr/share/doc/libsqlite3-dev/copyright', 'sqlite-copyright.txt'],
  ]) {
    if (!existsSync(from)) continue;
    mkdirSync(join(OUT, 'LICENSES'), { recursive: true });
    writeFileSync(join(OUT, 'LICENSES', to), readFileSync(from));
  }
  manifest.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  writeFileSync(join(OUT, 'MANIFEST.json'), JSON.stringify(manifest, null, 1) + '\n');
  const sources = new Map();
  for (const m of manifest) sources.set(m.licence, (sources.get(m.licence) ?? 0) + 1);
  writeFileSync(
    join(OUT, 'README.md'),
    [
      '# Negatives: files with no classification marking',
      '',
      'Generated by `node scripts/make-negatives.mjs` (do not edit by hand); asserted to give zero',
      'findings by `test/documents/negatives.test.ts`. Every file\'s kind, source and licence is in',
      '`MANIFEST.json`; the sources are described in the header of the script. Files by licence:',
      '',
      ...[...sources].sort().map(([l, n]) => `- ${l}: ${n}`),
      '',
      'Everything Chinese in these files was written for this set (the statutes are paraphrased);',
      'no real document, chat or mail is in it.',
      '',
    ].join('\n'),
  );
  const total = manifest.reduce((n, m) => n + m.bytes, 0);
  const byKind = {};
  for (const m of manifest) byKind[m.kind.replace(/-.*/, '')] = (byKind[m.kind.replace(/-.*/, '')] ?? 0) + 1;
  console.log(`${manifest.length} files, ${(total / 1024 / 1024).toFixed(2)} MB in ${OUT}`);
  console.log(byKind);
}

await main();
