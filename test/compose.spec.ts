import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { APP_NAMES, AppName, appEnvSchemas, ConsoleEnv, DEFAULT_DATABASE_URL, loadConsoleEnv, loadEnv, portVariable } from '@app/config';
import { parseArgs, portsFrom } from '../bench/src/config';

// docker-compose.yml must agree with what the apps read and what the image holds: a setting no
// schema reads, a value an app refuses at start-up, a port nobody listens on, a wait that
// `docker compose up --wait` cannot satisfy or an entry point the build does not produce is a stack
// that does not work, and nothing else notices before someone runs it.

const ROOT = join(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null>;
  /** short syntax: "[ip:][host:]container[/protocol]" */
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
}

// The stack's files: docker-compose.yml alone, or with the cluster file and the MySQL port file.
const FILES = ['docker-compose.yml', 'docker-compose.cluster.yml', 'docker-compose.mysql-port.yml'];
type Services = Record<string, Service>;

// Interpolation as compose does it: `${VAR:-default}` and `${VAR-default}` give the caller's
// variable when `vars` sets it, else the default; `$$` is a `$`; a `${VAR}` without a default is noted.
const withoutDefault: string[] = [];
function load(file: string, vars: Record<string, string> = {}): Services {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(
    /\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g,
    (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$$') return '$';
      if (fallback === undefined) withoutDefault.push(`${file}: \${${name}}`);
      return vars[name!] ?? fallback ?? '';
    },
  );
  return (parse(text, { merge: true }) as { services: Services }).services;
}
/** Files merged as `docker compose -f … -f …` does: environments by key, ports added. */
function stack(files: string[], vars: Record<string, string> = {}): Services {
  const merged: Services = {};
  for (const file of files) {
    for (const [name, s] of Object.entries(load(file, vars))) {
      const m = (merged[name] ??= {});
      Object.assign(m, s, { environment: { ...m.environment, ...s.environment }, ports: [...(m.ports ?? []), ...(s.ports ?? [])] });
    }
  }
  return merged;
}
const services = load('docker-compose.yml');
const names = Object.keys(services);
// Every host port variable of the files, each set to its own value: what `ORDER_HOST_PORT=… docker
// compose up` does with all of them.
const hostPortVariables = [...new Set(FILES.flatMap((f) => [...readFileSync(join(ROOT, f), 'utf8').matchAll(/\$\{(\w+_HOST_PORT)\b/g)].map((m) => m[1])))];
const moved = Object.fromEntries(hostPortVariables.map((v, i) => [v, String(40001 + i)]));
const stacks: Record<string, Services> = {
  'docker-compose.yml, defaults': stack(FILES.slice(0, 1)),
  'docker-compose.yml, every *_HOST_PORT set': stack(FILES.slice(0, 1), moved),
  'all files, defaults': stack(FILES),
  'all files, every *_HOST_PORT set': stack(FILES, moved),
};

const envOf = (name: string, from = services): Record<string, string> =>
  Object.fromEntries(Object.entries(from[name]?.environment ?? {}).map(([k, v]) => [k, String(v)]));
const portsOf = (name: string, from = services) =>
  (from[name]?.ports ?? []).map((p) => {
    const [target, published] = p.replace(/\/\w+$/, '').split(':').reverse().map(Number);
    return { target, published };
  });
const entryPoint = (name: string) => services[name]?.command?.at(-1);
/** The port the app listens on, as its own env loader reads the service's environment. */
const listenPort = (name: string): number =>
  name === 'console'
    ? loadConsoleEnv(envOf(name)).CONSOLE_PORT
    : Number((loadEnv(name as AppName, envOf(name)) as Record<string, unknown>)[portVariable(name as AppName)]);
/** `NAME://host:port` entries of a Kafka listener setting. */
const listeners = (value = '') =>
  value.split(',').map((entry) => {
    const [, name, host, port] = /^(\w+):\/\/([^:]*):(\d+)$/.exec(entry.trim()) ?? [];
    return { name, host, port: Number(port) };
  });

describe('docker-compose.yml', () => {
  it('has the infrastructure, the console and a service for every app, and no other service runs an app', () => {
    expect(names).toEqual(expect.arrayContaining(['kafka', 'mysql', 'migrate', 'kafka-ui', 'console', ...APP_NAMES]));
    expect(names.filter((n) => entryPoint(n)?.startsWith('dist/apps/')).sort()).toEqual([...APP_NAMES, 'console'].sort());
  });

  it("takes nothing from the caller's shell: every ${VAR} has a default, every variable a value", () => {
    const unset = names.flatMap((n) => Object.entries(services[n].environment ?? {}).filter(([, v]) => v === null).map(([k]) => `${n}: ${k}`));
    expect([...withoutDefault, ...unset]).toEqual([]);
  });

  describe.each(APP_NAMES)('app %s', (app) => {
    it('sets only settings its schema reads, the ones whose local defaults fail in a container, values loadEnv accepts', () => {
      const env = envOf(app);
      expect(Object.keys(env).filter((k) => !(k in appEnvSchemas[app].shape))).toEqual([]);
      const required = { HOST: '0.0.0.0', KAFKA_BROKERS: expect.any(String), DATABASE_URL: expect.any(String), [portVariable(app)]: expect.any(String) };
      expect(env).toMatchObject(required);
      expect(() => loadEnv(app, env)).not.toThrow();
    });

    it('starts once kafka is healthy and the migration has completed', () => {
      expect(services[app].depends_on).toMatchObject({
        kafka: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    });
  });

  it("console: sets only the console's settings, values it accepts, and each app's URL by service name and port", () => {
    const env = envOf('console');
    expect(Object.keys(env).filter((k) => !(k in ConsoleEnv.shape))).toEqual([]);
    expect(env.HOST).toBe('0.0.0.0');
    expect(() => loadConsoleEnv(env)).not.toThrow();
    const urls = APP_NAMES.map((app) => `${app.toUpperCase()}_URL=${env[`${app.toUpperCase()}_URL`]}`);
    expect(urls).toEqual(APP_NAMES.map((app) => `${app.toUpperCase()}_URL=http://${app}:${listenPort(app)}`));
  });

  describe.each([...APP_NAMES, 'console'])('%s service', (name) => {
    it(`runs dist/apps/${name}/src/main.js from the image migrate builds, with no build of its own`, () => {
      expect({ entryPoint: entryPoint(name), image: services[name].image, build: services[name].build }).toEqual({
        entryPoint: `dist/apps/${name}/src/main.js`,
        image: services.migrate.image,
        build: undefined,
      });
    });

    it('publishes and health-checks the port it listens on', () => {
      const port = listenPort(name);
      expect(portsOf(name)).toContainEqual({ target: port, published: expect.any(Number) });
      expect(services[name].healthcheck?.test?.join(' ')).toMatch(new RegExp(`http://(127\\.0\\.0\\.1|localhost):${port}/health\\b`));
    });
  });

  it('builds the image once, in migrate: a job that runs the migration CLI after mysql is healthy and then exits', () => {
    expect(names.filter((n) => services[n].build !== undefined)).toEqual(['migrate']);
    const migrate = services.migrate;
    expect(migrate.image).toEqual(expect.any(String));
    expect(entryPoint('migrate')).toBe('dist/libs/database/src/migrate/cli.js');
    expect(migrate.depends_on).toMatchObject({ mysql: { condition: 'service_healthy' } });
    expect([undefined, 'no']).toContain(migrate.restart);
  });

  it('only waits on what can happen: health of a service with a healthcheck, completion of a job that exits', () => {
    const problems = names.flatMap((n) =>
      Object.entries(services[n].depends_on ?? {}).flatMap(([dep, { condition }]) => {
        if (!services[dep]) return [`${n}: depends on ${dep}, which is not a service`];
        if (condition === 'service_healthy' && !services[dep].healthcheck) return [`${n}: waits for ${dep} to be healthy; it has no healthcheck`];
        if (condition === 'service_completed_successfully' && ![undefined, 'no'].includes(services[dep].restart)) {
          return [`${n}: waits for ${dep} to complete; it restarts (${services[dep].restart})`];
        }
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it.each(['all files, defaults', 'all files, every *_HOST_PORT set'])('publishes every host port at most once: %s', (which) => {
    const all = stacks[which];
    const owners = new Map<number, string[]>();
    for (const n of Object.keys(all)) {
      for (const { published } of portsOf(n, all)) if (published) owners.set(published, [...(owners.get(published) ?? []), n]);
    }
    expect([...owners].filter(([, services]) => services.length > 1)).toEqual([]);
  });

  it('publishes every host port through a *_HOST_PORT variable: set them all and no port stays where it was', () => {
    const all = stacks['all files, every *_HOST_PORT set'];
    const values = new Set(Object.values(moved).map(Number));
    const fixed = Object.keys(all).flatMap((n) => portsOf(n, all).filter((p) => !values.has(p.published)).map((p) => `${n}: ${p.published}:${p.target}`));
    expect(fixed).toEqual([]);
  });

  it("by default publishes none of the ports the project's local runs hold (npm start, the bench, the tests' Kafka container; a MySQL on 3306)", () => {
    const key = { AUTH_JWT_SECRET: 'k'.repeat(32) };
    const local = new Set([
      ...APP_NAMES.map((app) => Number((loadEnv(app, key) as Record<string, unknown>)[portVariable(app)])),
      loadConsoleEnv(key).CONSOLE_PORT,
      ...loadEnv('order', key).KAFKA_BROKERS.map((b) => Number(b.split(':')[1])),
      Number(new URL(DEFAULT_DATABASE_URL).port),
      3306,
      ...[[], ['--smoke']].flatMap((argv) => Object.values(portsFrom(parseArgs(argv, ROOT).basePort))),
      19092, // test/containers.ts publishes its Kafka there
    ]);
    const all = stacks['all files, defaults'];
    const taken = Object.keys(all).flatMap((n) => portsOf(n, all).filter((p) => local.has(p.published)).map((p) => `${n}: ${p.published}`));
    expect(taken).toEqual([]);
  });

  it('publishes MySQL only when asked, with docker-compose.mysql-port.yml, on the port the apps reach it at', () => {
    expect(portsOf('mysql')).toEqual([]);
    const optIn = load('docker-compose.mysql-port.yml');
    expect(Object.keys(optIn)).toEqual(['mysql']);
    const port = Number(new URL(envOf('order').DATABASE_URL).port || 3306);
    expect(portsOf('mysql', optIn)).toEqual([{ target: port, published: expect.any(Number) }]);
  });

  it("health-checks MySQL by logging in with the apps' user and password and running a query in their database", () => {
    // `mysqladmin ping` exits 0 on "Access denied": only a query proves the credentials work
    const [kind, ...command] = services.mysql.healthcheck?.test ?? [];
    const mysqlEnv = envOf('mysql');
    const shell = (kind === 'CMD-SHELL' ? command[0] : command.join(' ')).replace(/\$\{?(\w+)\}?/g, (_, v: string) => mysqlEnv[v] ?? '');
    const url = new URL(envOf('order').DATABASE_URL);
    expect(shell).toMatch(/^mysql\s/);
    expect(shell).toMatch(new RegExp(`\\s-u\\s*${url.username}\\s`));
    expect(shell).toContain(`-p"${decodeURIComponent(url.password)}"`);
    expect(shell).toMatch(/\s-e\s*'SELECT\b[^']*'/);
    expect(shell).toContain(`"${url.pathname.slice(1)}"`);
  });

  it("gives every DATABASE_URL the mysql service's host, port, credentials and database", () => {
    const mysql = envOf('mysql');
    const passwords: Record<string, string> = { root: mysql.MYSQL_ROOT_PASSWORD };
    if (mysql.MYSQL_USER) passwords[mysql.MYSQL_USER] = mysql.MYSQL_PASSWORD;
    const listening = portsOf('mysql')[0]?.target ?? 3306;
    const urls = ['migrate', ...APP_NAMES].map((n) => {
      const u = new URL(envOf(n).DATABASE_URL);
      return { n, host: u.hostname, port: Number(u.port || 3306), user: u.username, password: decodeURIComponent(u.password), database: u.pathname.slice(1) };
    });
    const expected = urls.map(({ n, user }) => ({ n, host: 'mysql', port: listening, user, password: passwords[user], database: mysql.MYSQL_DATABASE }));
    expect(urls).toEqual(expected);
  });

  it('points every Kafka client at a listener the broker advertises and binds', () => {
    const kafka = envOf('kafka');
    const advertised = listeners(kafka.KAFKA_ADVERTISED_LISTENERS);
    const bound = listeners(kafka.KAFKA_LISTENERS);
    const clients = [...APP_NAMES.map((app) => [app, envOf(app).KAFKA_BROKERS]), ['kafka-ui', envOf('kafka-ui').KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS]];
    const problems = clients.flatMap(([client, brokers]) =>
      (brokers ?? '').split(',').flatMap((broker) => {
        const listener = advertised.find((l) => `${l.host}:${l.port}` === broker.trim());
        if (!listener) return [`${client}: ${broker} is not an advertised listener`];
        if (!names.includes(listener.host)) return [`${client}: ${broker} is not a compose service`];
        if (!bound.some((b) => b.name === listener.name && b.port === listener.port)) {
          return [`${client}: listener ${listener.name} is not bound on ${listener.port}`];
        }
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it.each(Object.keys(stacks))("sends a host client to a published port: every broker's advertised host listener, %s", (which) => {
    const all = stacks[which];
    const problems = Object.keys(all).flatMap((n) => {
      const env = envOf(n, all);
      const bound = listeners(env.KAFKA_LISTENERS);
      return listeners(env.KAFKA_ADVERTISED_LISTENERS ?? '')
        .filter((l) => ['localhost', '127.0.0.1'].includes(l.host))
        .flatMap(({ name, host, port }) => {
          const target = bound.find((b) => b.name === name)?.port;
          return portsOf(n, all).some((p) => p.published === port && p.target === target) ? [] : [`${n}: ${name}://${host}:${port} is not published as ${port}:${target}`];
        });
    });
    expect(problems).toEqual([]);
  });

  it('keeps automatic topic creation off, so a misspelled topic fails instead of appearing with one partition', () => {
    expect(envOf('kafka').KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('builds every entry point the services run and ships it, with the migrations, in the runtime image', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toMatch(/\btsc -p tsconfig\.build\.json\b/);
    const build = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    })!;
    const { outDir, rootDir } = build.options;
    const built = new Set(build.fileNames.map((f) => relative(ROOT, join(outDir!, relative(rootDir!, f))).replace(/\.ts$/, '.js')));
    expect(names.map(entryPoint).filter((e) => e !== undefined && !built.has(e))).toEqual([]);
    const steps = [
      /RUN npm ci\b/,
      /npm run build\b/,
      /^WORKDIR \/app$/m, // the services' commands are relative to it
      /^COPY --from=\S+ \/app\/dist\/apps\b/m,
      /^COPY --from=\S+ \/app\/dist\/libs\b/m,
      /^COPY --from=\S+ \/app\/prisma\b/m, // the migration runner reads the SQL files at run time
    ];
    expect(steps.filter((re) => !re.test(dockerfile)).map(String)).toEqual([]);
  });

  it('checks every install against the lock; the runtime gets the production packages alone and checks every require resolves', () => {
    const stages = dockerfile.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
    const named = (name: string) => stages.find((s) => new RegExp(`^FROM \\S+ AS ${name}\\s`).test(s)) ?? '';
    const runs = (stage: string) => [...stage.matchAll(/^RUN ((?:.*\\\n)*.*)/gm)].map((m) => m[1].replace(/\s*\\\n\s*/g, ' '));
    // npm can exit 0 after failed fetches: only the check tells
    const installs = stages.flatMap(runs).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs.filter((r) => !/^npm ci\b.*&& node scripts\/check-install\.js tree\b/.test(r))).toEqual([]);
    const runtime = stages.at(-1)!;
    const modulesFrom = /^COPY --from=(\S+) \/app\/node_modules\b/m.exec(runtime)?.[1] ?? '';
    // without --omit=optional the Prisma CLI, TypeScript and Prisma Studio ("devOptional" in the lock) stay
    expect(runs(named(modulesFrom))).toContainEqual(expect.stringMatching(/^npm ci --omit=dev --omit=optional\b.*check-install\.js tree --omit=dev --omit=optional\b/));
    expect(runs(runtime)).toContain('node scripts/check-install.js requires dist/apps dist/libs');
  });

  it('runs as a non-root user', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1) ?? 'root').not.toMatch(/^(root|0)(:|$)/);
  });

  it("keeps the host's node_modules, dist, .local and .git out of the build context", () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(['node_modules', 'dist', '.local', '.git'].filter((p) => !ignored.includes(p))).toEqual([]);
  });
});
