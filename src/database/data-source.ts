import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (npm run migration:run / migration:generate): the database of DATABASE_URL. */
export default new DataSource(buildDataSourceOptions(AppConfig.fromEnvironment().database));
