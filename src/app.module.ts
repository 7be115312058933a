import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { LoggerModule } from 'nestjs-pino';
import type { Response } from 'express';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { CLIENT_DIST, clientCacheControl } from './client-assets/client-assets';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { InvitationsModule } from './invitations/invitations.module';
import { LiveModule } from './live/live.module';
import { MailModule } from './mail/mail.module';
import { MetropolisesModule } from './metropolises/metropolises.module';
import { ModerationModule } from './moderation/moderation.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PollsModule } from './polls/polls.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PostsModule } from './posts/posts.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { PracticesModule } from './practices/practices.module';
import { SearchModule } from './search/search.module';
import { SeedModule } from './seed/seed.module';
import { ShutdownModule } from './shutdown/shutdown.module';
import { SessionsModule } from './sessions/sessions.module';
import { StartupModule } from './startup/startup.module';
import { ThreadsModule } from './threads/threads.module';
import { TopicsModule } from './topics/topics.module';
import { UsersModule } from './users/users.module';
import { WhatsNewModule } from './whats-new/whats-new.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Express 5 path syntax; the default '*' makes Nest warn about a legacy route at every start. Request logs
          // are written at info: above that level the middleware would cost every request for nothing.
          forRoutes: logsRequests(config.logLevel) ? [{ path: '{*path}', method: RequestMethod.ALL }] : [],
          pinoHttp: {
            level: config.logLevel,
            autoLogging: { ignore: (request) => request.url === '/api/health' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            transport:
              config.nodeEnv === 'development' && process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        DatabaseModule,
        EventsModule,
        AuditModule,
        RateLimitsModule.forRoot(config),
        // the files themselves are served by clientAssets (app.setup.ts); this answers other paths with index.html
        ServeStaticModule.forRoot({
          rootPath: CLIENT_DIST,
          exclude: ['/api/{*path}', '/socket.io/{*path}'],
          serveStaticOptions: { setHeaders: (response: Response, path: string) => response.setHeader('Cache-Control', clientCacheControl(path)) },
        }),
        HealthModule,
        AuthModule,
        UsersModule,
        InvitationsModule,
        MetropolisesModule,
        TopicsModule,
        ThreadsModule,
        PostsModule,
        ModerationModule,
        PracticesModule,
        SessionsModule,
        PollsModule,
        LiveModule,
        ShutdownModule,
        SearchModule,
        ExportsModule,
        AttachmentsModule,
        SeedModule,
        StartupModule,
        NotificationsModule,
        WhatsNewModule,
        PreferencesModule,
        MailModule,
        CalendarModule,
        PasswordResetModule,
      ],
    };
  }
}

function logsRequests(level: AppConfig['logLevel']): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}
