/**
 * Structured logs: one JSON object per line on stdout, written by pino (a maintained logger whose cost
 * per line is a few microseconds: fields serialised without copies, lines written asynchronously and
 * coalesced while a write is in flight, nothing built for a level that is off). Callers pass only
 * technical fields; no name, e-mail, NIR, token or free text typed by a person is ever given to the
 * logger (README, Design rules: personal data); as a second guard, fields under those names are
 * censored if one ever slips through.
 */
import pino from 'pino';

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

/**
 * Field names that would carry personal data or secrets: never written, whoever passes them. (`name` and
 * `address` are not here: callers use them for an error's class and the listening socket.)
 */
const CENSORED = ['email', 'nir', 'lastName', 'firstNames', 'birthDate', 'phone', 'token', 'password', 'secret'];

/**
 * `write` receives each line without its newline (tests collect them); by default lines go to stdout.
 * Lines read: {"level":"info","time":"<ISO 8601>","msg":"...",...fields}.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination = write ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: false });
  const log = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: CENSORED, censor: '[censored]' },
    },
    destination,
  );
  // The message inside the object: pino then writes it before the fields, as lines always read.
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => (fields ? log[lvl]({ msg, ...fields }) : log[lvl](msg));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (lvl) => log.isLevelEnabled(lvl) };
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
