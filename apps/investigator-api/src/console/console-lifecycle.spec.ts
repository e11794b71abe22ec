import { allowedActionsFor } from '../../../investigator-console/src/lifecycle-rules';
import { allowedActions, INBOX_STATES } from '../alerts/alert-lifecycle';
import { ROLES } from '../auth/role';

describe('console lifecycle buttons', () => {
  it('offer exactly the actions the API allows, for every state and role', () => {
    for (const state of INBOX_STATES) {
      for (const role of ROLES) {
        expect({ state, role, actions: allowedActionsFor(state, role) }).toEqual({
          state,
          role,
          actions: allowedActions(state, role),
        });
      }
    }
  });
});
