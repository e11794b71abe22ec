import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditLogRepository } from '@scamflow/graph';
import { AppendAuditEntryService } from './append-audit-entry.service';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { VerifyAuditChainService } from './verify-audit-chain.service';

@Module({
  controllers: [AuditController],
  providers: [
    VerifyAuditChainService,
    AuditLogRepository,
    AppendAuditEntryService,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditLogRepository, VerifyAuditChainService, AppendAuditEntryService],
})
export class AuditModule {}
