import { NOW, fanInDraft } from './alert-drafts.testing';
import { decideIssue, fingerprintOf, mintAlertId } from './alert-versioning';

const draft = (inbound: string[], triggerId?: string) => fanInDraft(inbound, triggerId ? { triggerId } : {});

describe(decideIssue.name, () => {
  it('raises a first version under the proposed id', () => {
    const decision = decideIssue(draft(['t1', 't2']), undefined, NOW);
    expect(decision.kind).toBe('new');
    if (decision.kind !== 'new') return;
    expect(decision.alert).toMatchObject({ version: 1, alertId: draft(['t1']).proposedAlertId });
    expect(decision.alert.raisedAt).toBe(NOW.toISOString());
  });

  it('updates the same alert id with a new version when evidence grows', () => {
    const first = decideIssue(draft(['t1', 't2']), undefined, NOW);
    if (first.kind !== 'new') throw new Error('expected a first version');
    // A later episode proposes another id; the alert already issued for the subject keeps its id.
    const grown = { ...draft(['t1', 't2', 't3']), proposedAlertId: 'other' };
    const second = decideIssue(grown, first.state, NOW);
    expect(second.kind).toBe('update');
    if (second.kind !== 'update') return;
    expect(second.alert.alertId).toBe(first.alert.alertId);
    expect(second.alert.version).toBe(2);
  });

  it('raises nothing for the same evidence re-evaluated from another trigger (replay, restart)', () => {
    const first = decideIssue(draft(['t1', 't2'], 't2'), undefined, NOW);
    if (first.kind !== 'new') throw new Error('expected a first version');
    expect(decideIssue(draft(['t1', 't2'], 't1'), first.state, NOW).kind).toBe('unchanged');
  });

  it('ignores a stale re-evaluation with less evidence than already issued', () => {
    const first = decideIssue(draft(['t1', 't2', 't3']), undefined, NOW);
    if (first.kind !== 'new') throw new Error('expected a first version');
    expect(decideIssue(draft(['t1', 't2']), first.state, NOW).kind).toBe('stale');
  });

  it('publishes a reserved but unconfirmed version again, same id, version and content (crash in between)', () => {
    const first = decideIssue(draft(['t1', 't2']), undefined, NOW, 'minted');
    if (first.kind !== 'new') throw new Error('expected a first version');
    const again = decideIssue(draft(['t1', 't2'], 't1'), { ...first.state, pending: true }, NOW);
    expect(again.kind).toBe('new');
    if (again.kind !== 'new') return;
    const { trigger: _t1, ...republished } = again.alert;
    const { trigger: _t2, ...published } = first.alert;
    expect(republished).toEqual(published);
  });

  it('skips a reserved version when the content changed since, as it may have been published', () => {
    const first = decideIssue(draft(['t1', 't2']), undefined, NOW, 'minted');
    if (first.kind !== 'new') throw new Error('expected a first version');
    const next = decideIssue(draft(['t1', 't2', 't3']), { ...first.state, pending: true }, NOW);
    expect(next.kind === 'update' && next.alert).toMatchObject({ alertId: 'minted', version: 2 });
  });

  it('gives a first version the minted id, so a subject whose state was lost never re-uses an issued id', () => {
    const before = decideIssue(
      draft(['t1']),
      undefined,
      NOW,
      mintAlertId(draft(['t1']).proposedAlertId, NOW),
    );
    const after = decideIssue(draft(['t1']), undefined, NOW, mintAlertId(draft(['t1']).proposedAlertId, NOW));
    if (before.kind !== 'new' || after.kind !== 'new') throw new Error('expected first versions');
    expect(after.alert.version).toBe(1);
    expect(after.alert.alertId).not.toBe(before.alert.alertId);
  });

  it('gives the text to publish: JSON of the whole alert, trigger and every content field included', () => {
    const first = decideIssue(draft(['t1', 't2'], 't2'), undefined, NOW);
    const second = decideIssue(
      draft(['t1', 't2', 't3']),
      first.kind === 'new' ? first.state : undefined,
      NOW,
    );
    for (const decision of [first, second]) {
      if (decision.kind !== 'new' && decision.kind !== 'update') throw new Error('expected a version');
      expect(JSON.parse(decision.text)).toEqual(JSON.parse(JSON.stringify(decision.alert)));
      expect(JSON.parse(decision.text)).toMatchObject({ schemaVersion: 1, trigger: decision.alert.trigger });
    }
  });

  it('fingerprints content, not the trigger', () => {
    expect(fingerprintOf(draft(['t1'], 'a'))).toBe(fingerprintOf(draft(['t1'], 'b')));
    expect(fingerprintOf(draft(['t1']))).not.toBe(fingerprintOf(draft(['t1', 't2'])));
  });
});
