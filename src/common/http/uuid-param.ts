import { ArgumentMetadata, BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';

/** ParseUUIDPipe, then the id in lower case, as Essor writes ids (SQLite compares text exactly). */
class CanonicalUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await super.transform(value, metadata)).toLowerCase();
  }
}

/** A route id: a malformed one is a 400, as the contract asks, before any lookup; one in upper case is the same id. */
export const UuidParam = (name = 'id') =>
  Param(name, new CanonicalUuidPipe({ exceptionFactory: () => new BadRequestException(`${name} doit être un UUID.`) }));
