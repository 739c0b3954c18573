import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import {
  APP_NAMES,
  AppName,
  appEnvSchemas,
  ConsoleEnv,
  loadConsoleEnv,
  loadEnv,
  portVariable,
  SERVICES,
} from "@app/config";

// docker-compose.yml must agree with the apps' own env schemas: a setting the apps do not read,
// a port that differs from the one the app listens on, or a value the app would refuse at
// start-up is a stack that silently does not work. Each check collects readable problems
// ("<service>: <variable> ...") and expects none, so a failure names what is wrong.

const ROOT = join(__dirname, "..");
const COMPOSE_FILE = join(ROOT, "docker-compose.yml");

type Dict = Record<string, unknown>;
interface Service extends Dict {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Dict | string[];
  ports?: Array<string | number | Dict>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
}

/** The compose file, with `<<: *anchor` merges resolved (compose resolves them too). */
function loadCompose(): { services: Record<string, Service> } & Dict {
  const doc = parse(readFileSync(COMPOSE_FILE, "utf8"), {
    merge: true,
  }) as Dict;
  return doc as { services: Record<string, Service> } & Dict;
}

/** Compose interpolation, as far as this file may use it: ${VAR:-default}, ${VAR-default}, $$. */
function interpolate(value: string, where: string, problems: string[]): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g,
    (match, name, def) => {
      if (match === "$$") return "$";
      if (def === undefined) {
        problems.push(
          `${where}: uses \${${name}} without a default, so the stack depends on the caller's shell`,
        );
        return "";
      }
      return def;
    },
  );
}

/** A service's environment as strings, from either the map or the list form. */
function envOf(
  service: Service,
  name: string,
  problems: string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = service.environment ?? {};
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((line) => {
        const i = String(line).indexOf("=");
        return i < 0
          ? [String(line), undefined]
          : [String(line).slice(0, i), String(line).slice(i + 1)];
      })
    : Object.entries(raw);
  for (const [key, value] of entries) {
    if (value === undefined || value === null) {
      problems.push(
        `${name}: ${key} has no value (it would be taken from the caller's shell)`,
      );
      continue;
    }
    out[key] = interpolate(String(value), `${name}: ${key}`, problems);
  }
  return out;
}

interface PortMapping {
  published?: number;
  target: number;
}

/** Short ("[ip:]host:container[/proto]") and long ({ target, published }) port syntax. */
function portsOf(
  service: Service,
  name: string,
  problems: string[],
): PortMapping[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === "object") {
      return {
        target: Number(p.target),
        published: p.published === undefined ? undefined : Number(p.published),
      };
    }
    const parts = interpolate(String(p), `${name}: ports`, problems)
      .replace(/\/(tcp|udp)$/, "")
      .split(":");
    const target = Number(parts[parts.length - 1]);
    const published =
      parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
    return { target, published };
  });
}

const asText = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v.join(" ") : (v ?? "");

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps))
    return Object.fromEntries(deps.map((d) => [d, "service_started"]));
  return Object.fromEntries(
    Object.entries(deps).map(([k, v]) => [
      k,
      v?.condition ?? "service_started",
    ]),
  );
}

interface MysqlUrl {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

function parseMysqlUrl(url: string): MysqlUrl {
  const u = new URL(url);
  return {
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    host: u.hostname,
    port: Number(u.port || 3306),
    database: u.pathname.replace(/^\//, ""),
  };
}

/** `NAME://host:port` entries of a Kafka listener setting. */
function listeners(
  value: string | undefined,
): Array<{ name: string; host: string; port: number }> {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([A-Za-z_]+):\/\/([^:]*):(\d+)$/.exec(s);
      return m
        ? { name: m[1], host: m[2], port: Number(m[3]) }
        : { name: s, host: "", port: NaN };
    });
}

const compose = loadCompose();
const services = compose.services ?? {};
const KAFKA = "kafka";
const MYSQL = "mysql";
const MIGRATE = "migrate";

