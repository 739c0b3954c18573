import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Post, Sse } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ApiErrors, ApiEventStream } from '@app/platform/api-responses';
import { CurrentPrincipal, Public, Roles } from '@app/platform/auth/auth.decorators';
import { Principal } from '@app/platform/auth/principal';
import { bearer } from '@app/platform/auth/authenticate';
import { Races, RaceView, StartRace } from './races';

/** The race: start one (202), read the latest, or follow it live (`event: race` per snapshot). */
@ApiTags('console')
@Controller('api/races')
export class RacesController {
  constructor(private readonly races: Races) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ standardSchema: RaceView, description: 'The race started (phase creating users); follow it on /api/races/stream.' })
  @Roles('operator')
  @ApiErrors(400, { 409: 'RACE_RUNNING (one race at a time)' })
  start(@Body({ schema: StartRace }) body: StartRace, @CurrentPrincipal() _operator: Principal, @Headers('authorization') authorization: string): RaceView {
    // the race acts with the caller's own token: it creates what an operator may, nothing more
    return this.races.start(body, bearer(authorization) ?? '');
  }

  @Get('latest')
  @Public()
  @ApiOkResponse({ standardSchema: RaceView, description: "The latest race's latest snapshot." })
  @ApiErrors({ 404: 'NO_RACE' })
  latest(): RaceView {
    return this.races.latest();
  }

  @Sse('stream')
  @Public()
  @ApiEventStream({ event: 'race', data: RaceView, description: 'The latest race at once (if any), then every snapshot, until the client goes.' })
  stream(): Observable<MessageEvent> {
    return this.races.stream();
  }
}
