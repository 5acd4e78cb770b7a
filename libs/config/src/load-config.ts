import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

type ConfigClass<T> = new () => T;

/** Thrown at boot when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) =>
      // class-validator messages start with the property name, which is the variable's name.
      message.startsWith(e.property) ? message : `${e.property}: ${message}`,
    ),
  );
}

/** Reads and validates the environment into a typed config object, or throws ConfigError. */
export function loadConfig<T extends object>(schema: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, present, { exposeDefaultValues: true, excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  return config;
}

/**
 * Loads config for a process entry point: on error prints each offending variable and exits
 * non-zero, so a misconfigured deployment fails at start rather than on first use.
 */
export function loadConfigOrExit<T extends object>(schema: ConfigClass<T>, service: string): T {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', service, msg: 'invalid configuration', problems: error.problems })}\n${error.message}\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** The variables a schema cannot start without: no default value and not marked optional. */
export function requiredVariables<T extends object>(schema: ConfigClass<T>): string[] {
  const instance = new schema() as Record<string, unknown>;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  const properties = new Set(metadata.map((m) => m.propertyName));
  return [...properties].filter((p) => !optional.has(p) && instance[p] === undefined).sort();
}
