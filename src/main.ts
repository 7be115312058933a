import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { ConfigurationError } from './config/environment';
import { SeedService } from './seed/seed.service';
import { FirstAdminService } from './startup/first-admin.service';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), APP_OPTIONS);
  configureApp(app);
  // runs the migrations (Database.onModuleInit) before the seed and the first admin need the tables
  await app.init();
  if (config.seed) await app.get(SeedService).run();
  const admin = await app.get(FirstAdminService).ensure();

  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  const adminLine = app.get(FirstAdminService).report(admin);
  const banner = [
    `Essor est prêt : ${url}`,
    `  API : ${url}/api · documentation : ${url}/api/docs · base : ${config.database.type}`,
    ...(adminLine ? [`  ${adminLine}`] : []),
  ];
  // pino writes asynchronously: let the start-up lines out first, so the banner is the last thing a newcomer reads
  setTimeout(() => process.stdout.write(`\n${banner.join('\n')}\n\n`), 250);
}

void bootstrap();
