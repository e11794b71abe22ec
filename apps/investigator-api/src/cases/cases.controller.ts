import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { buildFreezeRequests, renderFreezeRequestsHtml } from '@scamflow/filings';
import { recordAuditSubjects } from '../audit/audit-subjects';
import { ROLE_MATRIX } from '@scamflow/contracts';
import { Roles } from '../auth/roles.decorator';
import { parseInput } from '../http/zod-input';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi';
import { CaseIntakeSchema, CasePathSchema, FreezeRequestsQuerySchema } from './case-intake.schema';
import { accountsOfCase, caseView } from './case-presenter';
import { FileVictimReportService } from './file-victim-report.service';
import { LoadCaseFilingService } from './load-case-filing.service';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(FileVictimReportService) private readonly fileReport: FileVictimReportService,
    @Inject(LoadCaseFilingService) private readonly loadCase: LoadCaseFilingService,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles(...ROLE_MATRIX['POST /cases'])
  @ApiOperation({
    summary: 'File a victim report (hotline intake)',
    description:
      'Validated with the case.victim-report.filed.v1 contract (schemaVersion, version and caseId may be left ' +
      'out) and published there; 202 with the case id. A bad report gets 400 listing every field problem and ' +
      'nothing is published.',
  })
  @ApiZodBody(CaseIntakeSchema)
  async file(@Body() body: unknown, @Req() request: Request) {
    const intake = parseInput(CaseIntakeSchema, body, 'body');
    const report = await this.fileReport.execute(intake);
    recordAuditSubjects(request, { cases: [report.caseId] });
    return { caseId: report.caseId, version: report.version, status: 'accepted' };
  }

  @Get(':caseId')
  @Roles(...ROLE_MATRIX['GET /cases/:caseId'])
  @ApiOperation({
    summary:
      'A case: victim report, traced holders with amounts per rule, jurisdictions, open freeze actions',
  })
  async get(@Param() params: unknown, @Req() request: Request) {
    const { caseId } = parseInput(CasePathSchema, params, 'path');
    const loaded = await this.loadCase.execute(caseId);
    recordAuditSubjects(request, {
      cases: [caseId],
      accounts: accountsOfCase(loaded.filing),
      alerts: loaded.filing.alert ? [loaded.filing.alert.alertId] : [],
    });
    return caseView(loaded);
  }

  @Get(':caseId/freeze-requests')
  @Roles(...ROLE_MATRIX['GET /cases/:caseId/freeze-requests'])
  @ApiOperation({
    summary: 'Freeze requests of a case, one per holding institution',
    description:
      'Amounts per rule (the preferred rule quoted), the hop ledger proving them, and the clock since the ' +
      'victim paid; `format=html` gives a printable page.',
  })
  @ApiZodQuery(FreezeRequestsQuerySchema)
  @ApiProduces('application/json', 'text/html')
  async freezeRequests(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { caseId } = parseInput(CasePathSchema, params, 'path');
    const { format } = parseInput(FreezeRequestsQuerySchema, query, 'query');
    const { filing } = await this.loadCase.execute(caseId);
    const requests = buildFreezeRequests(filing, new Date());
    recordAuditSubjects(request, {
      cases: [caseId],
      accounts: requests.flatMap((r) => r.accounts.map((a) => a.accountKey)),
      alerts: filing.alert ? [filing.alert.alertId] : [],
    });
    if (format === 'html') {
      // Returned, not sent: the audit interceptor appends its entry before the page leaves.
      response.type('text/html; charset=utf-8');
      return renderFreezeRequestsHtml(caseId, requests);
    }
    return { caseId, asOf: new Date().toISOString(), items: requests, nextCursor: null };
  }
}
