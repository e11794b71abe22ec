import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Driver } from 'neo4j-driver';
import { NEO4J_DATABASE, NEO4J_DRIVER } from '@scamflow/graph';
import { Public } from '../auth/roles.decorator';
import { NoAudit } from '../audit/audit.decorators';
import { ProblemException } from '../http/problem';

/** Open probes for load balancers and orchestrators: no data, no token, no audit entry. */
@ApiTags('health')
@Controller('health')
@Public()
@NoAudit()
export class HealthController {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the store answers (the driver reaches a server serving the API's database; no query). */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; neo4j: 'up' }> {
    try {
      await this.driver.verifyConnectivity({ database: this.database });
    } catch {
      throw new ProblemException(503, 'Service unavailable', 'the graph store does not answer');
    }
    return { status: 'ok', neo4j: 'up' };
  }
}
