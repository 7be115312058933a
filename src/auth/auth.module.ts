import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InvitationsModule } from '../invitations/invitations.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PasswordController } from './password.controller';
import { PasswordHasher } from './password-hasher';
import { SignInBackoff } from './sign-in-backoff';

const TOKEN_LIFETIME = '7d';

@Global()
@Module({
  imports: [
    UsersModule,
    InvitationsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      // A KeyObject, not the string: jsonwebtoken otherwise tries to parse the string as a public key (and fails) at every verification
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtSecret)),
        signOptions: { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, PasswordController],
  providers: [AuthService, PasswordHasher, SignInBackoff, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, PasswordHasher],
})
export class AuthModule {}
