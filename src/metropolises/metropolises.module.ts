import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Metropolis } from './metropolis.entity';
import { MetropolisesController } from './metropolises.controller';
import { MetropolisesService } from './metropolises.service';

@Module({
  imports: [TypeOrmModule.forFeature([Metropolis])],
  controllers: [MetropolisesController],
  providers: [MetropolisesService],
  exports: [MetropolisesService],
})
export class MetropolisesModule {}
