/**
 * AMLworld currency names → ISO 4217. The sample has 13 of these names; "Brazil Real" and "Shekel" occur in
 * the full HI-Small file. Rupee is the Indian rupee (the dataset's USD rate, about 73, fits INR only).
 */
export const AMLWORLD_CURRENCIES = {
  'US Dollar': 'USD',
  Euro: 'EUR',
  Yuan: 'CNY',
  Yen: 'JPY',
  Rupee: 'INR',
  Ruble: 'RUB',
  'UK Pound': 'GBP',
  'Swiss Franc': 'CHF',
  'Canadian Dollar': 'CAD',
  'Australian Dollar': 'AUD',
  'Mexican Peso': 'MXN',
  'Brazil Real': 'BRL',
  Shekel: 'ILS',
  'Saudi Riyal': 'SAR',
} as const satisfies Record<string, string>;

/** Not ISO 4217: rows in these are skipped until the virtual-asset feed exists. */
export const AMLWORLD_VIRTUAL_ASSETS = ['Bitcoin'] as const;

export const isoCodeOfAmlworldCurrency = (name: string): string | undefined =>
  Object.hasOwn(AMLWORLD_CURRENCIES, name)
    ? AMLWORLD_CURRENCIES[name as keyof typeof AMLWORLD_CURRENCIES]
    : undefined;

export const isAmlworldVirtualAsset = (name: string): boolean =>
  (AMLWORLD_VIRTUAL_ASSETS as readonly string[]).includes(name);
