import { DomainError } from '@app/platform/domain-error';

export class UnknownServiceError extends DomainError {
  readonly code = 'UNKNOWN_SERVICE';
  readonly kind = 'NOT_FOUND';
  constructor(name: string) {
    super(`no service named ${name}`);
  }
}

export class MethodNotForwardedError extends DomainError {
  readonly code = 'METHOD_NOT_FORWARDED';
  readonly kind = 'INVALID';
  constructor(method: string) {
    super(`${method} is not forwarded (GET, POST and PUT are)`);
  }
}

export class RaceRunningError extends DomainError {
  readonly code = 'RACE_RUNNING';
  readonly kind = 'CONFLICT';
  constructor(id: string) {
    super(`a race is running (${id}); one at a time`);
  }
}

export class NoRaceError extends DomainError {
  readonly code = 'NO_RACE';
  readonly kind = 'NOT_FOUND';
  constructor() {
    super('no race has been started');
  }
}
