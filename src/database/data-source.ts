import 'reflect-metadata';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions, createDataSource } from './data-source-options';

/** For the TypeORM CLI (npm run migration:run / migration:generate): the database of DATABASE_URL. */
export default createDataSource(buildDataSourceOptions(AppConfig.fromEnvironment().database));
