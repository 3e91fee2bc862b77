// The one vocabulary of judgement: machine classes (profiles) and their Chinese names, the order of
// secrecy levels, and the form of a serial number used for comparing. Everything that compares a
// class, a level or a serial takes it from here (probes, ledger, engine, reports).

/** Machine classes, as rules and reports name them. */
export type Profile = 'classified' | 'intranet' | 'nonclassified';
export const PROFILES: readonly Profile[] = ['classified', 'intranet', 'nonclassified'];

/** The Chinese name of each class, as an officer writes it (also accepted by `--profile`). */
export const PROFILE_ZH: Readonly<Record<Profile, string>> = {
  classified: '涉密',
  intranet: '内网',
  nonclassified: '非涉密',
};

/** State-secret levels, lowest first: 秘密 < 机密 < 绝密. */
export type SecretLevel = '秘密' | '机密' | '绝密';
export const SECRET_LEVELS: readonly SecretLevel[] = ['秘密', '机密', '绝密'];

/** Rank of a level on the one scale: 0 for no state-secret level (or an unknown word), 1 秘密, 2 机密, 3 绝密. */
export function levelRank(level: string | undefined | null): number {
  return level == null ? 0 : (SECRET_LEVELS as readonly string[]).indexOf(level) + 1;
}

/** The level of a rank (1..3), undefined for 0. */
export function levelOfRank(rank: number): SecretLevel | undefined {
  return SECRET_LEVELS[rank - 1];
}

const CLASSIFIED_WORDS = new Set(['', '涉密', 'classified', '涉密介质', '涉密载体', '涉密计算机', '涉密设备', '涉密级']);
const INTRANET_WORDS = new Set([
  'intranet', '内网', '工作网', '非涉密内网', '非涉密工作网', '内部网', '办公内网', '内网专用', '内网介质', '工作网专用', '内网计算机',
]);
const NONCLASSIFIED_WORDS = new Set([
  'nonclassified', 'non-classified', 'unclassified', 'public', 'internet', '非涉密', '非密', '互联网', '外网', '公开', '非涉密互联网',
  '互联网专用', '外网专用', '非涉密介质', '非涉密计算机',
]);

/** 秘密 / 机密 / 绝密 (with or without 级), as a level only. */
export function parseLevel(v: string): SecretLevel | undefined {
  const t = v.normalize('NFKC').trim();
  if (/绝密/.test(t)) return '绝密';
  if (/机密/.test(t)) return '机密';
  if (/(?<!非)秘密/.test(t)) return '秘密';
  return undefined;
}

/**
 * A class as written by a person: `classified` / 涉密 (optionally with its level: 涉密（机密）, 机密,
 * 机密级, 涉密-秘密), `intranet` / 内网 / 工作网 / 非涉密内网, `nonclassified` / 非涉密 / 互联网 / 外网 /
 * 公开. Undefined when not recognised. Used for the ledger's class column and for `--profile`.
 */
export function parseClass(v: string): { class: Profile; level?: SecretLevel } | undefined {
  const t = v.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  if (t === '') return undefined;
  if (INTRANET_WORDS.has(t)) return { class: 'intranet' };
  if (NONCLASSIFIED_WORDS.has(t)) return { class: 'nonclassified' };
  const level = parseLevel(t);
  if (level !== undefined || t.includes('涉密') || t.startsWith('classified')) {
    const rest = t.replace(/绝密|机密|秘密/g, '').replace(/[()\[\]【】<>《》\-—/、,;:·.级]/g, '');
    if (CLASSIFIED_WORDS.has(rest)) return level !== undefined ? { class: 'classified', level } : { class: 'classified' };
  }
  return undefined;
}

/**
 * The form of a serial number used for comparing, everywhere (ledger rows, Windows and Linux device
 * records, merging sources): Unicode-compatibility folded (full-width → ASCII), upper case, white
 * space and dashes removed, a Windows instance suffix (`&0`, `&1`) removed.
 */
export function serialKey(serial: string): string {
  return serial
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]/g, '')
    .replace(/&\d+$/, '');
}
