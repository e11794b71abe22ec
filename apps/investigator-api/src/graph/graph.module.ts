import { Module } from '@nestjs/common';
import { InvestigationRepository, TraceQueryRepository } from '@scamflow/graph';
import { GraphController } from './graph.controller';

/** Investigators' graph queries (profile, trace, paths) and their exports. */
@Module({
  controllers: [GraphController],
  providers: [InvestigationRepository, TraceQueryRepository],
  exports: [InvestigationRepository],
})
export class GraphModule {}