describe("docker-compose.yml", () => {
  it("parses, with anchors merged, and has the infrastructure services", () => {
    expect(typeof compose).toBe("object");
    const missing = [KAFKA, MYSQL, MIGRATE, "kafka-ui"].filter(
      (s) => !services[s],
    );
    expect(missing).toEqual([]);
    // A merge that was not resolved would leave a literal "<<" key behind.
    const unmerged = Object.entries(services)
      .filter(
        ([, s]) =>
          "<<" in s ||
          (s.environment &&
            !Array.isArray(s.environment) &&
            "<<" in s.environment),
      )
      .map(([n]) => `${n}: unresolved "<<" merge key`);
    expect(unmerged).toEqual([]);
  });

  it("has a service for every app and no app service the schemas do not know", () => {
    const problems = APP_NAMES.filter((app) => !services[app]).map(
      (app) => `${app}: no service for this app`,
    );
    const appLike = Object.entries(services)
      .filter(([, s]) => /dist\/apps\//.test(asText(s.command)))
      .map(([n]) => n)
      .filter((n) => !(APP_NAMES as string[]).includes(n) && n !== "console");
    problems.push(
      ...appLike.map(
        (n) => `${n}: runs an app entry point but is not in APP_NAMES`,
      ),
    );
    expect(problems).toEqual([]);
  });

  describe("console service", () => {
    const service = (services.console ?? {}) as Service;

    it("sets only the console's settings, values it accepts, and each app's URL by its service name", () => {
      const problems: string[] = [];
      if (!services.console) problems.push("console: no service");
      const env = envOf(service, "console", problems);
      for (const key of Object.keys(env)) {
        if (!Object.keys(ConsoleEnv.shape).includes(key))
          problems.push(`console: ${key} is not a setting of the console`);
      }
      if (env.HOST !== "0.0.0.0") problems.push(`console: HOST is ${env.HOST}, must be 0.0.0.0`);
      try {
        loadConsoleEnv(env);
      } catch (e) {
        problems.push(`console: ${(e as Error).message}`);
      }
      for (const app of SERVICES) {
        const url = env[`${app.toUpperCase()}_URL`];
        const port = envOf(services[app] ?? {}, app, problems)[portVariable(app)];
        if (url !== `http://${app}:${port}`)
          problems.push(`console: ${app.toUpperCase()}_URL is ${url}, expected http://${app}:${port}`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe.each(APP_NAMES)("app service %s", (app: AppName) => {
    const service = (services[app] ?? {}) as Service;
    const schemaKeys = Object.keys(appEnvSchemas[app].shape);
    const portVar = portVariable(app);

    it("sets only variables that its env schema reads", () => {
      const problems: string[] = [];
      for (const key of Object.keys(envOf(service, app, problems))) {
        if (!schemaKeys.includes(key))
          problems.push(
            `${app}: ${key} is not a setting of the ${app} app (misspelled?)`,
          );
      }
      expect(problems).toEqual([]);
    });

    it("sets the variables whose local defaults cannot work in a container, and its port", () => {
      const problems: string[] = [];
      const env = envOf(service, app, problems);
      for (const key of ["HOST", "KAFKA_BROKERS", "DATABASE_URL", portVar]) {
        if (!(key in env)) problems.push(`${app}: ${key} is not set`);
      }
      if ("HOST" in env && env.HOST !== "0.0.0.0") {
        problems.push(
          `${app}: HOST is ${env.HOST}, must be 0.0.0.0 to be reachable from outside the container`,
        );
      }
      for (const broker of (env.KAFKA_BROKERS ?? "")
        .split(",")
        .map((b) => b.trim())
        .filter(Boolean)) {
        const host = broker.split(":")[0];
        if (!services[host])
          problems.push(
            `${app}: KAFKA_BROKERS entry ${broker} is not a compose service`,
          );
      }
      if (env.DATABASE_URL) {
        const host = parseMysqlUrl(env.DATABASE_URL).host;
        if (!services[host])
          problems.push(
            `${app}: DATABASE_URL host ${host} is not a compose service`,
          );
      }
      expect(problems).toEqual([]);
    });

    it("sets values that its own schema accepts (loadEnv)", () => {
      const problems: string[] = [];
      const env = envOf(service, app, problems);
      try {
        loadEnv(app, env);
      } catch (e) {
        problems.push(`${app}: ${(e as Error).message}`);
      }
      expect(problems).toEqual([]);
    });

    it(`publishes and health-checks the port in ${portVar}`, () => {
      const problems: string[] = [];
      const env = envOf(service, app, problems);
      let port: number | undefined;
      try {
        port = (loadEnv(app, env) as Record<string, unknown>)[
          portVar
        ] as number;
      } catch {
        problems.push(
          `${app}: ${portVar} does not parse (see the loadEnv test)`,
        );
      }
      if (port !== undefined) {
        const ports = portsOf(service, app, problems);
        const mapping = ports.find((p) => p.target === port);
        if (!mapping) {
          problems.push(
            `${app}: ${portVar}=${port} but the service publishes container ports [${ports.map((p) => p.target).join(", ")}]`,
          );
        } else if (mapping.published !== port) {
          problems.push(
            `${app}: ${portVar}=${port} is published on host port ${mapping.published ?? "(random)"}`,
          );
        }
        const test = asText(service.healthcheck?.test);
        const hit =
          /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/health\b/.exec(test);
        if (!hit)
          problems.push(
            `${app}: healthcheck does not request http://127.0.0.1:${port}/health (test: ${test || "none"})`,
          );
        else if (Number(hit[1]) !== port) {
          problems.push(
            `${app}: healthcheck requests port ${hit[1]} but ${portVar}=${port}`,
          );
        }
      }
      expect(problems).toEqual([]);
    });

    it(`runs dist/apps/${app}/src/main.js`, () => {
      const command = asText(service.command);
      const problems: string[] = [];
      if (
        !new RegExp(`(^|[\\s/])dist/apps/${app}/src/main\\.js(\\s|$)`).test(
          command,
        )
      ) {
        problems.push(
          `${app}: command "${command}" does not run dist/apps/${app}/src/main.js`,
        );
      }
      expect(problems).toEqual([]);
    });

    it("waits for kafka to be healthy and the migration to have completed", () => {
      const deps = dependsOn(service);
      const problems: string[] = [];
      if (deps[KAFKA] !== "service_healthy") {
        problems.push(
          `${app}: depends_on.${KAFKA} is ${deps[KAFKA] ?? "missing"}, expected service_healthy`,
        );
      }
      if (deps[MIGRATE] !== "service_completed_successfully") {
        problems.push(
          `${app}: depends_on.${MIGRATE} is ${deps[MIGRATE] ?? "missing"}, expected service_completed_successfully`,
        );
      }
      expect(problems).toEqual([]);
    });

    it("uses the one image the migration service builds", () => {
      const problems: string[] = [];
      const image = services[MIGRATE]?.image;
      if (!image)
        problems.push(`${MIGRATE}: has no image name for the apps to share`);
      else if (service.image !== image)
        problems.push(
          `${app}: image is ${service.image ?? "missing"}, expected ${image}`,
        );
      if (service.build !== undefined)
        problems.push(
          `${app}: has its own build section; the image is built once`,
        );
      expect(problems).toEqual([]);
    });
  });

  it("builds the image exactly once", () => {
    const builders = Object.entries(services)
      .filter(([, s]) => s.build !== undefined)
      .map(([n]) => n);
    expect(builders).toEqual([MIGRATE]);
  });

  it("runs the migration CLI once, after mysql is healthy", () => {
    const migrate = services[MIGRATE] ?? {};
    const problems: string[] = [];
    if (
      !/dist\/libs\/database\/src\/migrate\/cli\.js/.test(
        asText(migrate.command),
      )
    ) {
      problems.push(
        `${MIGRATE}: command "${asText(migrate.command)}" does not run dist/libs/database/src/migrate/cli.js`,
      );
    }
    if (dependsOn(migrate)[MYSQL] !== "service_healthy")
      problems.push(`${MIGRATE}: depends_on.${MYSQL} must be service_healthy`);
    if (migrate.restart !== undefined && migrate.restart !== "no") {
      problems.push(
        `${MIGRATE}: restart is ${migrate.restart}; a one-shot job must not restart`,
      );
    }
    expect(problems).toEqual([]);
  });

  it("disables automatic topic creation on Kafka", () => {
    const env = envOf(services[KAFKA] ?? {}, KAFKA);
    expect({
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: env.KAFKA_AUTO_CREATE_TOPICS_ENABLE,
    }).toEqual({
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false",
    });
  });

  it("points the apps' KAFKA_BROKERS at an advertised, listening Kafka listener", () => {
    const kafkaEnv = envOf(services[KAFKA] ?? {}, KAFKA);
    const advertised = listeners(kafkaEnv.KAFKA_ADVERTISED_LISTENERS);
    const bound = listeners(kafkaEnv.KAFKA_LISTENERS);
    const problems: string[] = [];
    for (const app of APP_NAMES) {
      const brokers = (envOf(services[app] ?? {}, app).KAFKA_BROKERS ?? "")
        .split(",")
        .filter(Boolean);
      for (const broker of brokers) {
        const [host, port] = broker.trim().split(":");
        const l = advertised.find(
          (a) => a.host === host && a.port === Number(port),
        );
        if (!l) {
          problems.push(
            `${app}: KAFKA_BROKERS ${broker} is not among ${KAFKA}'s KAFKA_ADVERTISED_LISTENERS`,
          );
        } else if (!bound.some((b) => b.name === l.name && b.port === l.port)) {
          problems.push(
            `${app}: KAFKA_BROKERS ${broker} (listener ${l.name}) is not bound in ${KAFKA}'s KAFKA_LISTENERS`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("uses the mysql service's database and credentials in every DATABASE_URL", () => {
    const mysqlEnv = envOf(services[MYSQL] ?? {}, MYSQL);
    const problems: string[] = [];
    const users: Record<string, string> = {};
    if (mysqlEnv.MYSQL_ROOT_PASSWORD !== undefined)
      users.root = mysqlEnv.MYSQL_ROOT_PASSWORD;
    if (mysqlEnv.MYSQL_ALLOW_EMPTY_PASSWORD) users.root = "";
    if (mysqlEnv.MYSQL_USER)
      users[mysqlEnv.MYSQL_USER] = mysqlEnv.MYSQL_PASSWORD ?? "";
    const mysqlPort =
      portsOf(services[MYSQL] ?? {}, MYSQL, problems)[0]?.target ?? 3306;
    for (const name of [MIGRATE, ...APP_NAMES]) {
      const url = envOf(services[name] ?? {}, name).DATABASE_URL;
      if (!url) {
        problems.push(`${name}: DATABASE_URL is not set`);
        continue;
      }
      const db = parseMysqlUrl(url);
      if (db.host !== MYSQL)
        problems.push(
          `${name}: DATABASE_URL host is ${db.host}, expected ${MYSQL}`,
        );
      if (db.port !== mysqlPort)
        problems.push(
          `${name}: DATABASE_URL port is ${db.port}, ${MYSQL} listens on ${mysqlPort}`,
        );
      if (!(db.user in users)) {
        problems.push(
          `${name}: DATABASE_URL user ${db.user} is not created by ${MYSQL} (users: ${Object.keys(users).join(", ")})`,
        );
      } else if (users[db.user] !== db.password) {
        problems.push(
          `${name}: DATABASE_URL password for ${db.user} differs from ${MYSQL}'s environment`,
        );
      }
      if (mysqlEnv.MYSQL_DATABASE !== db.database) {
        problems.push(
          `${name}: DATABASE_URL database is ${db.database}, ${MYSQL} creates MYSQL_DATABASE=${mysqlEnv.MYSQL_DATABASE}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("only waits for health on services that define a healthcheck", () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(service))) {
        if (!services[dep])
          problems.push(`${name}: depends_on ${dep}, which is not a service`);
        else if (
          condition === "service_healthy" &&
          !services[dep].healthcheck
        ) {
          problems.push(
            `${name}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("publishes every host port at most once", () => {
    const seen = new Map<number, string>();
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const { published } of portsOf(service, name, problems)) {
        if (published === undefined) continue;
        if (seen.has(published))
          problems.push(
            `${name}: host port ${published} is also published by ${seen.get(published)}`,
          );
        seen.set(published, name);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const dockerignore = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim());

  it("builds with npm ci and npm run build, and drops dev dependencies", () => {
    const missing = [
      /npm ci\b/,
      /npm run build\b/,
      /npm prune --omit=dev/,
    ].filter((re) => !re.test(dockerfile));
    expect(missing.map(String)).toEqual([]);
  });

  it("runs as a non-root user and ships the migrations", () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect({
      lastUser: users[users.length - 1] ?? "root (no USER)",
    }).not.toEqual({ lastUser: "root" });
    expect(users.length).toBeGreaterThan(0);
    expect(dockerfile).toMatch(/COPY --from=\S+ \/app\/prisma/);
  });

  it("keeps local artefacts out of the build context", () => {
    const missing = [
      "node_modules",
      "dist",
      ".local",
      ".git",
      "coverage",
    ].filter((p) => !dockerignore.includes(p));
    expect(missing).toEqual([]);
  });
});
