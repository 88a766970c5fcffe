import { Module } from '@nestjs/common';
import { UsersRepository } from '../users/users.repository';
import { SessionAuthenticator } from './session-authenticator';
import { SessionStore } from './session-store';
import { SessionsHttpController } from './sessions.http-controller';
import { SessionsService } from './sessions.service';
import { SignInLimiter } from './sign-in-limiter';

/** Console sign-in: users' sessions in Redis, and the session credential path of the guard. */
@Module({
  controllers: [SessionsHttpController],
  providers: [UsersRepository, SessionStore, SignInLimiter, SessionAuthenticator, SessionsService],
  exports: [SessionAuthenticator, UsersRepository],
})
export class SessionsModule {}
