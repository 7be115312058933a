import { Module } from '@nestjs/common';
import { SeedModule } from '../seed/seed.module';
import { FirstAdminService } from './first-admin.service';

@Module({ imports: [SeedModule], providers: [FirstAdminService], exports: [FirstAdminService] })
export class StartupModule {}
