import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrors } from '../api-responses';
import { Public } from './auth.decorators';
import { Role } from './principal';
import { TokenService } from './token-service';

/** Up to 20,000 subjects at once: a race signs in all its users with one call. */
export const DevTokensBody = z.strictObject({
  subjects: z.array(z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, '1-64 letters, digits or _.@-')).min(1).max(20_000),
  roles: z.array(Role).min(1).default(['user']),
});
export type DevTokensBody = z.output<typeof DevTokensBody>;

export const DevTokens = z.object({ tokens: z.array(z.string()), expiresAt: z.iso.datetime() }).meta({ id: 'DevTokens' });
export type DevTokens = z.infer<typeof DevTokens>;

/**
 * The demo's sign-in, served only while AUTH_DEV_TOKENS=on (never with NODE_ENV=production by
 * default): a token per subject with the roles asked for. A real deployment gets its tokens from
 * an identity provider that signs with the same key (or swaps TokenService for its keys).
 */
@ApiTags('auth')
@Controller('auth/dev-tokens')
export class DevTokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ standardSchema: DevTokens, description: 'One token per subject, in order, all valid until expiresAt.' })
  @ApiErrors(400)
  issue(@Body({ schema: DevTokensBody }) body: DevTokensBody): DevTokens {
    let expiresAt = '';
    const tokens = body.subjects.map((subject) => {
      const signed = this.tokens.sign({ subject, roles: body.roles });
      expiresAt = signed.expiresAt;
      return signed.token;
    });
    return { tokens, expiresAt };
  }
}
