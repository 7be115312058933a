import { BadRequestException, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ExpiringCache } from '../common/expiring-cache';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { InvitationsService } from '../invitations/invitations.service';
import { Metropolis } from '../metropolises/metropolis.entity';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.view';
import { UsersService } from '../users/users.service';
import { AuthResponse, ChangePasswordDto, LoginDto, PasswordChangedView, RegisterDto } from './dto/auth.dto';
import { PasswordHasher } from './password-hasher';
import { SignInBackoff } from './sign-in-backoff';

interface TokenClaims {
  sub: string;
  /** The account's tokenVersion when the token was issued; tokens from before this field count as version 0. */
  ver: number;
  /** Expiry, in seconds since the epoch: checked again at each use of a verified token. */
  exp: number;
}

const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

@Injectable()
export class AuthService {
  private readonly verified = new ExpiringCache<string, TokenClaims>(VERIFIED_TOKEN_TTL_MS, VERIFIED_TOKENS_KEPT);
  /** Verified against when the email is unknown, so both failures take the same time. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
    private readonly hasher: PasswordHasher,
    private readonly database: Database,
    private readonly backoff: SignInBackoff,
  ) {
    this.decoyHash = hasher.hash('essor-decoy-password');
  }

  async login({ email, password }: LoginDto): Promise<AuthResponse> {
    // by address, known or not: the backoff must not tell which addresses have an account
    const failuresOnRecord = await this.backoff.assertOpen(email);
    const user = await this.users.findByEmail(email);
    const valid = await this.hasher.verify(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !valid) {
      await this.backoff.failed(email);
      throw new UnauthorizedException('Adresse e-mail ou mot de passe incorrect.');
    }
    await this.backoff.succeeded(email, failuresOnRecord);
    if (user.disabled) throw new ForbiddenException('Ce compte est désactivé.');
    return this.issue(user);
  }

  /** Checks the current password (under the same backoff as sign-in), then sets the new one: older tokens stop working. */
  async changePassword(user: User, { currentPassword, newPassword }: ChangePasswordDto): Promise<PasswordChangedView> {
    const failuresOnRecord = await this.backoff.assertOpen(user.email);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      await this.backoff.failed(user.email);
      throw new ForbiddenException('currentPassword : le mot de passe actuel est incorrect.');
    }
    await this.backoff.succeeded(user.email, failuresOnRecord);
    return { accessToken: this.issue(await this.setPassword(user.id, newPassword)).accessToken };
  }

  /**
   * The one way a password changes, by the person (changePassword) or by a reset: hashed, stored and the account's
   * token version raised in one write, so every token issued before stops working at once. Returns the account.
   */
  async setPassword(userId: string, password: string): Promise<User> {
    return this.users.setPasswordHash(userId, await this.hasher.hash(password));
  }

  async register(dto: RegisterDto): Promise<AuthResponse> {
    if (this.config.registrationMode === 'invitation' && !dto.invitationCode) {
      throw new BadRequestException(['invitationCode est obligatoire : l’inscription se fait sur invitation.']);
    }
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.database.write(async (manager) => {
      if (dto.invitationCode) {
        const invitation = await this.invitations.redeem(manager, dto.invitationCode, dto.email);
        const created = await this.users.create(manager, {
          email: dto.email,
          passwordHash,
          displayName: dto.displayName,
          role: invitation.role,
          metropolisId: invitation.metropolisId,
        });
        await this.invitations.markUsed(manager, invitation, created);
        return created;
      }
      if (dto.metropolisId && !(await manager.existsBy(Metropolis, { id: dto.metropolisId }))) {
        throw new NotFoundException('Métropole introuvable.');
      }
      return this.users.create(manager, {
        email: dto.email,
        passwordHash,
        displayName: dto.displayName,
        role: 'participant',
        metropolisId: dto.metropolisId ?? null,
      });
    });
    return this.issue(user);
  }

  /** The enabled user a token stands for, or null: the same check for HTTP requests and live connections. */
  async authenticate(token: string): Promise<User | null> {
    const claims = this.verified.get(token) ?? (await this.verify(token));
    if (!claims || claims.exp * 1000 <= Date.now()) return null;
    const user = await this.users.findForAuthentication(claims.sub, claims.ver);
    return user && !user.disabled && user.tokenVersion === claims.ver ? user : null;
  }

  /** Checks the signature once; a client sends the same token with every request, so the result is kept a while. */
  private async verify(token: string): Promise<TokenClaims | null> {
    let claims: Partial<TokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<TokenClaims>>(token);
    } catch {
      return null;
    }
    const ver = claims.ver ?? 0;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !Number.isSafeInteger(ver)) return null;
    const kept = { sub: claims.sub, exp: claims.exp, ver };
    this.verified.set(token, kept);
    return kept;
  }

  issue(user: User): AuthResponse {
    return { accessToken: this.jwt.sign({ sub: user.id, ver: user.tokenVersion }), user: toUserView(user) };
  }
}
