import { Body, Controller, Get, HttpCode, MessageEvent, Post, Sse } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Races, RaceView, StartRace } from './races';

/** The race: start one (202), read the latest, or follow it live (`event: race` per snapshot). */
@ApiExcludeController()
@Controller('api/races')
export class RacesController {
  constructor(private readonly races: Races) {}

  @Post()
  @HttpCode(202)
  start(@Body({ schema: StartRace }) body: StartRace): RaceView {
    return this.races.start(body);
  }

  @Get('latest')
  latest(): RaceView {
    return this.races.latest();
  }

  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return this.races.stream();
  }
}
