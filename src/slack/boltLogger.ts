import { format } from 'node:util';
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../log.ts';

const PINO_LEVEL: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

function boltLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

/**
 * Bolt's (and its Web API and Socket Mode clients') logger, written through pino: their lines come out
 * as the same JSON as ours, with the same redaction, instead of plain text on stdout. Bolt logs whole
 * request payloads (user text) only at debug, which is where user text belongs.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', msg: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const [first, ...rest] = msg;
    if (first instanceof Error) child[level]({ err: first }, rest.length ? format(...rest) : first.message);
    else child[level](format(...msg));
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel(level: LogLevel) {
      child.level = PINO_LEVEL[level];
    },
    getLevel: () => boltLevel(child.level),
    setName(name: string) {
      child.setBindings({ logger: name });
    },
  };
}
