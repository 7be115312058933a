import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/validation';
import { DIGEST_FREQUENCIES, EMAIL_MENTIONS, type DigestFrequency, type EmailMentions } from '../mail-preferences.entity';

export class PreferencesView {
  @ApiProperty({ enum: EMAIL_MENTIONS, description: 'An e-mail when a mention or a reply is still unread after MENTION_EMAIL_DELAY_S' })
  emailMentions: EmailMentions;
  @ApiProperty({ enum: DIGEST_FREQUENCIES, description: 'A summary of what was not read, at DIGEST_HOUR (weekly: on Mondays)' })
  digest: DigestFrequency;
  @ApiProperty({ enum: EMAIL_MENTIONS, description: 'The e-mail reminder, with the .ics, the day before a session one registered for' })
  emailReminders: EmailMentions;
}

export class UpdatePreferencesDto {
  @ApiPropertyOptional({ enum: EMAIL_MENTIONS })
  @OptionalNotNull()
  @IsIn(EMAIL_MENTIONS)
  emailMentions?: EmailMentions;

  @ApiPropertyOptional({ enum: DIGEST_FREQUENCIES })
  @OptionalNotNull()
  @IsIn(DIGEST_FREQUENCIES)
  digest?: DigestFrequency;

  @ApiPropertyOptional({ enum: EMAIL_MENTIONS })
  @OptionalNotNull()
  @IsIn(EMAIL_MENTIONS)
  emailReminders?: EmailMentions;
}

export class UnsubscribeQuery {
  @ApiProperty({ description: 'The signed token of the e-mail’s List-Unsubscribe link' })
  @IsString()
  @MaxLength(500)
  token: string;
}
