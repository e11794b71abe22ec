import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { listFieldsOf, type StreamedAlertVersion } from '@scamflow/graph';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ROLE_MATRIX } from '@scamflow/contracts';
import { Roles } from '../auth/roles.decorator';
import { recordAuditSubjects } from '../audit/audit-subjects';
import { ApiProblems } from '../http/api-problems.decorator';
import { ProblemException } from '../http/problem';
import { parseInput } from '../http/zod-input';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi';
import { filterOf } from './alert-access';
import {
  accountKeysOf,
  maskForInstitution,
  presentAlertDetail,
  presentAlertSummary,
} from './alert-presenter';
import { AlertPrecisionService } from './alert-precision.service';
import {
  AlertIdParamSchema,
  ListAlertsQuerySchema,
  PrecisionQuerySchema,
  StreamAlertsQuerySchema,
  TransitionCommandSchema,
} from './alerts.schema';
import { GetAlertService } from './get-alert.service';
import { ListAlertsService } from './list-alerts.service';
import { StreamAlertsService } from './stream-alerts.service';
import { TransitionAlertService } from './transition-alert.service';

const LAST_EVENT_ID = /^\d{1,15}$/;

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    @Inject(ListAlertsService) private readonly listAlerts: ListAlertsService,
    @Inject(GetAlertService) private readonly getAlert: GetAlertService,
    @Inject(TransitionAlertService) private readonly transitionAlert: TransitionAlertService,
    @Inject(StreamAlertsService) private readonly streamAlerts: StreamAlertsService,
    @Inject(AlertPrecisionService) private readonly precision: AlertPrecisionService,
  ) {}

  @Get()
  @Roles(...ROLE_MATRIX['GET /alerts'])
  @ApiOperation({
    summary: 'The alert inbox: filtered, sorted, cursor-paged, with counts per lifecycle state',
    description: 'A bank sees only alerts involving its institution, other institutions’ accounts masked.',
  })
  @ApiZodQuery(ListAlertsQuerySchema)
  @ApiOkResponse({ description: '{ items, nextCursor, counts }' })
  @ApiProblems(400)
  async list(
    @Query() rawQuery: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<object> {
    const query = parseInput(ListAlertsQuerySchema, rawQuery, 'query');
    const page = await this.listAlerts.execute(query, principal);
    recordAuditSubjects(request, {
      alerts: page.items.map((a) => a.alertId),
      accounts: page.subjectKeys,
    });
    return {
      items: page.items.map(presentAlertSummary),
      nextCursor: page.nextCursor,
      counts: page.counts,
    };
  }

  @Get('stream')
  @Roles(...ROLE_MATRIX['GET /alerts/stream'])
  @ApiOperation({
    summary: 'Server-sent events of new alerts and alert versions, filtered like the list',
    description:
      'Each event: `id: <stream id>`, `event: alert`, `data: <alert summary JSON with streamId>`. Reconnect with ' +
      'the `Last-Event-ID` header (or `lastEventId` query) to replay everything after that id from the store.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this stream id' })
  @ApiZodQuery(StreamAlertsQuerySchema)
  @ApiProblems(400)
  async stream(
    @Query() rawQuery: unknown,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { lastEventId: lastEventQuery, ...filters } = parseInput(
      StreamAlertsQuerySchema,
      rawQuery,
      'query',
    );
    const resumeFrom = lastEventHeader ?? lastEventQuery;
    if (resumeFrom !== undefined && !LAST_EVENT_ID.test(resumeFrom)) {
      throw new ProblemException(400, 'Invalid request', 'Last-Event-ID must be a stream id from this API', {
        errors: [{ path: 'header.Last-Event-ID', message: 'must be a decimal stream id' }],
      });
    }
    const filter = filterOf(filters, principal);
    // Listen before the first await: a client that leaves during it would otherwise leave a poll loop behind.
    let open = true;
    response.on('close', () => {
      open = false;
    });
    const afterSeq = await this.streamAlerts.startAfter(
      resumeFrom === undefined ? undefined : Number(resumeFrom),
    );
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n: stream after ${afterSeq}\n\n`);
    const replayed = new Set<string>();
    const sink = {
      isOpen: () => open && !response.writableEnded,
      send: (version: StreamedAlertVersion) => {
        replayed.add(version.alert.alertId);
        const alert =
          principal.role === 'bank' && principal.institutionId
            ? maskForInstitution(version.alert, principal.institutionId)
            : version.alert;
        // The list's fields, so a client can show a streamed version as a row.
        const data = {
          streamId: String(version.streamSeq),
          alertId: alert.alertId,
          version: alert.version,
          state: version.state,
          ...listFieldsOf(alert),
        };
        response.write(`id: ${version.streamSeq}\nevent: alert\ndata: ${JSON.stringify(data)}\n\n`);
      },
      ping: () => {
        response.write(': keep-alive\n\n');
      },
    };
    const replayedUpTo = await this.streamAlerts.replay(afterSeq, filter, sink);
    // The entry names what the replay sent; later events follow the filters the entry records.
    recordAuditSubjects(request, { alerts: [...replayed] });
    void this.streamAlerts.follow(replayedUpTo, filter, sink).finally(() => response.end());
  }

  @Get('dispositions/precision')
  @Roles(...ROLE_MATRIX['GET /alerts/dispositions/precision'])
  @ApiOperation({
    summary: 'Precision per typology from the dispositions of closed alerts',
    description:
      'confirmed (mule or proceeds) / (confirmed + false positives); duplicates are counted apart.',
  })
  @ApiZodQuery(PrecisionQuerySchema)
  @ApiProblems(400)
  async dispositionPrecision(@Query() rawQuery: unknown): Promise<object> {
    const query = parseInput(PrecisionQuerySchema, rawQuery, 'query');
    return this.precision.execute(query);
  }

  @Get(':alertId')
  @Roles(...ROLE_MATRIX['GET /alerts/:alertId'])
  @ApiOperation({
    summary:
      'One alert: latest version, every earlier version, evidence, tracing, actions, lifecycle history',
  })
  @ApiParam({ name: 'alertId', type: String })
  @ApiProblems(400, 404)
  async get(
    @Param('alertId') rawAlertId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<object> {
    const alertId = parseInput(AlertIdParamSchema, rawAlertId, 'path');
    const detail = await this.getAlert.execute(alertId, principal);
    recordAuditSubjects(request, { alerts: [alertId], accounts: accountKeysOf(detail.current.alert) });
    return presentAlertDetail(detail, principal);
  }

  @Post(':alertId/transitions')
  @HttpCode(200)
  @Roles(...ROLE_MATRIX['POST /alerts/:alertId/transitions'])
  @ApiOperation({
    summary: 'Moves the alert along its lifecycle (acknowledge, assign, escalate, close with a disposition)',
    description:
      'new → acknowledged → assigned → escalated (STR drafted) → closed. Analysts up to escalated; supervisors ' +
      'close. An illegal or concurrent transition is 409 with the current state and the actions allowed.',
  })
  @ApiParam({ name: 'alertId', type: String })
  @ApiZodBody(TransitionCommandSchema)
  @ApiOkResponse({ description: 'the alert after the transition (as GET /alerts/{alertId})' })
  @ApiProblems(400, 404, 409, 413, 415)
  async transition(
    @Param('alertId') rawAlertId: string,
    @Body() rawBody: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<object> {
    const alertId = parseInput(AlertIdParamSchema, rawAlertId, 'path');
    const command = parseInput(TransitionCommandSchema, rawBody ?? {}, 'body');
    recordAuditSubjects(request, { alerts: [alertId] });
    const detail = await this.transitionAlert.execute(alertId, command, principal);
    recordAuditSubjects(request, { accounts: accountKeysOf(detail.current.alert) });
    return presentAlertDetail(detail, principal);
  }
}
