/**
 * Bulletins: log messages at or above a component's bulletin level (WARN by default), kept for 5 minutes,
 * as NiFi's bulletin board.
 */
import type { LogLevel } from './processor-api.js';

export interface Bulletin {
  id: number;
  time: number;
  level: LogLevel;
  componentId: string;
  message: string;
}

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'NONE'];
export const levelRank = (level: LogLevel): number => LEVELS.indexOf(level);
export const LOG_LEVELS = LEVELS;
const TTL = 5 * 60_000;

export class BulletinBoard {
  private items: Bulletin[] = [];
  private nextId = 1;

  add(now: number, level: LogLevel, componentId: string, message: string): void {
    this.items.push({ id: this.nextId++, time: now, level, componentId, message });
    if (this.items.length > 1000) this.items.splice(0, this.items.length - 1000);
  }

  list(now: number, componentId?: string): Bulletin[] {
    this.items = this.items.filter((b) => now - b.time < TTL);
    return componentId ? this.items.filter((b) => b.componentId === componentId) : [...this.items];
  }
}
