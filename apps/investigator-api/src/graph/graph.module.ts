import { Module } from '@nestjs/common';
import { InvestigationRepository, TraceQueryRepository } from '@scamflow/graph';
import { GraphController } from './graph.controller';
import { TraversalGate } from './traversal-gate';

/** Investigators' graph queries (profile, trace, paths) and their exports. */
@Module({
  controllers: [GraphController],
  providers: [InvestigationRepository, TraceQueryRepository, TraversalGate],
  exports: [InvestigationRepository],
})
export class GraphModule {}
