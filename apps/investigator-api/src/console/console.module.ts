import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { CONSOLE_DIST_DIR } from './console-bundle';
import { consoleStaticMiddleware } from './console-static.middleware';

/** The investigator console (apps/investigator-console), served as static files at /console/. */
@Module({})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(consoleStaticMiddleware(CONSOLE_DIST_DIR))
      .forRoutes(
        { path: 'console', method: RequestMethod.GET },
        { path: 'console/{*path}', method: RequestMethod.GET },
      );
  }
}
