// The part of autocannon's API the bench uses (the package ships no types).
declare module 'autocannon' {
  import { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: string;
    path?: string;
    body?: string;
    headers?: Record<string, string>;
  }

  interface AutocannonRequestSpec extends AutocannonRequest {
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    onResponse?: (status: number, body: string) => void;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    amount?: number;
    duration?: number;
    /** seconds */
    timeout?: number;
    /** ms between samples (default 1000); a run with `amount` ends on this tick */
    sampleInt?: number;
    headers?: Record<string, string>;
    requests?: AutocannonRequestSpec[];
  }

  interface AutocannonResult {
    errors: number;
    timeouts: number;
    non2xx: number;
  }

  interface AutocannonInstance extends EventEmitter {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this;
  }

  function autocannon(
    options: AutocannonOptions,
    callback: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;
  export = autocannon;
}
