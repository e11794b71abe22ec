import { planTransition } from './alert-lifecycle';

describe(planTransition.name, () => {
  it('walks an alert from new to closed as confirmed mule, recording assignee, STR and disposition', () => {
    const ack = planTransition('new', { action: 'acknowledge' }, 'analyst');
    expect(ack).toMatchObject({ ok: true, from: 'new', to: 'acknowledged' });
    const assign = planTransition('acknowledged', { action: 'assign', assignee: 'analyst-02' }, 'analyst');
    expect(assign).toMatchObject({ ok: true, to: 'assigned', stateFields: { assignee: 'analyst-02' } });
    const escalate = planTransition(
      'assigned',
      { action: 'escalate', strReference: 'STR-2026-001' },
      'analyst',
    );
    expect(escalate).toMatchObject({
      ok: true,
      to: 'escalated',
      stateFields: { strReference: 'STR-2026-001' },
    });
    const close = planTransition(
      'escalated',
      { action: 'close', disposition: 'confirmed-mule' },
      'supervisor',
    );
    expect(close).toMatchObject({
      ok: true,
      to: 'closed',
      stateFields: { disposition: 'confirmed-mule', dispositionReason: null, duplicateOf: null },
      transitionFields: { disposition: 'confirmed-mule' },
    });
  });

  it('refuses skipping a step with 409 naming the state', () => {
    expect(planTransition('new', { action: 'escalate' }, 'analyst')).toEqual({
      ok: false,
      status: 409,
      detail: 'cannot escalate an alert that is new (allowed from: assigned)',
    });
  });

  it('refuses any transition of a closed alert with 409', () => {
    for (const command of [
      { action: 'acknowledge' } as const,
      { action: 'assign', assignee: 'x' } as const,
      { action: 'close', disposition: 'duplicate', duplicateOf: 'a-1' } as const,
    ]) {
      expect(planTransition('closed', command, 'supervisor')).toMatchObject({ ok: false, status: 409 });
    }
  });

  it('lets only a supervisor close (403 for an analyst)', () => {
    expect(
      planTransition(
        'escalated',
        { action: 'close', disposition: 'false-positive', reason: 'payroll' },
        'analyst',
      ),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('closes a false positive before escalation with its reason, but not a confirmation', () => {
    expect(
      planTransition(
        'acknowledged',
        { action: 'close', disposition: 'false-positive', reason: 'payroll' },
        'supervisor',
      ),
    ).toMatchObject({
      ok: true,
      stateFields: { disposition: 'false-positive', dispositionReason: 'payroll' },
    });
    expect(
      planTransition('assigned', { action: 'close', disposition: 'confirmed-proceeds' }, 'supervisor'),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it('records which alert a duplicate duplicates', () => {
    expect(
      planTransition(
        'assigned',
        { action: 'close', disposition: 'duplicate', duplicateOf: 'alert-7' },
        'supervisor',
      ),
    ).toMatchObject({
      ok: true,
      stateFields: { duplicateOf: 'alert-7' },
      transitionFields: { duplicateOf: 'alert-7' },
    });
  });
});
