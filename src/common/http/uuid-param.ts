import { Param, ParseUUIDPipe } from '@nestjs/common';

/** A route id: a malformed one is a 400, as the contract asks, before any lookup. */
export const UuidParam = (name = 'id') => Param(name, new ParseUUIDPipe({ errorHttpStatusCode: 400 }));
