import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository } from '@scamflow/graph';
import { ROLE_MATRIX } from '@scamflow/contracts';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../http/api-problems.decorator';
import { parseInput } from '../http/zod-input';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { ApiZodQuery } from '../openapi/zod-openapi';
import { ListAuditQuerySchema } from './audit.schema';

const parseParams = (params: string): unknown => {
  try {
    return JSON.parse(params) as unknown;
  } catch {
    return params;
  }
};

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(AuditLogRepository) private readonly auditLog: AuditLogRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  @Get()
  @Roles(...ROLE_MATRIX['GET /audit'])
  @ApiOperation({
    summary: 'The hash-chained audit log, newest first',
    description:
      'One entry per request that read or changed data: who, role, institution, route and parameters, result ' +
      'code, when, and the accounts/alerts/cases it returned, with seq, prevHash and hash. ' +
      '`npm run audit:verify` recomputes the chain.',
  })
  @ApiZodQuery(ListAuditQuerySchema)
  @ApiOkResponse({ description: '{ items, nextCursor, head }' })
  @ApiProblems(400)
  async list(@Query() rawQuery: unknown): Promise<object> {
    const query = parseInput(ListAuditQuerySchema, rawQuery, 'query');
    const chainId = this.config.API_AUDIT_CHAIN_ID;
    const limit = query.limit ?? this.config.API_DEFAULT_PAGE_SIZE;
    const [rows, head] = await Promise.all([
      this.auditLog.list({
        chainId,
        limit: limit + 1,
        ...(query.cursor ? { beforeSeq: Number(query.cursor) } : {}),
        ...(query.sub ? { sub: query.sub } : {}),
        ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
        ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
      }),
      this.auditLog.head(chainId),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((entry) => ({ ...entry, params: parseParams(entry.params) })),
      nextCursor: rows.length > limit && last ? String(last.seq) : null,
      head: head ?? null,
    };
  }
}
