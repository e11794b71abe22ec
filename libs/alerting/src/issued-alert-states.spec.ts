import { ALERT_PRODUCER_HEADER, TYPOLOGIES, type AlertDraft } from '@scamflow/contracts';
import { MULE_ACCOUNT, NOW, fanInDraft } from './alert-drafts.testing';
import { decideIssue, type IssuedState } from './alert-versioning';
import { publishedAlertHeaders, recoverIssuedStates, type PublishedAlert } from './issued-alert-states';

const account = MULE_ACCOUNT;
const draft = (inbound: string[], issueKey?: string) => fanInDraft(inbound, issueKey ? { issueKey } : {});

/** Issues `d` against `issued` as the alert issuer does, returning what it would publish and hold. */
const issue = (d: AlertDraft, issued?: IssuedState): { published: PublishedAlert; state: IssuedState } => {
  const decision = decideIssue(d, issued, NOW);
  if (decision.kind !== 'new' && decision.kind !== 'update')
    throw new Error(`nothing issued: ${decision.kind}`);
  return {
    published: {
      alert: decision.alert,
      headers: publishedAlertHeaders(d.issueKey ?? d.subject.accountKey, decision.state),
    },
    state: decision.state,
  };
};

describe(recoverIssuedStates.name, () => {
  it('recovers what the issuer held: the same evidence is unchanged, more is a new version of the same id', () => {
    const first = issue(draft(['t1', 't2']));
    const second = issue(draft(['t1', 't2', 't3']), first.state);
    const [recovered, ...others] = recoverIssuedStates([first.published, second.published]);
    expect(others).toEqual([]);
    expect(recovered).toEqual({
      typology: TYPOLOGIES.fanInPassThrough,
      subjectKey: account.accountKey,
      state: second.state,
      raisedAtMs: NOW.getTime(),
    });
    expect(decideIssue(draft(['t1', 't2', 't3']), recovered?.state, NOW).kind).toBe('unchanged');
    expect(decideIssue(draft(['t1', 't2']), recovered?.state, NOW).kind).toBe('stale');
    const next = decideIssue(draft(['t1', 't2', 't3', 't4']), recovered?.state, NOW);
    expect(next).toMatchObject({ kind: 'update', alert: { alertId: second.state.alertId, version: 3 } });
  });

  it('keeps one state per issue key (a proceeds alert per case), whatever the subject', () => {
    const caseA = issue(draft(['t1'], 'case-A'));
    const caseB = issue(draft(['t2'], 'case-B'));
    const keys = recoverIssuedStates([caseA.published, caseB.published]).map((r) => r.subjectKey);
    expect(keys).toEqual(['case-A', 'case-B']);
  });

  it('ignores alerts no detector produced', () => {
    const { published } = issue(draft(['t1']));
    const forged: PublishedAlert = {
      ...published,
      headers: { ...published.headers, [ALERT_PRODUCER_HEADER]: 'someone' },
    };
    expect(recoverIssuedStates([forged, { ...published, headers: {} }])).toEqual([]);
  });

  it('does not roll back to a lower version of the same id re-published after a newer one', () => {
    const first = issue(draft(['t1']));
    const second = issue(draft(['t1', 't2']), first.state);
    expect(recoverIssuedStates([first.published, second.published, first.published])[0]?.state).toEqual(
      second.state,
    );
  });

  it('takes an alert published before the state headers by its subject, counting its evidence', () => {
    const { published } = issue(draft(['t1', 't2']));
    const legacy: PublishedAlert = {
      alert: published.alert,
      headers: { [ALERT_PRODUCER_HEADER]: published.headers[ALERT_PRODUCER_HEADER] ?? '' },
    };
    const [recovered] = recoverIssuedStates([legacy]);
    expect(recovered).toMatchObject({
      subjectKey: account.accountKey,
      state: { alertId: published.alert.alertId, version: 1, fingerprint: '', evidenceCount: 2 },
    });
    // Without a fingerprint the same content is issued again, but as a new version of the same id.
    expect(decideIssue(draft(['t1', 't2']), recovered?.state, NOW)).toMatchObject({
      kind: 'update',
      alert: { alertId: published.alert.alertId, version: 2 },
    });
  });
});
