import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditLogRepository } from '@scamflow/graph';
import { AppendAuditEntryService } from './append-audit-entry.service';
import { AuditInterceptor } from './audit.interceptor';

@Module({
  providers: [
    AuditLogRepository,
    AppendAuditEntryService,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditLogRepository],
})
export class AuditModule {}
