import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { WATCH_LEVELS, type WatchLevel } from '../thread-watch.entity';

/** Above any seq a thread can reach, and within a 32-bit integer column. */
const MAX_SEQ = 2_000_000_000;

export class MarkThreadReadDto {
  @ApiProperty({ minimum: 0, description: 'The highest seq seen; above the last post it is clamped to it, below the marker it changes nothing' })
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  seq: number;
}

export class LastReadSeqView {
  @ApiProperty() lastReadSeq: number;
}

export class WatchThreadDto {
  @ApiProperty({ enum: WATCH_LEVELS, description: 'watching: every post; normal: mentions and direct replies; muted: mentions only' })
  @IsIn(WATCH_LEVELS)
  level: WatchLevel;
}

export class WatchLevelView {
  @ApiProperty({ enum: WATCH_LEVELS }) level: WatchLevel;
}
