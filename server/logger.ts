/**
 * Structured logs: one JSON object per line on stdout. Callers pass only technical fields; no name,
 * e-mail, NIR, token or free text typed by a person is ever given to the logger (README, Design rules: personal data).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = {
  debug: (msg: string, fields?: LogFields) => void;
  info: (msg: string, fields?: LogFields) => void;
  warn: (msg: string, fields?: LogFields) => void;
  error: (msg: string, fields?: LogFields) => void;
  /** Whether a line at this level would be written: lets a hot path skip building its fields. */
  enabled: (lvl: Exclude<LogLevel, 'silent'>) => boolean;
};

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const at =
    (lvl: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: LogFields = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (lvl) => ORDER[lvl] >= ORDER[level] };
}

/**
 * The path as it may be logged: the query string is dropped and any segment that looks like a token
 * (long, random) is replaced, so single-use links never reach the logs.
 */
export function loggablePath(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.length >= 20 && /^[A-Za-z0-9_-]+$/.test(segment) ? ':token' : segment))
    .join('/');
}
