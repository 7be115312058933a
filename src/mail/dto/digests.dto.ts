import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RunDigestsDto {
  @ApiPropertyOptional({ description: 'Every digest that has something to say, whatever the hour or the last one sent' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class DigestRunView {
  @ApiProperty({ description: 'Digests planned (people with something to read)' }) digests: number;
  @ApiProperty({ description: 'Of those, sent before answering' }) sent: number;
  @ApiProperty({ description: 'Of those, refused by the SMTP server this time: retried later with backoff' }) failed: number;
}
