/** Who uses the API (issue 9 "Who may do what"). */
export const ROLES = ['analyst', 'investigator', 'supervisor', 'bank', 'hotline', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
