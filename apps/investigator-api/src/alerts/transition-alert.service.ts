import { Inject, Injectable } from '@nestjs/common';
import { allowedActions } from '@scamflow/contracts';
import { AlertInboxRepository, type StoredAlertDetail } from '@scamflow/graph';
import type { Principal } from '../auth/principal';
import { ProblemException, problemType } from '../http/problem';
import { planTransition, type LifecycleCommand } from './alert-lifecycle';
import { GetAlertService } from './get-alert.service';

/**
 * Moves an alert along its lifecycle. The write is conditional on the state and transition count read here, so
 * two concurrent transitions cannot both apply: the loser gets 409 and can re-read.
 */
@Injectable()
export class TransitionAlertService {
  constructor(
    @Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository,
    @Inject(GetAlertService) private readonly getAlert: GetAlertService,
  ) {}

  async execute(
    alertId: string,
    command: LifecycleCommand,
    principal: Principal,
    now: () => Date = () => new Date(),
  ): Promise<StoredAlertDetail> {
    const before = await this.getAlert.execute(alertId, principal);
    const { state, transitionCount } = before.current;
    const plan = planTransition(state, command, principal.role);
    if (!plan.ok) {
      throw new ProblemException(
        plan.status,
        plan.status === 409 ? 'Illegal transition' : 'Forbidden',
        plan.detail,
        {
          type: plan.status === 409 ? problemType('illegal-transition') : 'about:blank',
          currentState: state,
          allowedActions: allowedActions(state, principal.role),
        },
      );
    }
    const applied = await this.inbox.transition({
      alertId,
      action: command.action,
      from: plan.from,
      to: plan.to,
      expectedCount: transitionCount,
      by: principal.sub,
      role: principal.role,
      at: now().toISOString(),
      stateFields: plan.stateFields,
      transitionFields: plan.transitionFields,
    });
    if (!applied) {
      throw new ProblemException(
        409,
        'Concurrent transition',
        `alert ${alertId} changed while this ${command.action} was applied; re-read it and retry`,
        {
          type: problemType('concurrent-transition'),
        },
      );
    }
    return this.getAlert.execute(alertId, principal);
  }
}
