import { Injectable } from '@nestjs/common';
import { PreferencesService, type UnsubscribeKind } from '../preferences/preferences.service';
import { layout, unsubscribeHeaders } from './mail-templates';
import { PublicLinks } from './public-links';

export interface ComposedMail {
  html: string;
  text: string;
  headers: Record<string, string>;
}

/**
 * Puts a mail's content in Essor's frame for one person: the greeting, why they get it, a link to their preferences,
 * and for a kind of mail one can turn off, the signed one-click link and its List-Unsubscribe headers (RFC 8058).
 */
@Injectable()
export class MailComposer {
  constructor(
    private readonly links: PublicLinks,
    private readonly preferences: PreferencesService,
  ) {}

  compose(
    to: { userId: string; name: string },
    content: { html: string; text: string; footer: string },
    unsubscribe?: UnsubscribeKind,
  ): ComposedMail {
    const unsubscribeUrl = unsubscribe ? this.links.unsubscribe(this.preferences.unsubscribeToken(to.userId, unsubscribe)) : undefined;
    return {
      ...layout({ greetingName: to.name, ...content, unsubscribeUrl, settingsUrl: this.links.settings() }),
      headers: unsubscribeUrl ? unsubscribeHeaders(unsubscribeUrl) : {},
    };
  }
}
