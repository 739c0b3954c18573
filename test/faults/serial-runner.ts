import TestRunner from 'jest-runner';

/**
 * Jest's runner, but serial: the fault suites kill and restart the run's one private broker and
 * database, so two of them must never run at once. `maxWorkers`/`--runInBand` apply to a whole
 * run, not to one project; a runner that says isSerial makes Jest run this project's files one
 * by one, in band, before or after the other projects' files, never beside them.
 */
export default class SerialRunner extends TestRunner {
  override readonly isSerial = true;
}
