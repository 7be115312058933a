import { Body, Controller, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { escapeHtml } from '../mail/mail-templates';
import { User } from '../users/user.entity';
import { PreferencesView, UnsubscribeQuery, UpdatePreferencesDto } from './dto/preferences.dto';
import { PreferencesService } from './preferences.service';

@ApiTags('preferences')
@Controller()
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get('me/preferences')
  @ApiBearerAuth()
  @ApiOkResponse({ type: PreferencesView })
  get(@CurrentUser() user: User): Promise<PreferencesView> {
    return this.preferences.get(user);
  }

  @Patch('me/preferences')
  @ApiBearerAuth()
  @ApiOkResponse({ type: PreferencesView })
  update(@CurrentUser() user: User, @Body() dto: UpdatePreferencesDto): Promise<PreferencesView> {
    return this.preferences.update(user, dto);
  }

  /** A link opened in a browser (or fetched by a mail scanner) only asks: turning mail off takes the POST. */
  @Public()
  @Get('unsubscribe')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A French page with one button that confirms (the POST below)' })
  @ApiBadRequestResponse({ description: 'The token is not one Essor signed' })
  confirm(@Query() { token }: UnsubscribeQuery, @Res({ passthrough: true }) response: Response): string {
    const label = this.preferences.describeUnsubscribe(token);
    return page(
      response,
      'Se désabonner',
      `<p>Ne plus recevoir ${escapeHtml(label)} ?</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Me désabonner</button></form>`,
    );
  }

  /** RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` here, without signing in. */
  @Public()
  @Post('unsubscribe')
  @HttpCode(200)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'That kind of e-mail is off for the person the token names; a French page says so' })
  @ApiBadRequestResponse({ description: 'The token is not one Essor signed' })
  async unsubscribe(@Query() { token }: UnsubscribeQuery, @Res({ passthrough: true }) response: Response): Promise<string> {
    const label = await this.preferences.unsubscribe(token);
    return page(
      response,
      'Désabonnement enregistré',
      `<p>Vous ne recevrez plus ${escapeHtml(label)}. Vous pouvez changer d’avis dans vos préférences sur Essor.</p>`,
    );
  }
}

/** A small French page; set as HTML here, once the token was accepted, so that a refusal keeps the JSON error shape. */
function page(response: Response, title: string, body: string): string {
  response.type('html');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · Essor</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
