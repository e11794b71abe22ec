import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InvestigationRepository, TraceQueryRepository } from '@scamflow/graph';
import { toMinorUnits } from '@scamflow/money';
import { recordAuditSubjects } from '../audit/audit-subjects';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ROLE_MATRIX } from '@scamflow/contracts';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../http/api-problems.decorator';
import { ProblemException } from '../http/problem';
import { parseInput } from '../http/zod-input';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { ApiZodQuery } from '../openapi/zod-openapi';
import {
  AccountPathSchema,
  AccountQuerySchema,
  GRAPH_LIMITS,
  PathsQuerySchema,
  TraceQuerySchema,
} from './graph-query.schema';
import {
  cutView,
  decodeCursor,
  encodeCursor,
  hopView,
  mayReadAccount,
  pageSizeOf,
  profileView,
  exportBody,
  subgraphOf,
} from './graph-presenter';
import { TraversalGate } from './traversal-gate';

const notFound = (what: string) => new ProblemException(404, 'Not found', `${what} is not in the graph`);

/** Graph queries for investigators: account profile, trace, paths; each exportable as JSON, CSV or GraphML. */
@ApiTags('graph')
@Controller()
export class GraphController {
  constructor(
    @Inject(InvestigationRepository) private readonly investigation: InvestigationRepository,
    @Inject(TraceQueryRepository) private readonly traces: TraceQueryRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
    @Inject(TraversalGate) private readonly gate: TraversalGate,
  ) {}

  @Get('accounts/:accountKey')
  @Roles(...ROLE_MATRIX['GET /accounts/:accountKey'])
  @ApiOperation({
    summary: 'Account profile',
    description:
      'Institution, country, kind, opened, identifiers seen (masked unless investigator/supervisor), first/last ' +
      'seen, exact totals in/out per currency over the latest 5,000 transfers each way, counterparties, alerts ' +
      'and cases. A bank sees only accounts of its own institution.',
  })
  @ApiParam({ name: 'accountKey', example: 'KASITHBK:1234567890' })
  async profile(
    @Param() params: unknown,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    const { accountKey } = parseInput(AccountPathSchema, params, 'path');
    parseInput(AccountQuerySchema, query, 'query');
    const profile = await this.investigation.accountProfile(accountKey);
    // A bank asking for another institution's account learns nothing, not even that it exists.
    if (!profile || !mayReadAccount(principal, profile.institutionId))
      throw notFound(`account ${accountKey}`);
    const alerts =
      principal.role === 'bank'
        ? profile.alerts.filter(
            (a) => principal.institutionId !== undefined && a.institutions.includes(principal.institutionId),
          )
        : profile.alerts;
    const cases = [...new Set([...profile.victimCaseIds, ...profile.alertCaseIds])].sort();
    recordAuditSubjects(request, { accounts: [accountKey], alerts: alerts.map((a) => a.alertId), cases });
    return { ...profileView(profile, principal), alerts, cases };
  }

  @Get('accounts/:accountKey/trace')
  @Roles(...ROLE_MATRIX['GET /accounts/:accountKey/trace'])
  @ApiOperation({
    summary: 'Trace money forward or backward from an account',
    description:
      'Time-respecting, hop by hop: per account the largest transfers first (fanOut), hubs reached but not ' +
      'expanded, at most maxTransfers in all; `cuts` says where a bound stopped the trace. Returns a page of ' +
      'hops (`items`, `nextCursor`) and the whole traced graph; `format=csv&part=nodes|edges` or ' +
      '`format=graphml` export the graph.',
  })
  @ApiParam({ name: 'accountKey', example: 'KASITHBK:1234567890' })
  @ApiZodQuery(TraceQuerySchema)
  @ApiProblems(400, 404, 503)
  @ApiProduces('application/json', 'text/csv', 'application/graphml+xml')
  async trace(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { accountKey } = parseInput(AccountPathSchema, params, 'path');
    const q = parseInput(TraceQuerySchema, query, 'query');
    const pageSize = pageSizeOf(q.limit, {
      default: this.config.API_DEFAULT_PAGE_SIZE,
      max: this.config.API_MAX_PAGE_SIZE,
    });
    const offset = decodeCursor(q.cursor);
    const minAmount =
      q.minAmount !== undefined && q.minAmountCurrency !== undefined
        ? toMinorUnits(q.minAmount, q.minAmountCurrency)
        : undefined;
    const forward = q.direction === 'forward';
    const result = await this.gate.run(() =>
      this.traces.trace({
        accountKey,
        direction: q.direction,
        maxHops: q.hops,
        fanOut: q.fanOut,
        maxTransfers: q.maxTransfers,
        startAt: forward ? q.from : q.to,
        windowLimit: forward ? q.to : q.from,
        minAmount: minAmount?.ok ? minAmount.value : undefined,
      }),
    );
    if (!result.start) throw notFound(`account ${accountKey}`);
    recordAuditSubjects(request, { accounts: result.accounts.map((a) => a.accountKey) });
    const graph = subgraphOf(result.accounts, result.hops);
    const exported = exportBody(response, graph, q.format, q.part, `trace-${q.direction}-${accountKey}`);
    if (exported !== undefined) return exported;
    const page = result.hops.slice(offset, offset + pageSize);
    return {
      start: result.start,
      direction: result.direction,
      limits: { hops: q.hops, fanOut: q.fanOut, maxTransfers: q.maxTransfers, ...GRAPH_LIMITS },
      truncated: result.truncated,
      cuts: result.cuts.map(cutView),
      totalHops: result.hops.length,
      items: page.map(hopView),
      nextCursor: offset + pageSize < result.hops.length ? encodeCursor(offset + pageSize) : null,
      graph,
    };
  }

  @Get('paths')
  @Roles(...ROLE_MATRIX['GET /paths'])
  @ApiOperation({
    summary: 'Money paths between two accounts',
    description:
      'Transfers on time-respecting paths from `from` to `to` within `maxHops`, inside `window` (ISO interval ' +
      '`<start>/<end>` or `P<n>D`). Exports like the trace.',
  })
  @ApiZodQuery(PathsQuerySchema)
  @ApiProblems(400, 404, 503)
  @ApiProduces('application/json', 'text/csv', 'application/graphml+xml')
  async paths(
    @Query() query: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const q = parseInput(PathsQuerySchema, query, 'query');
    const result = await this.gate.run(() =>
      this.investigation.paths({
        fromKey: q.from,
        toKey: q.to,
        maxHops: q.maxHops,
        windowStart: q.window?.start,
        windowEnd: q.window?.end,
      }),
    );
    if (!result.from) throw notFound(`account ${q.from}`);
    recordAuditSubjects(request, { accounts: result.accounts.map((a) => a.accountKey) });
    const graph = subgraphOf(result.accounts, result.hops);
    const exported = exportBody(response, graph, q.format, q.part, `paths-${q.from}-${q.to}`);
    if (exported !== undefined) return exported;
    return {
      from: q.from,
      to: q.to,
      found: result.hops.length > 0,
      maxHops: q.maxHops,
      window: q.window ?? null,
      cuts: result.cuts.map(cutView),
      items: result.hops.map(hopView),
      nextCursor: null,
      graph,
    };
  }
}
