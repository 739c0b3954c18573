import { LogLevel } from '@nestjs/common';

/** The Nest log levels each LOG_LEVEL setting lets through (the apps' and the console's loggers). */
export const LOG_LEVELS: Record<'debug' | 'info' | 'warn' | 'error', LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};
