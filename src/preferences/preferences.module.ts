import { Module } from '@nestjs/common';
import { PublicLinks } from '../mail/public-links';
import { SignedTokens } from '../mail/signed-tokens';
import { PreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';

/** E-mail preferences and the signed links used without signing in (unsubscribe, calendar feed). */
@Module({
  controllers: [PreferencesController],
  providers: [PreferencesService, SignedTokens, PublicLinks],
  exports: [PreferencesService, SignedTokens, PublicLinks],
})
export class PreferencesModule {}
