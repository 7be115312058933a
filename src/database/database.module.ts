import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions, createDataSource } from './data-source-options';
import { Database } from './database.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // migrations run in Database.onModuleInit, under a lock on PostgreSQL
      useFactory: (config: AppConfig) => buildDataSourceOptions(config.database),
      dataSourceFactory: (options) => createDataSource(options!).initialize(),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
