import {
  allowedActions,
  INBOX_STATES,
  LIFECYCLE,
  LIFECYCLE_ACTIONS,
  ROLE_MATRIX,
  ROLES,
} from './investigator-api';

describe('investigator API lifecycle table', () => {
  it('offers an analyst the next steps up to escalation and a supervisor the close', () => {
    expect(allowedActions('new', 'analyst')).toEqual(['acknowledge']);
    expect(allowedActions('assigned', 'analyst')).toEqual(['assign', 'escalate']);
    expect(allowedActions('escalated', 'analyst')).toEqual([]);
    expect(allowedActions('escalated', 'supervisor')).toEqual(['close']);
    expect(allowedActions('closed', 'supervisor')).toEqual([]);
  });

  it('offers no lifecycle action to a role the role matrix keeps from the transitions route', () => {
    const mayTransition: readonly string[] = ROLE_MATRIX['POST /alerts/:alertId/transitions'];
    for (const role of ROLES.filter((r) => !mayTransition.includes(r))) {
      for (const state of INBOX_STATES)
        expect({ role, state, actions: allowedActions(state, role) }).toEqual({ role, state, actions: [] });
    }
    for (const action of LIFECYCLE_ACTIONS) {
      expect(LIFECYCLE[action].roles.filter((role) => !mayTransition.includes(role))).toEqual([]);
    }
  });

  it('leaves a closed alert closed and lets every other state move on', () => {
    const movable = INBOX_STATES.filter((state) =>
      LIFECYCLE_ACTIONS.some((a) => LIFECYCLE[a].from.includes(state)),
    );
    expect(movable).toEqual(['new', 'acknowledged', 'assigned', 'escalated']);
  });
});
