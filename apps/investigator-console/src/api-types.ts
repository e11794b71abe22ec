/** Shapes the investigator API answers with (see apps/investigator-api and docs/investigator-api.md). */

export interface MinorMoney {
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
}

export interface ApiMoney {
  readonly minor?: string;
  readonly amountMinor?: string;
  readonly currency: string;
  readonly scale?: number;
  readonly decimal: string;
}

export interface AccountRef {
  readonly accountKey: string;
  readonly accountId: string;
  readonly institutionId: string;
  readonly country: string;
  readonly kind?: string;
  readonly role?: string;
}

export interface AlertFact {
  readonly name: string;
  readonly description: string;
  readonly value: string;
  readonly threshold: string;
  readonly fired: boolean;
  /** What value and threshold count (a share, minutes, days...), when the detector says. */
  readonly unit?: string;
}

export interface EvidenceEdge {
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly bookedAt: string;
  readonly amount: MinorMoney;
}

export interface TracedAmount {
  readonly rule: string;
  readonly caseId?: string;
  readonly amount: MinorMoney;
}

export interface TracedHolder {
  readonly account: AccountRef & { readonly role: string };
  readonly amounts: readonly TracedAmount[];
  readonly crossBorderReasons: readonly string[];
  readonly librApplied: boolean;
}

export interface TracedHop extends EvidenceEdge {
  readonly tainted: readonly TracedAmount[];
}

export interface RecommendedAction {
  readonly kind: string;
  readonly institutionId?: string;
  readonly country?: string;
  readonly accountKey?: string;
  readonly amount?: MinorMoney;
  readonly rule?: string;
  readonly rationale: string;
}

/** The detector's alert (libs/contracts AlertRaised), as stored by the API. */
export interface AlertRaised {
  readonly alertId: string;
  readonly version: number;
  readonly typology: string;
  readonly subject: AccountRef & { readonly role: string };
  readonly involved: readonly (AccountRef & { readonly role: string })[];
  readonly score: number;
  readonly severity: string;
  readonly summary: string;
  readonly facts: readonly AlertFact[];
  readonly evidence: { readonly edges: readonly EvidenceEdge[]; readonly counterparties: readonly string[] };
  readonly tracing?: {
    readonly preferredRule: string;
    readonly victims: readonly {
      readonly caseId: string;
      readonly victimAccountKeys: readonly string[];
      readonly reportedAt: string;
      readonly seeded: MinorMoney;
    }[];
    readonly holders: readonly TracedHolder[];
    readonly ledger: readonly TracedHop[];
  };
  readonly jurisdictions: readonly string[];
  readonly institutions: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly raisedAt: string;
  readonly recommendedActions: readonly RecommendedAction[];
}

export {
  INBOX_STATES as LIFECYCLE_STATES,
  type InboxStateName as LifecycleState,
  DISPOSITIONS,
  type Disposition,
} from '@scamflow/contracts';

export interface GraphNode {
  readonly id: string;
  readonly accountKey: string;
  readonly kind?: string | null;
  readonly institutionId?: string | null;
  readonly country?: string | null;
  readonly roles?: readonly string[];
  /** Set by the console for a hub the API reached but did not expand: its transfer count. */
  readonly hubDegree?: number;
}

export interface GraphEdge {
  readonly id: string;
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly bookedAt: string;
  readonly amount: ApiMoney;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}
