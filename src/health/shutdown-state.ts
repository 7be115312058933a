import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** Once shutdown begins, health answers 503 so a load balancer stops sending new clients here. */
@Injectable()
export class ShutdownState {
  private draining = false;

  constructor(private readonly indicator: HealthIndicatorService) {}

  get isDraining(): boolean {
    return this.draining;
  }

  beginDraining(): void {
    this.draining = true;
  }

  check(): HealthIndicatorResult {
    const indicator = this.indicator.check('instance');
    return this.draining ? indicator.down({ state: 'draining' }) : indicator.up({ state: 'serving' });
  }
}
