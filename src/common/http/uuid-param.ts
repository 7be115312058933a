import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';

/** A route id: a malformed one is a 400, as the contract asks, before any lookup. */
export const UuidParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} doit être un UUID.`) }));
