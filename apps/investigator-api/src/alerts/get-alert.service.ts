import { Inject, Injectable } from '@nestjs/common';
import { AlertInboxRepository, type StoredAlertDetail } from '@scamflow/graph';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../http/problem';
import { mayViewAlert } from './alert-access';

/** One alert with its history; a bank asking for another institution's alert gets 404 (not even its existence). */
@Injectable()
export class GetAlertService {
  constructor(@Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository) {}

  async execute(alertId: string, principal: Principal): Promise<StoredAlertDetail> {
    const detail = await this.inbox.get(alertId);
    if (!detail || !mayViewAlert(principal, detail.current.alert.institutions)) {
      throw new ProblemException(404, 'Not found', `no alert ${alertId}`);
    }
    return detail;
  }
}
