/**
 * Display formatting. Money stays a string from the API to the screen: a JS number would round amounts past
 * 2^53 minor units and print 0.1 + 0.2 style noise.
 */

export type Locale = 'en' | 'th';
export const DEFAULT_TIME_ZONE = 'Asia/Bangkok';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', th: 'th-TH' };

/** Integer minor units ("-123456", scale 2) as a decimal string ("-1234.56"). */
export const minorToDecimal = (amountMinor: string, scale: number): string => {
  if (!/^-?\d+$/.test(amountMinor)) throw new Error(`not an integer amount: ${amountMinor}`);
  const negative = amountMinor.startsWith('-');
  const digits = (negative ? amountMinor.slice(1) : amountMinor).replace(/^0+(?=\d)/, '');
  if (scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
};

/** "1234567.50" → "1,234,567.50": thousands separators on the integer part, decimals kept as given. */
export const groupDecimal = (decimal: string): string => {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!match) return decimal;
  const [, sign = '', int = '', frac = ''] = match;
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac}`;
};

export interface DisplayMoney {
  readonly decimal: string;
  readonly currency: string;
}

/** Amount with its currency's own decimals, e.g. "144,000.00 THB", "3,600.000000 USDT". */
export const formatMoney = (money: DisplayMoney): string =>
  `${groupDecimal(money.decimal)} ${money.currency}`;

/** The contract's MinorMoney (amountMinor + scale) as display money. */
export const fromMinor = (m: { amountMinor: string; currency: string; scale: number }): DisplayMoney => ({
  decimal: minorToDecimal(m.amountMinor, m.scale),
  currency: m.currency,
});

/** Decimal string → bigint at `scale` decimals (extra decimals truncated), for comparisons without floats. */
export const decimalToScaled = (decimal: string, scale: number): bigint | undefined => {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) return undefined;
  const [, sign = '', int = '', frac = ''] = match;
  const value = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return sign === '-' ? -value : value;
};

/** Compares two decimal strings exactly: negative, zero or positive like a sort comparator. */
export const compareDecimal = (a: string, b: string): number => {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const x = decimalToScaled(a, scale) ?? 0n;
  const y = decimalToScaled(b, scale) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A time in the chosen zone (Asia/Bangkok by default), in the UI language. */
export const formatTime = (iso: string, locale: Locale, timeZone: string = DEFAULT_TIME_ZONE): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
};

/** The same instant in UTC, for the hover title: "2026-11-23 02:15:00 UTC". */
export const utcTitle = (iso: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
};

/** Elapsed time as "2 d 03:15:09" (the freeze deadline clock). */
export const formatElapsed = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hh = String(Math.floor((total % 86_400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return `${days > 0 ? `${days} d ` : ''}${hh}:${mm}:${ss}`;
};
