import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { IdentifierSchema, ROLE_MATRIX } from '@scamflow/contracts';
import { InvestigationRepository } from '@scamflow/graph';
import { recordAuditSubjects } from '../audit/audit-subjects';
import { Roles } from '../auth/roles.decorator';
import { CasePathSchema } from '../cases/case-intake.schema';
import { LoadCaseFilingService } from '../cases/load-case-filing.service';
import { ProblemException } from '../http/problem';
import { parseInput } from '../http/zod-input';
import { ExportGoamlService } from './export-goaml.service';

const AlertPathSchema = z.strictObject({ alertId: IdentifierSchema });

/** Sets the download headers and returns the XML: returned, not sent, so the audit entry is appended first. */
const xmlDownload = (response: Response, xml: string, name: string): string => {
  response
    .type('application/xml; charset=utf-8')
    .attachment(`${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120)}.goaml.xml`);
  return xml;
};

/**
 * goAML exports. Exporting is the supervisor's approval: only a supervisor downloads a report (ROLE_MATRIX),
 * and the audit log records who exported which alert or case.
 */
@ApiTags('filings')
@Controller()
export class FilingsController {
  constructor(
    @Inject(InvestigationRepository) private readonly investigation: InvestigationRepository,
    @Inject(LoadCaseFilingService) private readonly loadCase: LoadCaseFilingService,
    @Inject(ExportGoamlService) private readonly goaml: ExportGoamlService,
  ) {}

  @Get('alerts/:alertId/goaml.xml')
  @Roles(...ROLE_MATRIX['GET /alerts/:alertId/goaml.xml'])
  @ApiOperation({
    summary: "goAML report of an alert's latest version (supervisor approval)",
    description:
      'STR with the traced transactions for proceeds alerts, SAR with an activity for mule alerts.',
  })
  @ApiProduces('application/xml')
  async alert(
    @Param() params: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { alertId } = parseInput(AlertPathSchema, params, 'path');
    const alert = await this.investigation.latestAlert(alertId);
    if (!alert) throw new ProblemException(404, 'Not found', `alert ${alertId} is not in the inbox`);
    const xml = await this.goaml.ofAlert(alert);
    recordAuditSubjects(request, { alerts: [alertId], accounts: alert.involved.map((a) => a.accountKey) });
    return xmlDownload(response, xml, `${alertId}-v${alert.version}`);
  }

  @Get('cases/:caseId/goaml.xml')
  @Roles(...ROLE_MATRIX['GET /cases/:caseId/goaml.xml'])
  @ApiOperation({ summary: "goAML STR of a case's traced transactions (supervisor approval)" })
  @ApiProduces('application/xml')
  async case(
    @Param() params: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { caseId } = parseInput(CasePathSchema, params, 'path');
    const { filing } = await this.loadCase.execute(caseId);
    const xml = await this.goaml.ofCase(filing);
    recordAuditSubjects(request, {
      cases: [caseId],
      alerts: filing.alert ? [filing.alert.alertId] : [],
      accounts: filing.report.victimAccountKeys,
    });
    return xmlDownload(response, xml, caseId);
  }
}
