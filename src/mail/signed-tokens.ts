import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

export type TokenPurpose = 'unsubscribe' | 'calendar';

/**
 * Tokens that prove Essor issued them, for links used without signing in (one-click unsubscribe, a calendar feed):
 * the payload and an HMAC of it under a key derived from JWT_SECRET and the purpose, so a token of one kind is worth
 * nothing as another, and nothing secret is stored. Revocation is the payload's business (a version number).
 */
@Injectable()
export class SignedTokens {
  constructor(private readonly config: AppConfig) {}

  sign(purpose: TokenPurpose, payload: string): string {
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(purpose, payload).toString('base64url')}`;
  }

  /** The payload of a genuine token of that purpose, or null. */
  verify(purpose: TokenPurpose, token: string): string | null {
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const payload = Buffer.from(encoded, 'base64url').toString();
    const expected = this.mac(purpose, payload);
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
  }

  private mac(purpose: TokenPurpose, payload: string): Buffer {
    const key = createHmac('sha256', this.config.jwtSecret).update(`essor:${purpose}`).digest();
    return createHmac('sha256', key).update(payload).digest();
  }
}
